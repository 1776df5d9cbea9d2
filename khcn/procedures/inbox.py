"""The procedures' part of "Việc của tôi" beyond workflow steps (those already come from the
workflow inbox): dossiers past their due date that still need the written apology letter
with a new return date (NĐ 61/2018 Đ19)."""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from khcn.accounts.models import Role
from khcn.core import clock
from khcn.procedures.models import Dossier
from khcn.web.inbox import WorkItem, provider

LIMIT = 30


def needing_apology(agency, *, today):
    """Dossiers of the agency not yet returned, late or past due (not paused), with no letter."""
    return (
        Dossier.objects.filter(agency=agency, returned_on__isnull=True)
        .exclude(outcome=Dossier.Outcome.WITHDRAWN)
        .filter(
            Q(late=True)
            | Q(finished_on__isnull=True, due_date__lt=today) & ~Q(state="SUPPLEMENT_REQUESTED")
        )
        .filter(apologies__isnull=True)
        .select_related("procedure")
        .order_by("due_date", "pk")
    )


def _url(dossier: Dossier) -> str:
    try:
        return reverse("dossier-apology", args=[dossier.pk])
    except NoReverseMatch:
        return reverse("dossier-detail", args=[dossier.pk])


@provider
def apologies_to_write(user, agency) -> list[WorkItem]:
    if agency is None or Role.STAFF not in user.roles_by_agency().get(agency.pk, frozenset()):
        return []
    today = clock.today()
    return [
        WorkItem(
            title=_("Lập phiếu xin lỗi, hẹn lại ngày trả: %(c)s") % {"c": d.code},
            url=_url(d),
            kind=_("Hồ sơ TTHC trễ hạn"),
            due=d.due_date,
            detail=d.procedure.short_name or d.procedure.name,
            overdue=True,
        )
        for d in needing_apology(agency, today=today)[:LIMIT]
    ]
