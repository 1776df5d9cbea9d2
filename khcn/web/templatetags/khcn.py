"""Template filters for Vietnamese presentation: money in đồng, file sizes."""

from django import template
from django.utils.translation import gettext as _

from khcn.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """{{ 1234567|vnd }} -> "1.234.567 ₫"."""
    return format_vnd(amount)


@register.filter
def filesize(n) -> str:
    """Bytes as B / KB / MB with a decimal comma: 1536 -> "1,5 KB"."""
    try:
        n = int(n)
    except (TypeError, ValueError):
        return ""
    if n < 1024:
        return _("%(n)s B") % {"n": n}
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.1f}".replace(".", ",") + " " + unit
    return ""


@register.filter
def role_labels(codes) -> str:
    """Role codes as their Vietnamese names: {"staff", "leader"} -> "Chuyên viên, Lãnh đạo"."""
    from khcn.accounts.models import Role

    labels = dict(Role.choices)
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(str(labels.get(c, c)) for c in sorted(codes or ()))


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template (form grids keyed by computed names); None if absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
