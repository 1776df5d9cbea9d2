from django.utils.translation import gettext_lazy as _

from khcn.core.permissions import Decision, rule, scope_rule


@rule("notification.view")
def can_view_notification(user, note) -> Decision:
    if note is None or note.recipient_id == user.pk:
        return Decision(True)
    return Decision(False, _("Thông báo này không dành cho bạn."))


@scope_rule("notification.view")
def notifications_visible(user, qs):
    return qs.filter(recipient=user)
