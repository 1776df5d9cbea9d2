"""Numbers, money and dates written out the way Vietnamese official documents write them.

Amounts in words follow the usual reading: "linh" for a zero tens digit after
hundreds (105 → "một trăm linh năm"), "mốt" / "tư" / "lăm" for 1 / 4 / 5 after
"mươi", "không trăm" when a group after a larger unit has no hundreds
(1.000.005 → "một triệu không trăm linh năm"). Dates follow Nghị định
30/2020/NĐ-CP Phụ lục I: days below 10 and the months 1 and 2 take a leading
zero ("ngày 05 tháng 01 năm 2026", "ngày 15 tháng 3 năm 2026").
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
# Units of the groups of three digits below one billion; above that the reading repeats "tỷ".
GROUP_UNITS = ["", "nghìn", "triệu"]
BILLION = 1_000_000_000


def _as_whole_number(value) -> int:
    """An int from an int or a Decimal with no fraction; anything else is a ValueError."""
    if isinstance(value, bool):
        raise ValueError("a number is expected, not a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        try:
            if value != value.to_integral_value():
                raise ValueError(f"the đồng has no fraction: {value}")
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value}") from exc
        number = int(value)
    else:
        raise ValueError(f"an int or a Decimal is expected, not {type(value).__name__}")
    if number < 0:
        raise ValueError(f"a negative amount cannot be written in words: {number}")
    return number


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool) -> list[str]:
    words: list[str] = []
    if tens == 0:
        if units:
            if after_hundreds:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group(n: int, *, full: bool) -> list[str]:
    """Words of 0 < n < 1000. `full`: a group after a larger unit, read with its hundreds
    even when they are zero ("không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, after_hundreds=bool(words))
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    """Words of 0 < n < 10^9; zero groups are skipped, the first group is read in full
    only when something larger precedes it."""
    groups = []
    for _unit in GROUP_UNITS:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _group(group, full=full or bool(words))
        if GROUP_UNITS[index]:
            words.append(GROUP_UNITS[index])
    return words


def _words(n: int, *, full: bool = False) -> list[str]:
    if n >= BILLION:
        high, low = divmod(n, BILLION)
        words = [*_words(high, full=full), "tỷ"]
        if low:
            words += _below_billion(low, full=True)
        return words
    return _below_billion(n, full=full)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def number_words(n: int) -> str:
    """21 → "Hai mươi mốt", 105 → "Một trăm linh năm", 0 → "Không"."""
    number = _as_whole_number(n)
    if number == 0:
        return "Không"
    return _capitalise(" ".join(_words(number)))


def money_words(amount: Decimal | int) -> str:
    """100.000.000 → "Một trăm triệu đồng". Negative amounts and fractions of a đồng are a
    ValueError: the đồng has no subunit in use, and a payment in words is never negative."""
    return number_words(amount) + " đồng"


def date_words(d: dt.date | None) -> str:
    """ "ngày 05 tháng 3 năm 2026" (NĐ 30/2020 Phụ lục I); without a date, blanks to fill by hand."""
    if d is None:
        return "ngày … tháng … năm …"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def vnd(amount: Decimal | int | None) -> str:
    """1234567 → "1.234.567" (the unit, "đồng", is written by the document)."""
    if amount is None:
        return ""
    value = int(Decimal(amount).quantize(Decimal(1)))
    digits = f"{abs(value):,}".replace(",", ".")
    return f"-{digits}" if value < 0 else digits
