"""Small reads the procedure pages need on top of `selectors`: the working days left on the
rows of one page, a download header."""

import datetime as dt
from urllib.parse import quote

from khcn.core import clock
from khcn.core.calendar import calendar_for


def attachment_header(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "tai-lieu.docx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def with_remaining(dossiers, *, today: dt.date | None = None) -> list:
    """Set `remaining` (working days to the due date, negative when late, None when finished or
    paused), `overdue_days` and `due_level` ("late" | "soon" | "ok" | "") on each dossier of a
    page, as `selectors.remaining_working_days` counts them, reading each agency's calendar once
    (so the page's query count does not grow with its rows)."""
    today = today or clock.today()
    rows = list(dossiers)
    calendars = {}
    for d in rows:
        d.due_level, d.overdue_days, d.remaining = "", 0, None
        if d.finished_on is not None or d.due_date is None or d.state == "SUPPLEMENT_REQUESTED":
            continue
        if d.agency_id not in calendars:
            calendars[d.agency_id] = calendar_for(d.agency_id)
        d.remaining = calendars[d.agency_id].count_working_days(today, d.due_date)
        if d.due_date < today:
            d.due_level, d.overdue_days = "late", -d.remaining
        elif d.remaining <= _soon_days(d):
            d.due_level = "soon"
        else:
            d.due_level = "ok"
    return rows


def _soon_days(dossier) -> int:
    """`[rules.dossier] due_soon_days` of the dossier's rule set (parsed once per version)."""
    from khcn.procedures.guards import dossier_rules

    return int(dossier_rules(dossier.process.rules).get("due_soon_days", 0))
