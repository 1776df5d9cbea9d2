"""The working-day calendar: the law's days off, deadline arithmetic, overrides.

Rules: Bộ luật Lao động 2019 Đ112 (days off, swapped days); Bộ luật Dân sự 2015
Đ147 (the first day is not counted) and Đ148 (a period ending on a day off ends
on the next working day). Checked examples from DOMAIN.md §9.
"""

import datetime as dt

import holidays
import pytest
from django.utils import translation

from khcn.core.calendar import (
    DayOff,
    WorkCalendar,
    calendar_for,
    check_year,
    law_is_working_day,
    parse_date,
)
from khcn.core.models import CalendarOverride

pytestmark = pytest.mark.django_db

D = dt.date
LAW_DOCUMENT = "Bộ luật Lao động 2019, Điều 112"

# The official days off on Monday–Friday, as announced for state agencies.
OFFICIAL_DAYS_OFF = {
    2024: [
        (D(2024, 1, 1), "Tết Dương lịch"),
        (D(2024, 2, 8), "29 Tết"),
        (D(2024, 2, 9), "Giao thừa Tết Nguyên Đán"),
        (D(2024, 2, 12), "Mùng ba Tết Nguyên Đán"),
        (D(2024, 2, 13), "Mùng bốn Tết Nguyên Đán"),
        (D(2024, 2, 14), "Mùng năm Tết Nguyên Đán"),
        (D(2024, 4, 18), "Ngày Giỗ Tổ Hùng Vương"),
        (D(2024, 4, 29), "Ngày nghỉ (thay cho ngày 04/05/2024)"),
        (D(2024, 4, 30), "Ngày Chiến thắng"),
        (D(2024, 5, 1), "Ngày Quốc tế Lao động"),
        (D(2024, 9, 2), "Quốc khánh"),
        (D(2024, 9, 3), "Quốc khánh"),
    ],
    2025: [
        (D(2025, 1, 1), "Tết Dương lịch"),
        (D(2025, 1, 27), "29 Tết"),
        (D(2025, 1, 28), "Giao thừa Tết Nguyên Đán"),
        (D(2025, 1, 29), "Tết Nguyên Đán"),
        (D(2025, 1, 30), "Mùng hai Tết Nguyên Đán"),
        (D(2025, 1, 31), "Mùng ba Tết Nguyên Đán"),
        (D(2025, 4, 7), "Ngày Giỗ Tổ Hùng Vương"),
        (D(2025, 4, 30), "Ngày Chiến thắng"),
        (D(2025, 5, 1), "Ngày Quốc tế Lao động"),
        (D(2025, 5, 2), "Ngày nghỉ (thay cho ngày 26/04/2025)"),
        (D(2025, 9, 1), "Quốc khánh"),
        (D(2025, 9, 2), "Quốc khánh"),
    ],
    2026: [
        (D(2026, 1, 1), "Tết Dương lịch"),
        (D(2026, 2, 16), "Giao thừa Tết Nguyên Đán"),
        (D(2026, 2, 17), "Tết Nguyên Đán"),
        (D(2026, 2, 18), "Mùng hai Tết Nguyên Đán"),
        (D(2026, 2, 19), "Mùng ba Tết Nguyên Đán"),
        (D(2026, 2, 20), "Mùng bốn Tết Nguyên Đán"),
        (D(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (D(2026, 4, 30), "Ngày Chiến thắng"),
        (D(2026, 5, 1), "Ngày Quốc tế Lao động"),
        (D(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
        (D(2026, 9, 1), "Quốc khánh"),
        (D(2026, 9, 2), "Quốc khánh"),
        (D(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
    ],
}
# The Saturdays worked in exchange, and the day off each one pays for.
OFFICIAL_MAKE_UP_DAYS = {
    2024: [(D(2024, 5, 4), "Làm bù cho ngày nghỉ 29/04/2024")],
    2025: [(D(2025, 4, 26), "Làm bù cho ngày nghỉ 02/05/2025")],
    2026: [(D(2026, 8, 22), "Làm bù cho ngày nghỉ 31/08/2026")],
}


@pytest.fixture
def national():
    return calendar_for(None)


def override(agency, day: dt.date, kind: str, name: str = "Thông báo bổ sung") -> CalendarOverride:
    """Straight into the table: these tests are about reading, not the service's rules."""
    return CalendarOverride.objects.create(
        agency=agency, date=day, kind=kind, name=name, legal_document="Thông báo 1/TB-BNV"
    )


# --- the law's days -----------------------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(OFFICIAL_DAYS_OFF))
def test_official_days_off_of_the_year(national, year):
    days = national.days_off(year)

    assert [(d.date, d.name) for d in days] == OFFICIAL_DAYS_OFF[year]
    assert {d.source for d in days} == {"law"}
    assert {d.legal_document for d in days} == {LAW_DOCUMENT}
    for day, _name in OFFICIAL_DAYS_OFF[year]:
        assert not national.is_working_day(day), day


@pytest.mark.parametrize("year", sorted(OFFICIAL_MAKE_UP_DAYS))
def test_official_make_up_saturdays(national, year):
    days = national.make_up_days(year)

    assert [(d.date, d.name) for d in days] == OFFICIAL_MAKE_UP_DAYS[year]
    assert all(d.date.weekday() == 5 for d in days)
    assert all(national.is_working_day(d.date) for d in days)


def test_tet_2026_is_nine_days_in_a_row(national):
    """Sat 14/2 to Sun 22/2/2026: five days of Tết between two weekends."""
    tet = [D(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)]

    assert [national.is_working_day(d) for d in tet] == [False] * 9
    assert national.is_working_day(D(2026, 2, 13))
    assert national.is_working_day(D(2026, 2, 23))


def test_ordinary_days(national):
    assert national.is_working_day(D(2026, 3, 4))  # Wednesday
    assert not national.is_working_day(D(2026, 3, 7))  # Saturday
    assert not national.is_working_day(D(2026, 3, 8))  # Sunday


def test_a_holiday_on_a_sunday_is_not_listed_but_its_observed_day_is(national):
    assert not national.is_working_day(D(2026, 4, 26))  # Giỗ Tổ on a Sunday
    listed = [d.date for d in national.days_off(2026)]
    assert D(2026, 4, 26) not in listed and D(2026, 4, 27) in listed


def test_law_holiday_names_follow_the_interface_language(national):
    with translation.override("en"):
        names = {d.date: d.name for d in calendar_for(None).days_off(2026)}
    assert names[D(2026, 1, 1)] == "New Year's Day"
    assert names[D(2026, 2, 17)] == "Lunar New Year"


def test_describe_names_the_day(national):
    assert national.describe(D(2026, 2, 17)) == DayOff(
        D(2026, 2, 17), "Tết Nguyên Đán", "law", LAW_DOCUMENT
    )
    assert national.describe(D(2024, 5, 4)).name == "Làm bù cho ngày nghỉ 29/04/2024"
    assert national.describe(D(2026, 3, 4)) is None


# --- adding working days (BLDS 2015 Đ147) ---------------------------------------------------------


def test_domain_examples(national):
    assert national.add_working_days(D(2026, 2, 13), 10) == D(2026, 3, 6)
    assert national.add_working_days(D(2026, 5, 15), -30) == D(2026, 3, 31)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 2, 7), 1, D(2024, 2, 15)),  # Tết 2024: 8–14/2
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # Tết 2025: 25/1–2/2
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # Tết 2026: 14–22/2
        (D(2026, 2, 23), -1, D(2026, 2, 13)),  # and back over it
        (D(2026, 2, 10), 5, D(2026, 2, 24)),  # 11, 12, 13, 23, 24
        (D(2026, 2, 17), 1, D(2026, 2, 23)),  # starting on a day off
        (D(2026, 2, 17), -1, D(2026, 2, 13)),
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday -> Monday
        (D(2026, 3, 7), 1, D(2026, 3, 9)),  # Saturday: the day itself is not counted
        (D(2025, 12, 31), 1, D(2026, 1, 2)),  # over New Year's Day
        (D(2026, 1, 2), -1, D(2025, 12, 31)),
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
        (D(2024, 5, 3), 1, D(2024, 5, 4)),  # the make-up Saturday is a working day
        (D(2024, 5, 6), -1, D(2024, 5, 4)),
        (D(2024, 4, 26), 1, D(2024, 5, 2)),  # 27/4–1/5/2024 off (29/4 swapped)
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),  # 29/8–2/9/2026 off
        (D(2026, 3, 4), 250, D(2027, 3, 5)),  # over a whole year and Tết 2027 (4–10/2)
    ],
)
def test_add_working_days(national, start, n, expected):
    assert national.add_working_days(start, n) == expected


def test_zero_days_is_the_day_itself_even_a_day_off(national):
    assert national.add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)


def test_adding_and_counting_agree(national):
    """count(d, add(d, n)) == n, and from a working day add(add(d, n), -n) == d."""
    day = D(2023, 12, 20)
    while day < D(2027, 1, 10):
        for n in (1, 7, 22, 60):
            later = national.add_working_days(day, n)
            earlier = national.add_working_days(day, -n)
            assert national.count_working_days(day, later) == n, (day, n)
            assert national.count_working_days(day, earlier) == -n + (
                0 if national.is_working_day(day) else 1
            ), (day, n)
            if national.is_working_day(day):
                assert national.add_working_days(later, -n) == day, (day, n)
        day += dt.timedelta(days=3)


def test_agrees_with_the_holidays_package_own_arithmetic(national):
    """An independent oracle: `holidays` counts the same way (first day excluded)."""
    vn = holidays.VN(years=range(2023, 2029), language="vi")
    day = D(2024, 1, 1)
    while day < D(2027, 1, 1):
        for n in (1, 10, -10, 30, -30, 120):
            assert national.add_working_days(day, n) == vn.get_nth_working_day(day, n), (day, n)
        later = day + dt.timedelta(days=75)
        # holidays counts the closed interval [start, end]; ours is (start, end]
        expected = vn.get_working_days_count(day + dt.timedelta(days=1), later)
        assert national.count_working_days(day, later) == expected, day
        day += dt.timedelta(days=5)


# --- counting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 2, 13), D(2026, 3, 6), 10),
        (D(2026, 3, 31), D(2026, 5, 15), 30),
        (D(2026, 2, 13), D(2026, 2, 23), 1),  # only Monday 23/2: Tết and weekends in between
        (D(2026, 2, 13), D(2026, 2, 22), 0),
        (D(2026, 3, 4), D(2026, 3, 4), 0),
        (D(2026, 3, 6), D(2026, 2, 13), -10),
        (D(2024, 5, 3), D(2024, 5, 6), 2),  # the make-up Saturday 4/5 and Monday 6/5
        (D(2025, 12, 31), D(2026, 12, 31), 249),  # 261 weekdays - 13 days off + 1 Saturday
        (D(2023, 12, 31), D(2024, 12, 31), 251),  # 262 - 12 + 1
    ],
)
def test_count_working_days(national, a, b, expected):
    assert national.count_working_days(a, b) == expected


def test_counts_add_up(national):
    a, b, c = D(2025, 11, 3), D(2026, 2, 17), D(2026, 9, 30)
    assert national.count_working_days(a, b) + national.count_working_days(
        b, c
    ) == national.count_working_days(a, c)
    assert national.count_working_days(c, a) == -national.count_working_days(a, c)


# --- calendar days and months (BLDS 2015 Đ148) ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 10), 7, D(2026, 2, 23)),  # lands on Tết -> the next working day
        (D(2026, 2, 24), -7, D(2026, 2, 13)),  # backwards: the previous working day
        (D(2026, 3, 2), 3, D(2026, 3, 5)),  # a working day stays
        (D(2026, 3, 2), 5, D(2026, 3, 9)),  # Saturday -> Monday
        (D(2026, 3, 16), -8, D(2026, 3, 6)),  # Sunday -> Friday
        (D(2026, 8, 21), 1, D(2026, 8, 22)),  # the make-up Saturday is worked
        (D(2026, 2, 17), 0, D(2026, 2, 23)),
        (D(2026, 1, 1), 365, D(2027, 1, 4)),  # 1/1/2027 is a Friday holiday
    ],
)
def test_add_calendar_days(national, start, n, expected):
    assert national.add_calendar_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year, a Thursday
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # a Friday
        (D(2026, 1, 31), 1, D(2026, 3, 2)),  # 28/2/2026 is a Saturday -> Monday
        (D(2026, 3, 31), -1, D(2026, 2, 27)),  # backwards: 28/2 -> Friday 27/2
        (D(2025, 4, 30), 12, D(2026, 5, 4)),  # 30/4, 1/5 off, then the weekend
        (D(2026, 5, 15), -3, D(2026, 2, 13)),  # 15/2/2026 is in Tết -> back to 13/2
        (D(2026, 8, 31), 6, D(2027, 3, 1)),  # 28/2/2027 is a Sunday
        (D(2026, 3, 4), 0, D(2026, 3, 4)),
    ],
)
def test_add_months(national, start, n, expected):
    assert national.add_months(start, n) == expected


# --- overrides -----------------------------------------------------------------------------------


def test_national_override_applies_to_every_agency(agency_a, agency_b):
    override(None, D(2026, 1, 2), CalendarOverride.Kind.OFF, "Nghỉ bù Tết Dương lịch")

    for cal in (calendar_for(None), calendar_for(agency_a), calendar_for(agency_b)):
        assert not cal.is_working_day(D(2026, 1, 2))
        assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    listed = calendar_for(agency_a).days_off(2026)
    assert listed[1] == DayOff(
        D(2026, 1, 2), "Nghỉ bù Tết Dương lịch", "override", "Thông báo 1/TB-BNV"
    )


def test_agency_override_applies_to_that_agency_only(agency_a, agency_b):
    override(agency_a, D(2026, 5, 13), CalendarOverride.Kind.OFF, "Ngày Giải phóng Hải Phòng")

    assert not calendar_for(agency_a).is_working_day(D(2026, 5, 13))
    assert calendar_for(agency_b).is_working_day(D(2026, 5, 13))
    assert calendar_for(None).is_working_day(D(2026, 5, 13))
    assert calendar_for(agency_a).count_working_days(D(2026, 5, 12), D(2026, 5, 14)) == 1


def test_agency_override_wins_over_national_which_wins_over_the_law(agency_a, agency_b):
    # the government moves a day off; one province keeps working that day
    override(None, D(2026, 1, 2), CalendarOverride.Kind.OFF)
    override(agency_a, D(2026, 1, 2), CalendarOverride.Kind.WORKING, "Trực Tết")
    # the national table makes a Saturday a working day; agency B cancels it for itself
    override(None, D(2026, 1, 10), CalendarOverride.Kind.WORKING, "Làm bù cho ngày 02/01")
    override(agency_b, D(2026, 1, 10), CalendarOverride.Kind.OFF, "Không làm bù")
    # agency A works on a day off by law
    override(agency_a, D(2026, 11, 24), CalendarOverride.Kind.WORKING, "Làm việc")

    a, b, country = calendar_for(agency_a), calendar_for(agency_b), calendar_for(None)
    assert [a.is_working_day(D(2026, 1, 2)), b.is_working_day(D(2026, 1, 2))] == [True, False]
    assert [a.is_working_day(D(2026, 1, 10)), b.is_working_day(D(2026, 1, 10))] == [True, False]
    assert country.is_working_day(D(2026, 1, 10)) and not country.is_working_day(D(2026, 1, 2))
    assert a.is_working_day(D(2026, 11, 24)) and not b.is_working_day(D(2026, 11, 24))
    assert [d.date for d in a.make_up_days(2026)] == [D(2026, 1, 10), D(2026, 8, 22)]
    assert a.make_up_days(2026)[0].source == "override"
    # B's cancelled Saturday is listed as its day off; 2/1 is listed from the national table
    assert [(d.date, d.source) for d in b.days_off(2026)][:3] == [
        (D(2026, 1, 1), "law"),
        (D(2026, 1, 2), "override"),
        (D(2026, 1, 10), "override"),
    ]


def test_cancelling_a_law_make_up_saturday(agency_a):
    override(agency_a, D(2026, 8, 22), CalendarOverride.Kind.OFF, "Không làm bù")

    cal = calendar_for(agency_a)
    assert not cal.is_working_day(D(2026, 8, 22))
    assert cal.make_up_days(2026) == []


def test_calendar_for_accepts_an_agency_its_id_or_none(agency_a):
    override(agency_a, D(2026, 5, 13), CalendarOverride.Kind.OFF)

    assert calendar_for(agency_a).agency_id == agency_a.pk
    assert not calendar_for(agency_a.pk).is_working_day(D(2026, 5, 13))
    assert calendar_for().agency_id is None


def test_one_query_per_calendar_then_none(agency_a, django_assert_num_queries):
    override(None, D(2026, 1, 2), CalendarOverride.Kind.OFF)
    override(agency_a, D(2026, 5, 13), CalendarOverride.Kind.OFF)

    with django_assert_num_queries(1):
        cal = calendar_for(agency_a)
    with django_assert_num_queries(0):
        for i in range(2000):
            start = D(2024, 1, 1) + dt.timedelta(days=i % 900)
            cal.add_working_days(start, 30)
            cal.add_working_days(start, -30)
            cal.count_working_days(start, start + dt.timedelta(days=90))
            cal.add_calendar_days(start, 45)
            cal.add_months(start, 2)
        cal.days_off(2026)
        cal.make_up_days(2026)
    assert isinstance(cal, WorkCalendar)


def test_a_datetime_is_refused(national):
    with pytest.raises(TypeError):
        national.add_working_days(dt.datetime(2026, 2, 13, 9, 0), 1)
    with pytest.raises(TypeError):
        national.is_working_day("2026-02-13")


def test_law_alone_ignores_overrides(agency_a):
    override(None, D(2026, 1, 2), CalendarOverride.Kind.OFF)

    assert law_is_working_day(D(2026, 1, 2))
    assert not law_is_working_day(D(2026, 2, 17))
    assert law_is_working_day(D(2026, 8, 22))


# --- input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-13", D(2026, 2, 13)),
        ("13/02/2026", D(2026, 2, 13)),
        ("3/2/2026", D(2026, 2, 3)),
        (" 2026-02-13 ", D(2026, 2, 13)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2026", "“31/02/2026” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd)."),
        ("02/13/2026", "“02/13/2026” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd)."),
        ("", "“” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd)."),
        ("1989-12-31", "Năm 1989 nằm ngoài khoảng 1990–2100."),
        ("01/01/2101", "Năm 2101 nằm ngoài khoảng 1990–2100."),
    ],
)
def test_parse_date_refuses_with_a_vietnamese_message(text, message):
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value) == message


def test_check_year_bounds():
    assert check_year(1990) == 1990 and check_year(2100) == 2100
    with pytest.raises(ValueError):
        check_year(2101)
