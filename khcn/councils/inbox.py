"""The councils' part of "Việc của tôi": declarations and ballots waiting for an expert,
councils waiting for staff to open or close them."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from khcn.accounts.models import INTERNAL_ROLES
from khcn.councils.models import Ballot, Council, CouncilMember
from khcn.web.inbox import WorkItem, provider

LIMIT = 30


@provider
def council_items(user, agency) -> list[WorkItem]:
    items = []
    seats = (
        CouncilMember.objects.filter(
            expert=user, removed_at__isnull=True, council__state=Council.State.OPEN
        )
        .annotate(voted=Exists(Ballot.objects.filter(member=OuterRef("pk"))))
        .select_related("council__project")
        .order_by("council__meeting_date")[:LIMIT]
    )
    for seat in seats:
        council = seat.council
        if seat.conflict == CouncilMember.Conflict.PENDING:
            detail = _("Khai báo xung đột lợi ích để mở hồ sơ")
        elif not seat.voted:
            detail = _("Chấm điểm / bỏ phiếu trước ngày họp")
        else:
            continue
        items.append(
            WorkItem(
                title=f"{council.get_kind_display()}: {council.project.title}",
                url=f"/hoi-dong/{council.pk}/",
                kind=_("Hội đồng"),
                due=council.meeting_date,
                detail=detail,
            )
        )
    if agency is not None and user.roles_by_agency().get(agency.pk, frozenset()) & INTERNAL_ROLES:
        for council in (
            Council.objects.filter(agency=agency, state=Council.State.FORMING)
            .select_related("project")
            .order_by("meeting_date")[:LIMIT]
        ):
            items.append(
                WorkItem(
                    title=f"{council.get_kind_display()}: {council.project.title}",
                    url=f"/hoi-dong/{council.pk}/",
                    kind=_("Hội đồng"),
                    due=council.meeting_date,
                    detail=_("Hoàn tất danh sách và mở phiên đánh giá"),
                )
            )
    return items
