"""The tasks' part of "Việc của tôi" beyond workflow steps: inspections to record and
change requests without a decision are already steps; here, scheduled inspections whose
date has passed without a recorded result."""

from django.utils.translation import gettext as _

from khcn.accounts.models import INTERNAL_ROLES
from khcn.core import clock
from khcn.projects.models import Inspection
from khcn.web.inbox import WorkItem, provider


@provider
def inspections_to_record(user, agency) -> list[WorkItem]:
    if agency is None or not (user.roles_by_agency().get(agency.pk, frozenset()) & INTERNAL_ROLES):
        return []
    today = clock.today()
    return [
        WorkItem(
            title=_("Ghi kết quả kiểm tra: %(t)s") % {"t": i.project.title},
            url=f"/nhiem-vu/{i.project_id}/#kiem-tra",
            kind=_("Kiểm tra"),
            due=i.scheduled_on,
            detail=_("Đoàn kiểm tra: %(d)s") % {"d": i.inspectors},
            overdue=False,
        )
        for i in Inspection.objects.filter(
            project__agency=agency, done_on__isnull=True, scheduled_on__lte=today
        ).select_related("project")[:30]
    ]
