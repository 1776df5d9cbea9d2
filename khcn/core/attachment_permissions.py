"""Who may read, upload and replace attachments.

A library document (no owner) is read and written by the department's own
people in its agency. A record's attachment follows the record: the owner
model names the actions in `ATTACHMENT_ACTIONS = {"view": ..., "upload": ...}`.
"""

from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import INTERNAL_ROLES
from khcn.core.permissions import Decision, can, rule, scope_rule


def _rule(action: str, owner_key: str, reason) -> None:
    @rule(action)
    def check(user, attachment) -> Decision:
        owner = attachment.owner if attachment is not None and attachment.owner_type_id else None
        owner_actions = getattr(owner, "ATTACHMENT_ACTIONS", None)
        if owner_actions:
            return can(user, owner_actions[owner_key], owner)
        held = user.roles_by_agency()
        if attachment is None:
            ok = any(r & INTERNAL_ROLES for r in held.values())
        else:
            ok = bool(held.get(attachment.agency_id, frozenset()) & INTERNAL_ROLES)
        return Decision(True) if ok else Decision(False, reason)


_rule("attachment.view", "view", _("Bạn không có quyền xem tài liệu này."))
_rule("attachment.upload", "upload", _("Bạn không có quyền tải lên tài liệu."))
_rule("attachment.replace", "upload", _("Bạn không có quyền thay thế tài liệu."))


@scope_rule("attachment.view")
def attachments_visible(user, qs):
    return qs.filter(agency_id__in=user.agency_ids_with(INTERNAL_ROLES))
