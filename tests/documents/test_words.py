"""Amounts and dates written out as Vietnamese official documents write them."""

import datetime as dt
from decimal import Decimal

import pytest

from khcn.documents.words import date_words, money_words, number_words, vnd

MONEY = [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (2_015_000, "Hai triệu không trăm mười lăm nghìn đồng"),
    (5_000_000, "Năm triệu đồng"),
    (15_500_000, "Mười lăm triệu năm trăm nghìn đồng"),
    (100_000_000, "Một trăm triệu đồng"),
    (850_000_000, "Tám trăm năm mươi triệu đồng"),
    (1_000_000_001, "Một tỷ không trăm linh một đồng"),
    (2_000_000_000, "Hai tỷ đồng"),
    (2_720_000_000, "Hai tỷ bảy trăm hai mươi triệu đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (1_000_000_005_000, "Một nghìn tỷ không trăm linh năm nghìn đồng"),
    (
        123_456_789_012,
        "Một trăm hai mươi ba tỷ bốn trăm năm mươi sáu triệu bảy trăm tám mươi chín nghìn "
        "không trăm mười hai đồng",
    ),
]


@pytest.mark.parametrize(("amount", "expected"), MONEY)
def test_money_in_words(amount, expected):
    assert money_words(amount) == expected
    assert money_words(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Không"),
        (1, "Một"),
        (11, "Mười một"),
        (15, "Mười lăm"),
        (21, "Hai mươi mốt"),
        (24, "Hai mươi tư"),
        (25, "Hai mươi lăm"),
        (41, "Bốn mươi mốt"),
        (105, "Một trăm linh năm"),
        (214, "Hai trăm mười bốn"),
    ],
)
def test_number_in_words(n, expected):
    assert number_words(n) == expected


def test_a_decimal_with_zero_fraction_is_a_whole_amount():
    assert money_words(Decimal("100000000.00")) == "Một trăm triệu đồng"


@pytest.mark.parametrize(
    "amount", [-1, Decimal("-5"), Decimal("1.5"), Decimal("0.01"), Decimal("NaN"), 2.0, True, "5"]
)
def test_negative_fractional_and_other_values_are_refused(amount):
    with pytest.raises(ValueError):
        money_words(amount)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
        (dt.date(2026, 2, 1), "ngày 01 tháng 02 năm 2026"),
        (dt.date(2026, 10, 20), "ngày 20 tháng 10 năm 2026"),
        (dt.date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    ],
)
def test_dates_follow_decree_30(day, expected):
    assert date_words(day) == expected


def test_a_missing_date_leaves_blanks_to_fill():
    assert date_words(None) == "ngày … tháng … năm …"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1_234_567, "1.234.567"),
        (Decimal("850000000.00"), "850.000.000"),
        (-7_650_000, "-7.650.000"),
        (None, ""),
    ],
)
def test_vnd(amount, expected):
    assert vnd(amount) == expected
