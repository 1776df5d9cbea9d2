"""/api/v1/calendar: public deadline arithmetic and the year's days off, no login needed."""

import datetime as dt

import pytest

from khcn.core.models import CalendarOverride

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def hai_phong_day(agency_a):
    return CalendarOverride.objects.create(
        agency=agency_a,
        date=D(2026, 5, 13),
        kind=CalendarOverride.Kind.OFF,
        name="Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng",
        legal_document="Thông báo 86/TB-UBND ngày 20/4/2026",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date=2026-02-13&days=10", "2026-03-06"),
        ("date=2026-05-15&days=-30", "2026-03-31"),
        ("date=13/02/2026&days=10", "2026-03-06"),
        ("date=2026-02-13&days=0", "2026-02-13"),
        ("date=2026-02-13&days=10&unit=working", "2026-03-06"),
        ("date=2026-02-10&days=7&unit=calendar", "2026-02-23"),
        ("date=2026-02-24&days=-7&unit=calendar", "2026-02-13"),
        ("date=2026-01-01&days=3650", "2040-08-31"),  # the same as holidays.VN computes
    ],
)
def test_add(client, query, expected):
    response = client.get(f"/api/v1/calendar/add?{query}")

    assert response.status_code == 200, response.content
    assert response.json() == {"date": expected}


def test_add_with_an_agency_calendar(client, hai_phong_day, agency_b):
    query = "/api/v1/calendar/add?date=2026-05-12&days=1"

    assert client.get(query + "&agency=hp-test").json() == {"date": "2026-05-14"}
    assert client.get(query + "&agency=hn-test").json() == {"date": "2026-05-13"}
    assert client.get(query).json() == {"date": "2026-05-13"}


def test_unknown_agency_is_404(client, db):
    response = client.get("/api/v1/calendar/add?date=2026-05-12&days=1&agency=khong-co")

    assert response.status_code == 404
    assert response.json() == {"detail": "Không có cơ quan mã “khong-co”."}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "date=2026-02-30&days=1",
            "date",
            "“2026-02-30” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd).",
        ),
        ("date=1989-12-29&days=1", "date", "Năm 1989 nằm ngoài khoảng 1990–2100."),
        ("date=2026-02-13&days=3651", "days", "Số ngày phải trong khoảng -3650 đến 3650."),
        ("date=2026-02-13&days=-3651", "days", "Số ngày phải trong khoảng -3650 đến 3650."),
        (
            "date=2026-02-13&days=1&unit=month",
            "unit",
            "Đơn vị phải là “working” (ngày làm việc) hoặc “calendar”.",
        ),
    ],
)
def test_add_refuses_bad_input_with_422(client, db, query, field, message):
    response = client.get(f"/api/v1/calendar/add?{query}")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Dữ liệu không hợp lệ.",
        "errors": [{"field": field, "message": message}],
    }


def test_add_without_days_is_422(client, db):
    response = client.get("/api/v1/calendar/add?date=2026-02-13")

    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu không hợp lệ."
    assert response.json()["errors"][0]["field"] == "days"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("start=2026-02-13&end=2026-03-06", 10),
        ("start=2026-03-31&end=2026-05-15", 30),
        ("start=2026-03-06&end=2026-02-13", -10),
        ("start=2026-02-13&end=2026-02-13", 0),
        ("start=31/12/2025&end=31/12/2026", 249),
    ],
)
def test_count(client, db, query, expected):
    response = client.get(f"/api/v1/calendar/count?{query}")

    assert response.status_code == 200
    assert response.json() == {"working_days": expected}


def test_count_with_an_agency_and_bad_input(client, hai_phong_day):
    ok = client.get("/api/v1/calendar/count?start=2026-05-12&end=2026-05-14&agency=hp-test")
    assert ok.json() == {"working_days": 1}

    bad = client.get("/api/v1/calendar/count?start=2026-05-12&end=14.05.2026")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {
            "field": "end",
            "message": "“14.05.2026” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd).",
        }
    ]


def test_days_off_of_2026(client, db):
    response = client.get("/api/v1/calendar/days-off?year=2026")

    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    assert [d["date"] for d in body["days_off"]] == [
        "2026-01-01",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
        "2026-11-24",
    ]
    assert body["days_off"][2] == {
        "date": "2026-02-17",
        "name": "Tết Nguyên Đán",
        "source": "law",
        "legal_document": "Bộ luật Lao động 2019, Điều 112",
    }
    assert body["make_up_days"] == [
        {
            "date": "2026-08-22",
            "name": "Làm bù cho ngày nghỉ 31/08/2026",
            "source": "law",
            "legal_document": "Bộ luật Lao động 2019, Điều 112",
        }
    ]


def test_days_off_with_an_agency_override(client, hai_phong_day):
    body = client.get("/api/v1/calendar/days-off?year=2026&agency=hp-test").json()

    assert {
        "date": "2026-05-13",
        "name": "Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng",
        "source": "override",
        "legal_document": "Thông báo 86/TB-UBND ngày 20/4/2026",
    } in body["days_off"]
    assert len(body["days_off"]) == 14


@pytest.mark.parametrize("year", ["1989", "2101"])
def test_days_off_year_out_of_range_is_422(client, db, year):
    response = client.get(f"/api/v1/calendar/days-off?year={year}")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "year", "message": f"Năm {year} nằm ngoài khoảng 1990–2100."}
    ]


def test_documented_under_its_own_tag(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    for path in ("/api/v1/calendar/add", "/api/v1/calendar/count", "/api/v1/calendar/days-off"):
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["Lịch làm việc"]
        assert "security" not in operation  # public: no token needed
