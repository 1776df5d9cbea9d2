"""Vietnamese đồng: whole numbers, "." between thousands, "₫" after."""

from decimal import Decimal


def format_vnd(amount: int | Decimal | float | None) -> str:
    """1234567 -> "1.234.567 ₫"; negative amounts keep their sign."""
    if amount is None:
        return ""
    value = int(Decimal(amount).quantize(Decimal(1)))
    digits = f"{abs(value):,}".replace(",", ".")
    return f"{'-' if value < 0 else ''}{digits} ₫"
