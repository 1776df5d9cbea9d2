"""Reads on procedures and dossiers: the public catalogue, the staff list, the public status
lookup, the register of certificates and the statistics the annual report quotes.

Lists and statistics read the copies the workflow hook keeps on `Dossier` (state, due date,
finished date, lateness) through its indexes, so they stay fast over a million dossiers; the
statistics are SQL aggregates (three grouped queries), never a loop over dossiers.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from khcn.core import clock
from khcn.core.calendar import calendar_for
from khcn.core.permissions import require, scope
from khcn.procedures.models import Certificate, Dossier, Procedure

CODE_RE = re.compile(r"^[A-Z0-9]{1,10}(-[A-Z0-9]{1,10})?-\d{4}-\d{6}$")
DUE_SOON_DEFAULT = 2  # working days, when the rule set has no [rules.dossier] due_soon_days
RESOLVED = (Dossier.Outcome.APPROVED, Dossier.Outcome.REFUSED)
# steps where the clock stands still (the applicant is supplementing): never overdue there
PAUSED_STATES = ("SUPPLEMENT_REQUESTED",)
FAR_FUTURE = dt.date(9999, 12, 31)


# --- catalogue -----------------------------------------------------------------------------------


def procedures_public(*, agency=None, field: str = "", q: str = "") -> QuerySet[Procedure]:
    """Active procedures (the national catalogue plus the agency's own), in catalogue order."""
    qs = Procedure.objects.filter(active=True).prefetch_related("documents")
    if agency is not None:
        qs = qs.filter(Q(agency__isnull=True) | Q(agency=agency))
    if field:
        qs = qs.filter(field=field)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("position", "code")


def procedure_public(code: str) -> Procedure | None:
    return procedures_public().filter(code=code).first()


# --- staff and applicant lists -------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def dossiers_for_staff(
    *,
    user,
    agency,
    procedure=None,
    state: str = "",
    due: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
    today: dt.date | None = None,
) -> QuerySet[Dossier]:
    """The agency's dossiers for its staff, nearest due date first.

    `state`: a rule-set state code, "open" (no result yet) or "finished"; `due`: "overdue"
    (open and past the due date) or "soon" (open, due within `DUE_SOON_DEFAULT` working days);
    `date_from`/`date_to` bound the day of receipt; `q` matches the code, the applicant's name
    or tax code. Indexes: `dossier_list_due`, `dossier_state_due`, `dossier_agency_due`.
    """
    qs = scope(user, "dossier.view", Dossier.objects.filter(agency=agency))
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if state == "open":
        qs = qs.filter(finished_on__isnull=True)
    elif state == "finished":
        qs = qs.filter(finished_on__isnull=False)
    elif state:
        qs = qs.filter(state=state)
    today = today or clock.today()
    if due == "overdue":
        qs = qs.filter(finished_on__isnull=True, due_date__lt=today).exclude(
            state__in=PAUSED_STATES
        )
    elif due == "soon":
        limit = calendar_for(agency.pk).add_working_days(today, DUE_SOON_DEFAULT)
        qs = qs.filter(finished_on__isnull=True, due_date__gte=today, due_date__lte=limit).exclude(
            state__in=PAUSED_STATES
        )
    if date_from:
        qs = qs.filter(received_on__gte=date_from)
    if date_to:
        qs = qs.filter(received_on__lte=date_to)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(tax_code__startswith=q)
        )
    return qs.select_related("procedure", "process__ruleset").order_by("due_date", "pk")


def dossiers_for_applicant(*, user) -> QuerySet[Dossier]:
    """The applicant's own dossiers, newest first."""
    return (
        Dossier.objects.filter(Q(applicant=user) | Q(process__parties__user=user))
        .distinct()
        .select_related("procedure", "process__ruleset")
        .order_by("-received_at", "-pk")
    )


def remaining_working_days(
    dossier: Dossier, *, today: dt.date | None = None, cal=None
) -> int | None:
    """Working days left before the due date (0 on the day, negative once late); None when
    the dossier is finished or paused waiting for the applicant. In a list, pass one `cal`
    (`calendar_for(agency)`) for every row: building one reads the calendar overrides."""
    if dossier.finished_on is not None or dossier.due_date is None:
        return None
    if dossier.state == "SUPPLEMENT_REQUESTED":
        return None
    today = today or clock.today()
    cal = cal or calendar_for(dossier.agency_id)
    if dossier.due_date >= today:
        return cal.count_working_days(today, dossier.due_date)
    return -cal.count_working_days(dossier.due_date, today)


# --- public lookup -------------------------------------------------------------------------------


def dossier_lookup(code: str) -> dict | None:
    """What anyone may read about a dossier from its code: the procedure, the public label of
    its step, and the dates (received, promised, returned). No applicant's name, identifier,
    address or file. None for an unknown or malformed code (the caller answers both alike)."""
    code = normalise_code(code)
    if not CODE_RE.match(code):
        return None
    dossier = (
        Dossier.objects.select_related("procedure", "process__ruleset").filter(code=code).first()
    )
    if dossier is None:
        return None
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "status": dossier.process.public_state_label,
        "finished": dossier.finished_on is not None,
        "received_on": dossier.received_on,
        "promised_date": dossier.promised_date,
        "returned_on": dossier.returned_on,
    }


# --- certificates ---------------------------------------------------------------------------------


def certificates_public(
    *, type: str = "", valid: bool = True, q: str = ""
) -> QuerySet[Certificate]:
    """The public register: certificates (by default only those in force), newest first."""
    qs = Certificate.objects.select_related("agency")
    if type:
        qs = qs.filter(type=type)
    if valid:
        qs = qs.filter(status=Certificate.Status.VALID)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(holder_name__icontains=q) | Q(number__icontains=q) | Q(holder_tax_code=q))
    return qs.order_by("-issued_on", "-pk")


def certificate_history(certificate: Certificate) -> list[Certificate]:
    """Every version of a certificate number, first issue first."""
    return list(
        Certificate.objects.filter(
            agency_id=certificate.agency_id, type=certificate.type, number=certificate.number
        ).order_by("version")
    )


# --- statistics -----------------------------------------------------------------------------------

COUNTS = (
    "received",
    "carried_over",
    "resolved_on_time",
    "resolved_late",
    "refused",
    "in_progress_on_time",
    "in_progress_overdue",
    "supplement_requested",
    "withdrawn",
)


@dataclass
class StatRow:
    """One line of the statistics: a procedure, a responsible unit, or the total."""

    key: str
    label: str
    received: int = 0
    carried_over: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    refused: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    supplement_requested: int = 0
    withdrawn: int = 0
    procedures: list = field(default_factory=list)

    @property
    def resolved(self) -> int:
        return self.resolved_on_time + self.resolved_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def on_time_rate(self) -> float | None:
        """Share of dossiers resolved in the period that were resolved on time, in percent."""
        return round(100 * self.resolved_on_time / self.resolved, 1) if self.resolved else None

    def add(self, other: "StatRow") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            **{name: getattr(self, name) for name in COUNTS},
            "resolved": self.resolved,
            "in_progress": self.in_progress,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class Statistics:
    date_from: dt.date
    date_to: dt.date
    rows: list[StatRow]
    units: list[StatRow]
    total: StatRow


def _aggregates(qs, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict[int, dict]:
    in_period = Q(finished_on__gte=date_from, finished_on__lte=date_to)
    still_open = Q(finished_on__isnull=True) | Q(finished_on__gt=date_to)
    rows = qs.values("procedure_id").annotate(
        received=Count("pk", filter=Q(received_on__gte=date_from)),
        carried_over=Count("pk", filter=Q(received_on__lt=date_from)),
        resolved_on_time=Count("pk", filter=in_period & Q(outcome__in=RESOLVED, late=False)),
        resolved_late=Count("pk", filter=in_period & Q(outcome__in=RESOLVED, late=True)),
        refused=Count("pk", filter=in_period & Q(outcome=Dossier.Outcome.REFUSED)),
        in_progress_on_time=Count(
            "pk", filter=still_open & (Q(due_date__gte=as_of) | Q(state__in=PAUSED_STATES))
        ),
        in_progress_overdue=Count(
            "pk", filter=still_open & Q(due_date__lt=as_of) & ~Q(state__in=PAUSED_STATES)
        ),
        supplement_requested=Count(
            "pk", filter=Q(received_on__gte=date_from, supplement_count__gt=0)
        ),
        withdrawn=Count("pk", filter=in_period & Q(outcome=Dossier.Outcome.WITHDRAWN)),
    )
    return {row.pop("procedure_id"): row for row in rows}


def dossier_statistics(
    *,
    user,
    agency,
    date_from: dt.date,
    date_to: dt.date,
    procedure=None,
    unit: str = "",
    today: dt.date | None = None,
) -> Statistics:
    """Dossiers of the agency in a period, by procedure and by responsible unit (the figures
    of the annual report: received, resolved on time / late, in progress on time / overdue,
    returned for supplements, refused, and the on-time rate).

    Counted: dossiers received in the period plus those carried over (received before, not
    finished when it began). Resolved = result issued or refusal notified in the period, late
    when the time limit's deadline was missed. In progress = not finished at the end of the
    period (or today, if sooner), overdue when the due date has passed by then, unless the
    dossier waits for the applicant's supplement now (its clock stands still). Three grouped
    queries, each through a covering index (`dossier_stats_received`, `dossier_stats_finished`).
    """
    require(user, "dossier.statistics", agency)
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    as_of = min(date_to, today or clock.today())
    base = Dossier.objects.filter(agency=agency)
    if procedure is not None:
        base = base.filter(procedure=procedure)
    if unit:
        base = base.filter(procedure__responsible_unit=unit)
    # three range scans, each answered from one covering index (no OR, so no bitmap and
    # no table access): received in the period; received before it and finished in or after
    # it; received before it and still open
    received = base.filter(received_on__gte=date_from, received_on__lte=date_to)
    earlier = base.filter(received_on__lt=date_from)
    counts: dict[int, dict] = {}
    for part in (
        _aggregates(received, date_from, date_to, as_of),
        # bounded on both sides: SQLite's planner (no histogram) then takes the covering index
        # instead of walking every row of the agency (2.4 s → 0.17 s on a million dossiers)
        _aggregates(
            earlier.filter(finished_on__gte=date_from, finished_on__lte=FAR_FUTURE),
            date_from,
            date_to,
            as_of,
        ),
        _aggregates(earlier.filter(finished_on__isnull=True), date_from, date_to, as_of),
    ):
        for pid, values in part.items():
            mine = counts.setdefault(pid, dict.fromkeys(COUNTS, 0))
            for name, value in values.items():
                mine[name] += value
    procedures = {p.pk: p for p in Procedure.objects.filter(pk__in=counts).order_by("position")}
    rows, units = [], {}
    total = StatRow(key="total", label=_("Tổng cộng"))
    for pid, procedure_ in procedures.items():
        row = StatRow(key=procedure_.code, label=procedure_.name, **counts[pid])
        rows.append(row)
        unit_row = units.setdefault(
            procedure_.responsible_unit,
            StatRow(key=procedure_.responsible_unit, label=procedure_.responsible_unit),
        )
        unit_row.add(row)
        unit_row.procedures.append(procedure_.code)
        total.add(row)
    return Statistics(
        date_from=date_from,
        date_to=date_to,
        rows=rows,
        units=sorted(units.values(), key=lambda r: r.label),
        total=total,
    )


STAT_COLUMNS = (
    ("received", _("Tiếp nhận mới")),
    ("carried_over", _("Kỳ trước chuyển sang")),
    ("resolved_on_time", _("Giải quyết đúng hạn")),
    ("resolved_late", _("Giải quyết quá hạn")),
    ("refused", _("Trong đó: từ chối")),
    ("in_progress_on_time", _("Đang giải quyết trong hạn")),
    ("in_progress_overdue", _("Đang giải quyết quá hạn")),
    ("supplement_requested", _("Yêu cầu bổ sung")),
    ("withdrawn", _("Rút hồ sơ")),
    ("on_time_rate", _("Tỷ lệ đúng hạn (%)")),
)


def statistics_xlsx(stats: Statistics, *, agency) -> bytes:
    """The statistics as an Excel workbook: one sheet by procedure, one by unit."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    for index, (title, rows) in enumerate(
        ((_("Theo thủ tục"), stats.rows), (_("Theo đơn vị"), stats.units))
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = str(title)[:31]
        sheet.append(
            [
                _("Tình hình giải quyết thủ tục hành chính — %(a)s, từ %(f)s đến %(t)s")
                % {
                    "a": agency.name,
                    "f": f"{stats.date_from:%d/%m/%Y}",
                    "t": f"{stats.date_to:%d/%m/%Y}",
                }
            ]
        )
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([])
        sheet.append(
            [_("Thủ tục") if index == 0 else _("Đơn vị"), *[str(c[1]) for c in STAT_COLUMNS]]
        )
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in [*rows, stats.total]:
            data = row.as_dict()
            sheet.append([row.label, *[data[c[0]] for c in STAT_COLUMNS]])
        sheet.column_dimensions["A"].width = 60
        for letter in "BCDEFGHIJK":
            sheet.column_dimensions[letter].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
