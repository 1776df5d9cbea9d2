"""The generic guards and effects every rule set may use.

A guard answers None when its condition holds, or the reason it does not, in
Vietnamese; an effect changes the record. Domain apps add their own with
`@guard` / `@effect` from `khcn.workflow.registry`.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from khcn.core.calendar import shift_months
from khcn.workflow.registry import Context, effect, guard


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _label(ctx: Context, name: str) -> str:
    transition = ctx.process.rules.transition(ctx.action)
    for f in transition.fields if transition else ():
        if f.name == name:
            return f.label
    return name


@guard("data_in")
def data_in(ctx: Context, *, field: str, values: list, message: str = "") -> str | None:
    """The field's value is one of `values` (e.g. the council's rating is Đạt or Xuất sắc)."""
    value = ctx.value(field)
    if value in values:
        return None
    if message:
        return message
    return _("«%(f)s» phải là một trong: %(v)s.") % {
        "f": _label(ctx, field),
        "v": ", ".join(str(v) for v in values),
    }


@guard("attachments_present")
def attachments_present(ctx: Context, *, categories: list | None = None, min: int = 1):
    """At least `min` documents are attached to the record (or its subject)."""
    from khcn.core.models import Attachment

    owners = [ctx.process]
    if ctx.subject is not None:
        owners.append(ctx.subject)
    found = 0
    for owner in owners:
        qs = Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk)
        )
        if categories:
            qs = qs.filter(category__in=categories)
        found += qs.count()
    if found >= min:
        return None
    if categories:
        labels = dict(Attachment.Category.choices)
        names = ", ".join(str(labels.get(c, c)) for c in categories)
        return _("Cần đính kèm ít nhất %(n)d tài liệu loại: %(c)s.") % {"n": min, "c": names}
    return _("Cần đính kèm ít nhất %(n)d tài liệu.") % {"n": min}


@guard("not_done_before")
def not_done_before(ctx: Context, *, action: str, message: str = "") -> str | None:
    """The action has never been performed on this record (e.g. one extension only)."""
    if not ctx.process.events.filter(action=action).exists():
        return None
    done = ctx.process.rules.transition(action)
    return message or _("Bước «%(a)s» chỉ được thực hiện một lần.") % {
        "a": done.label if done else action
    }


@guard("at_least_before")
def at_least_before(ctx: Context, *, field: str, months: int = 0, days: int = 0, message=""):
    """Today is at least `months`/`days` before the date in `field` (TT 04/2015 Đ12: ≥ 1 month)."""
    limit = as_date(ctx.value(field))
    if limit is None:
        return _("Chưa có «%(f)s».") % {"f": _label(ctx, field)}
    latest = shift_months(limit, -months) - dt.timedelta(days=days)
    if ctx.today <= latest:
        return None
    return message or _("Phải thực hiện chậm nhất ngày %(d)s.") % {"d": f"{latest:%d/%m/%Y}"}


@guard("date_after")
def date_after(ctx: Context, *, field: str, other: str, min_days: int = 1) -> str | None:
    """The date in `field` is at least `min_days` after the date in `other`."""
    later, earlier = as_date(ctx.value(field)), as_date(ctx.value(other))
    if later is None or earlier is None:
        return _("Thiếu «%(a)s» hoặc «%(b)s».") % {
            "a": _label(ctx, field),
            "b": _label(ctx, other),
        }
    if (later - earlier).days >= min_days:
        return None
    return _("«%(a)s» phải sau «%(b)s» ít nhất %(n)d ngày.") % {
        "a": _label(ctx, field),
        "b": _label(ctx, other),
        "n": min_days,
    }


@guard("extension_within_limit")
def extension_within_limit(
    ctx: Context,
    *,
    new_end: str = "new_end_date",
    start: str = "start_date",
    end: str = "end_date",
    long_task_months: int = 24,
    long_max_months: int = 12,
    short_max_months: int = 6,
) -> str | None:
    """An extension of at most 12 months for tasks longer than 24 months, else 6 (TT 04/2015 Đ12)."""
    new, begin, finish = (
        as_date(ctx.value(new_end)),
        as_date(ctx.value(start)),
        as_date(ctx.value(end)),
    )
    if None in (new, begin, finish):
        return _("Thiếu ngày bắt đầu, ngày kết thúc hoặc ngày kết thúc mới.")
    if new <= finish:
        return _("Ngày kết thúc mới phải sau ngày kết thúc hiện tại (%(d)s).") % {
            "d": f"{finish:%d/%m/%Y}"
        }
    allowed = (
        long_max_months if shift_months(begin, long_task_months) < finish else short_max_months
    )
    if new <= shift_months(finish, allowed):
        return None
    return _("Chỉ được gia hạn tối đa %(m)d tháng, tức đến %(d)s.") % {
        "m": allowed,
        "d": f"{shift_months(finish, allowed):%d/%m/%Y}",
    }


@guard("data_present")
def data_present(ctx: Context, *, field: str, message: str) -> str | None:
    """The record holds a value that another module writes there (a contract, a council)."""
    return None if ctx.value(field) not in (None, "") else message


@guard("at_most")
def at_most(ctx: Context, *, field: str, limit: str, message: str = "") -> str | None:
    """A filled amount does not exceed another stored amount (settlement ≤ money disbursed)."""
    value, ceiling = ctx.value(field), ctx.value(limit) or 0
    if value is None or Decimal(str(value)) <= Decimal(str(ceiling)):
        return None
    return message or _("«%(f)s» không được vượt quá %(v)s đồng.") % {
        "f": _label(ctx, field),
        "v": f"{Decimal(str(ceiling)):,.0f}".replace(",", "."),
    }


@effect("copy_field")
def copy_field(ctx: Context, *, source: str, target: str) -> None:
    """Keep a filled value under another name (the approved new end date becomes the end date)."""
    ctx.process.data[target] = ctx.value(source)


@effect("copy_value")
def copy_value(ctx: Context, *, target: str, value) -> None:
    """Store a fixed value (an automatic "Không đạt" records the rating it implies)."""
    ctx.process.data[target] = value
