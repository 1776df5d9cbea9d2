from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from khcn.audit.models import AuditAction
from khcn.audit.services import record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record(
        actor=user,
        action=AuditAction.LOGIN_SUCCEEDED,
        obj=user,
        request=request,
        agency=user.home_agency_id(),
    )


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(
            actor=user,
            action=AuditAction.LOGOUT,
            obj=user,
            request=request,
            agency=user.home_agency_id(),
        )
