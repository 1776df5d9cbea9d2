"""Password login with lockout after repeated failures.

After KHCN_LOGIN_MAX_FAILURES wrong passwords in a row the account is locked
for KHCN_LOGIN_LOCK_MINUTES; the agency's administrators are told and can
unlock it earlier. A locked account cannot log in even with the right password.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F

from khcn.accounts.models import User
from khcn.core import clock


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(
                password
            )  # same cost as a real check: no user enumeration by timing
            return None
        if user.locked_until and user.locked_until > clock.now():
            if request is not None:
                request.khcn_login_locked = True
            return None
        if user.check_password(password):
            if not self.user_can_authenticate(user):
                return None  # a deactivated account: the right password is not a failed attempt
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        register_failure(user, request=request)
        return None


def register_failure(user: User, *, request=None) -> None:
    from khcn.accounts.services import account_lock
    from khcn.audit.models import AuditAction
    from khcn.audit.services import record

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            obj=user,
            agency=user.home_agency_id(),
            request=request,
            after={"failed_logins": user.failed_logins},
        )
        if user.failed_logins >= settings.KHCN_LOGIN_MAX_FAILURES:
            until = clock.now() + dt.timedelta(minutes=settings.KHCN_LOGIN_LOCK_MINUTES)
            account_lock(user=user, until=until, request=request)
            if request is not None:
                request.khcn_login_locked = True
