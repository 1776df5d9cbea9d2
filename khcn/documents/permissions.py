"""Who may replace the document templates of an agency.

The department's staff and administrators keep the templates their agency issues
documents from. The object is the agency, or a `TemplateOverride` of it.
"""

from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import Agency, Role
from khcn.core.permissions import role_rule

ROLE_TABLE = {
    "documents.manage_templates": {Role.STAFF, Role.ADMIN},
}


def _agency_id(obj) -> int:
    return obj.pk if isinstance(obj, Agency) else obj.agency_id


role_rule(
    "documents.manage_templates",
    ROLE_TABLE["documents.manage_templates"],
    agency_of=_agency_id,
    reason=_("Chỉ chuyên viên và quản trị viên của Sở được quản lý mẫu văn bản."),
)
