"""Deadline rows of a record, kept in step with its state and data.

`deadlines_sync` runs after every transition (and after a migration): a rule
whose states include the record's state gets an active row with its due date;
a row whose rule no longer applies is closed as met, or missed if the date
has passed. Counting follows the Civil Code 2015 Đ147–148 through the one
working-day calendar (`khcn.core.calendar`).
"""

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from khcn.core.calendar import WorkCalendar, calendar_for
from khcn.workflow.definition import DeadlineRule
from khcn.workflow.guards import as_date
from khcn.workflow.models import Deadline, Process


def anchor_date(process: Process, rule: DeadlineRule, *, opened_on: dt.date, dues: dict):
    kind, name = rule.anchor_kind, rule.anchor_name
    if kind == "entered":
        return opened_on
    if kind == "deadline":
        return dues.get(name)
    value = (process.data or {}).get(name)
    if value is None and process.subject_id is not None:
        value = getattr(process.subject, name, None)
    return as_date(value)


def offset_of(process: Process, rule: DeadlineRule) -> int:
    """The rule's offset, or the record's own when the rule names an `offset_field` it has filled
    (NĐ 13/2019 Đ7: 15 instead of 10 working days when experts are consulted)."""
    if rule.offset_field:
        value = (process.data or {}).get(rule.offset_field)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return rule.offset


def due_date(
    rule: DeadlineRule, anchor: dt.date, cal: WorkCalendar, *, offset: int | None = None
) -> dt.date:
    """The anchor plus (or minus) the offset in the rule's unit, capped if the rule says so."""
    sign = -1 if rule.direction == "before" else 1
    offset = rule.offset if offset is None else offset
    if rule.unit == "working":
        due = cal.add_working_days(anchor, sign * offset)
    elif rule.unit == "months":
        due = cal.add_months(anchor, sign * offset)
    else:
        due = cal.add_calendar_days(anchor, sign * offset)
    if rule.cap == "end_of_year":
        # QĐ 05/2021/QĐ-UBND: liquidation inside the budget year of the decision.
        year_end = dt.date(anchor.year, 12, 31)
        last_working = cal.add_working_days(year_end + dt.timedelta(days=1), -1)
        due = min(due, last_working)
    return due


def remind_date(rule: DeadlineRule, due: dt.date, cal: WorkCalendar) -> dt.date | None:
    return cal.add_working_days(due, -rule.remind_before) if rule.remind_before else None


def deadline_new(process, rule: DeadlineRule, *, due, opened_on, cal: WorkCalendar) -> Deadline:
    """An unsaved row for `rule` on `process` (also used to generate bulk data)."""
    return Deadline(
        process=process,
        agency_id=process.agency_id,
        key=rule.key,
        label=rule.label,
        due=due,
        responsible=rule.responsible,
        remind_on=remind_date(rule, due, cal),
        opened_on=opened_on,
    )


def deadlines_sync(process: Process, *, today: dt.date, cal: WorkCalendar | None = None) -> None:
    """Open, move, pause, resume and close the record's deadline rows for its current state."""
    cal = cal or calendar_for(process.agency_id)
    rules = process.rules
    active = {d.key: d for d in Deadline.objects.filter(process=process, closed_on__isnull=True)}
    running: list[Deadline] = []  # the rows still active after this sync
    dues: dict[str, dt.date] = {}
    for rule in rules.deadlines:
        row = active.pop(rule.key, None)
        applies = process.state in rule.states
        paused = process.state in rule.paused_in
        if not (applies or paused):
            if row is not None:
                _close(row, today)
                row.save()
            continue
        if row is None:
            if paused:
                continue
            anchor = anchor_date(process, rule, opened_on=today, dues=dues)
            if anchor is None:
                continue
            due = due_date(rule, anchor, cal, offset=offset_of(process, rule))
            row = deadline_new(process, rule, due=due, opened_on=today, cal=cal)
            if due < today:
                row.status, row.missed_on = Deadline.Status.MISSED, today
            row.save()
            running.append(row)
            dues[rule.key] = due
            continue
        changed = False
        if paused and row.paused_since is None:
            row.paused_since, changed = today, True
        elif applies and row.paused_since is not None:
            # The clock stopped while the applicant supplemented the dossier (NĐ 61/2018 Đ16).
            stopped = max(cal.count_working_days(row.paused_since, today), 0)
            row.due = cal.add_working_days(row.due, stopped)
            row.paused_days += stopped
            row.paused_since, changed = None, True
        elif rule.anchor_kind != "entered" and row.paused_since is None:
            anchor = anchor_date(process, rule, opened_on=row.opened_on, dues=dues)
            if anchor is not None:
                due = cal.add_working_days(
                    due_date(rule, anchor, cal, offset=offset_of(process, rule)), row.paused_days
                )
                if due != row.due:
                    row.due, changed = due, True
        if changed:
            row.remind_on = remind_date(rule, row.due, cal)
            if row.status == Deadline.Status.MISSED and row.due >= today:
                row.status, row.missed_on = Deadline.Status.OPEN, None
                row.escalated_at = row.auto_done_at = None
            if row.remind_on and row.remind_on > today:
                row.reminded_at = None
            row.label, row.responsible = rule.label, rule.responsible
            row.save()
        running.append(row)
        dues[rule.key] = row.due
    for row in active.values():  # rules that no longer exist (after a migration)
        row.closed_on = today
        if row.status == Deadline.Status.OPEN:
            row.status = Deadline.Status.WAIVED
            row.note = _("Không còn trong bộ quy tắc mới.")
        row.save()
    _store_next_due(process, [r.due for r in running if _counts(r)])


def _counts(row: Deadline) -> bool:
    return row.paused_since is None and row.status in (
        Deadline.Status.OPEN,
        Deadline.Status.MISSED,
    )


def next_due_refresh(process: Process) -> None:
    """Store the soonest running deadline on the record (what lists sort by)."""
    soonest = _running(Deadline.objects.filter(process=process)).order_by("due")
    _store_next_due(process, list(soonest.values_list("due", flat=True)[:1]))


def _store_next_due(process: Process, dues: list[dt.date]) -> None:
    due = min(dues, default=None)
    if due != process.next_due:
        process.next_due = due
        Process.objects.filter(pk=process.pk).update(next_due=due)


def next_due_refresh_all(processes=None) -> int:
    """The same for many records in one UPDATE (bulk imports, generated data)."""
    soonest = _running(Deadline.objects.filter(process=OuterRef("pk"))).order_by("due")
    qs = Process.objects.all() if processes is None else processes
    return qs.update(next_due=Subquery(soonest.values("due")[:1]))


def _running(qs):
    return qs.filter(
        closed_on__isnull=True,
        paused_since__isnull=True,
        status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
    )


def _close(row: Deadline, today: dt.date) -> None:
    row.closed_on = today
    if row.status == Deadline.Status.OPEN:
        if row.paused_since is None and today > row.due:
            row.status, row.missed_on = Deadline.Status.MISSED, today
        else:
            row.status = Deadline.Status.MET
    row.paused_since = None
