"""The year calendar page and the administrators' pages for days off and make-up days."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from khcn.accounts.models import Agency, Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.core import clock
from khcn.core.models import CalendarOverride
from tests.factories import AgencyFactory, user_with_role

pytestmark = pytest.mark.django_db

D = dt.date
OFF, WORKING = CalendarOverride.Kind.OFF, CalendarOverride.Kind.WORKING
DOCUMENT = "Thông báo 86/TB-UBND ngày 20/4/2026 của UBND thành phố Hải Phòng"


@pytest.fixture(autouse=True)
def in_2026(monkeypatch):
    moment = dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def hai_phong_day(agency_a):
    return CalendarOverride.objects.create(
        agency=agency_a,
        date=D(2026, 5, 13),
        kind=OFF,
        name="Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng",
        legal_document=DOCUMENT,
    )


@pytest.fixture
def national_day(db):
    return CalendarOverride.objects.create(
        agency=None,
        date=D(2026, 1, 2),
        kind=OFF,
        name="Nghỉ bù Tết Dương lịch",
        legal_document="Thông báo 6150/TB-BNV ngày 14/11/2025",
    )


def calendar_events() -> list[int]:
    """Actions of the calendar's audit events (logging in is recorded too)."""
    codes = [
        AuditAction.CALENDAR_OVERRIDE_CREATED,
        AuditAction.CALENDAR_OVERRIDE_UPDATED,
        AuditAction.CALENDAR_OVERRIDE_DELETED,
    ]
    return list(
        AuditEvent.objects.filter(action__in=codes).order_by("seq").values_list("action", flat=True)
    )


def text(response) -> str:
    return response.content.decode()


def cell(html: str, title_start: str) -> str:
    """The class of the grid cell whose tooltip starts with `title_start`."""
    found = re.search(r'<td class="([^"]*)" title="' + re.escape(title_start), html)
    assert found, title_start
    return found.group(1)


# --- the year page -----------------------------------------------------------------------------------


def test_year_page_shows_the_current_year(client_of, staff_a):
    response = client_of(staff_a).get("/lich-lam-viec/")

    assert response.status_code == 200
    html = text(response)
    assert "Lịch làm việc năm 2026" in html
    assert 'href="?nam=2025"' in html and 'href="?nam=2027"' in html
    assert len(response.context["months"]) == 12
    assert "Tháng 12" in html and '<th scope="col">T2</th>' in html
    assert response.context["working_days"] == 249


def test_year_page_marks_days_off_weekends_and_make_up_days(client_of, staff_a):
    html = text(client_of(staff_a).get("/lich-lam-viec/?nam=2026"))

    assert cell(html, "Thứ Ba, 17/02/2026") == "cal-off"
    assert 'title="Thứ Ba, 17/02/2026 – Tết Nguyên Đán"' in html
    assert cell(html, "Thứ Bảy, 07/03/2026") == "cal-weekend"
    assert cell(html, "Thứ Bảy, 22/08/2026") == "cal-makeup"
    assert 'title="Thứ Bảy, 22/08/2026 – Làm bù cho ngày nghỉ 31/08/2026"' in html
    assert cell(html, "Thứ Sáu, 20/11/2026") == "cal-today"
    # the table below: every day off and make-up day with its source
    assert "16/02/2026" in html and "Giao thừa Tết Nguyên Đán" in html
    assert "Bộ luật Lao động 2019, Điều 112" in html
    rows = [
        row["entry"].date for row in (client_of(staff_a).get("/lich-lam-viec/").context["rows"])
    ]
    assert rows[:2] == [D(2026, 1, 1), D(2026, 2, 16)] and D(2026, 8, 22) in rows


def test_year_page_uses_the_agency_calendar(client_of, staff_a, staff_b, hai_phong_day):
    mine = text(client_of(staff_a).get("/lich-lam-viec/?nam=2026"))
    assert cell(mine, "Thứ Tư, 13/05/2026") == "cal-off cal-override"
    assert "Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng" in mine and DOCUMENT in mine

    theirs = text(client_of(staff_b).get("/lich-lam-viec/?nam=2026"))
    assert "Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng" not in theirs
    assert 'title="Thứ Tư, 13/05/2026"' in theirs


def test_another_year(client_of, staff_a):
    response = client_of(staff_a).get("/lich-lam-viec/?nam=2024")

    html = text(response)
    assert "Lịch làm việc năm 2024" in html and "Năm nay" in html
    assert cell(html, "Thứ Bảy, 04/05/2024") == "cal-makeup"
    assert response.context["working_days"] == 251


@pytest.mark.parametrize("value", ["abc", "1800", "20260"])
def test_bad_year_shows_the_current_one_with_a_notice(client_of, staff_a, value):
    response = client_of(staff_a).get(f"/lich-lam-viec/?nam={value}")

    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert "không hợp lệ (chỉ từ 1990 đến 2100); đang hiển thị năm 2026." in text(response)


def test_admins_get_a_link_to_the_admin_page(client_of, staff_a, admin_a):
    assert "/quan-tri/lich-nghi/" not in text(client_of(staff_a).get("/lich-lam-viec/"))
    assert 'href="/quan-tri/lich-nghi/?nam=2026"' in text(client_of(admin_a).get("/lich-lam-viec/"))


def test_menu_entry_for_department_people(client_of, staff_a, agency_a):
    labels = [str(e["label"]) for e in client_of(staff_a).get("/").context["menu"]]
    assert "Lịch làm việc" in labels

    expert = user_with_role(Role.EXPERT, agency_a)
    labels = [str(e["label"]) for e in client_of(expert).get("/").context["menu"]]
    assert "Lịch làm việc" not in labels


def test_year_page_needs_login_and_a_department_role(client, client_of, agency_a):
    assert client.get("/lich-lam-viec/")["Location"] == "/dang-nhap/?next=/lich-lam-viec/"
    expert = user_with_role(Role.EXPERT, agency_a)
    assert client_of(expert).get("/lich-lam-viec/").status_code == 403


# --- administrators: list, create, edit, delete --------------------------------------------------


def test_list_shows_own_and_national_entries(client_of, admin_a, hai_phong_day, national_day):
    response = client_of(admin_a).get("/quan-tri/lich-nghi/?nam=2026")

    html = text(response)
    assert response.status_code == 200
    assert "13/05/2026" in html and "Nghỉ bù Tết Dương lịch" in html
    # the national entry is shown but only the agency's own can be edited
    assert f'href="/quan-tri/lich-nghi/{hai_phong_day.pk}/"' in html
    assert f'href="/quan-tri/lich-nghi/{national_day.pk}/"' not in html


def test_list_of_another_year_is_empty(client_of, admin_a, hai_phong_day):
    html = text(client_of(admin_a).get("/quan-tri/lich-nghi/?nam=2025"))

    assert "Năm 2025 chưa có ngày nghỉ hay ngày làm bù bổ sung" in html


def test_create_through_the_form(client_of, admin_a, agency_a):
    client = client_of(admin_a)
    form = client.get("/quan-tri/lich-nghi/moi/")
    assert form.status_code == 200
    assert 'placeholder="dd/mm/yyyy"' in text(form)

    response = client.post(
        "/quan-tri/lich-nghi/moi/",
        {
            "scope": str(agency_a.pk),
            "date": "13/05/2026",
            "kind": "off",
            "name": "Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng",
            "legal_document": DOCUMENT,
            "note": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/quan-tri/lich-nghi/?nam=2026"
    override = CalendarOverride.objects.get()
    assert (override.agency, override.date, override.created_by) == (
        agency_a,
        D(2026, 5, 13),
        admin_a,
    )
    assert calendar_events() == [AuditAction.CALENDAR_OVERRIDE_CREATED]
    page = text(client.get(response["Location"]))
    assert "Đã thêm 13/05/2026 – Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng." in page


def valid(agency, **changes) -> dict:
    return {
        "scope": str(agency.pk),
        "date": "13/05/2026",
        "kind": "off",
        "name": "Nghỉ kỷ niệm",
        "legal_document": DOCUMENT,
        "note": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "31/02/2026"}, "Ngày phải có dạng dd/mm/yyyy, ví dụ 02/01/2026."),
        ({"date": "13-05-2026"}, "Ngày phải có dạng dd/mm/yyyy, ví dụ 02/01/2026."),
        ({"date": ""}, "Hãy nhập ngày."),
        ({"date": "13/05/2200"}, "Năm phải trong khoảng 1990–2100."),
        ({"legal_document": ""}, "Hãy ghi văn bản công bố ngày này."),
        ({"name": ""}, "Hãy nhập tên ngày."),
        (
            {"date": "17/02/2026"},
            "Ngày 17/02/2026 đã là ngày nghỉ (Tết Nguyên Đán); không cần thêm ngày nghỉ.",
        ),
        (
            {"kind": "working"},
            "Ngày 13/05/2026 vốn đã là ngày làm việc; không cần thêm ngày làm bù.",
        ),
    ],
)
def test_wrong_input_shows_a_vietnamese_error_and_changes_nothing(
    client_of, admin_a, agency_a, changes, message
):
    response = client_of(admin_a).post("/quan-tri/lich-nghi/moi/", valid(agency_a, **changes))

    assert response.status_code == 200
    assert message in text(response)
    assert 'class="invalid-feedback d-block"' in text(response)
    assert not CalendarOverride.objects.exists()
    assert calendar_events() == []


def test_duplicate_through_the_form(client_of, admin_a, agency_a, hai_phong_day):
    response = client_of(admin_a).post("/quan-tri/lich-nghi/moi/", valid(agency_a))

    assert response.status_code == 200
    assert "Ngày 13/05/2026 đã có trong lịch của Sở KH&amp;CN HP" in text(response)
    assert CalendarOverride.objects.count() == 1


def test_an_admin_cannot_pick_another_agency(client_of, admin_a, agency_b):
    response = client_of(admin_a).post("/quan-tri/lich-nghi/moi/", valid(agency_b))

    assert response.status_code == 200
    assert response.context["form"].errors["scope"]
    assert not CalendarOverride.objects.exists()


def test_national_choice_only_for_the_ministry(client_of, admin_a):
    assert 'value="national"' not in text(client_of(admin_a).get("/quan-tri/lich-nghi/moi/"))
    response = client_of(admin_a).post(
        "/quan-tri/lich-nghi/moi/", {**valid(Agency(pk=0)), "scope": "national"}
    )
    assert response.context["form"].errors["scope"]

    ministry = AgencyFactory(code="bo-test", kind=Agency.Kind.MINISTRY)
    ministry_admin = user_with_role(Role.ADMIN, ministry)
    client = client_of(ministry_admin)
    assert 'value="national"' in text(client.get("/quan-tri/lich-nghi/moi/"))
    response = client.post(
        "/quan-tri/lich-nghi/moi/",
        {**valid(ministry), "scope": "national", "date": "02/01/2026", "name": "Nghỉ bù"},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get().agency is None


def test_edit_through_the_form(client_of, admin_a, hai_phong_day):
    client = client_of(admin_a)
    page = text(client.get(f"/quan-tri/lich-nghi/{hai_phong_day.pk}/"))
    assert 'value="13/05/2026"' in page
    assert 'name="scope"' not in page  # the agency stays

    response = client.post(
        f"/quan-tri/lich-nghi/{hai_phong_day.pk}/",
        {"date": "14/05/2026", "kind": "off", "name": "Nghỉ lễ hội", "legal_document": DOCUMENT},
    )

    assert response.status_code == 302
    hai_phong_day.refresh_from_db()
    assert (hai_phong_day.date, hai_phong_day.name) == (D(2026, 5, 14), "Nghỉ lễ hội")
    assert calendar_events() == [AuditAction.CALENDAR_OVERRIDE_UPDATED]


def test_wrong_edit_changes_nothing(client_of, admin_a, hai_phong_day):
    response = client_of(admin_a).post(
        f"/quan-tri/lich-nghi/{hai_phong_day.pk}/",
        {"date": "14/5/26x", "kind": "off", "name": "Nghỉ lễ hội", "legal_document": DOCUMENT},
    )

    assert response.status_code == 200
    assert "Ngày phải có dạng dd/mm/yyyy, ví dụ 02/01/2026." in text(response)
    hai_phong_day.refresh_from_db()
    assert (hai_phong_day.date, hai_phong_day.name) == (
        D(2026, 5, 13),
        "Nghỉ kỷ niệm Ngày Giải phóng Hải Phòng",
    )
    assert calendar_events() == []


def test_delete_asks_first(client_of, admin_a, hai_phong_day):
    client = client_of(admin_a)
    url = f"/quan-tri/lich-nghi/{hai_phong_day.pk}/xoa/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Xóa ngày <strong>13/05/2026</strong>" in text(confirm)
    assert CalendarOverride.objects.exists()

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/quan-tri/lich-nghi/?nam=2026"
    assert not CalendarOverride.objects.exists()
    assert calendar_events() == [AuditAction.CALENDAR_OVERRIDE_DELETED]


# --- who may not ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/quan-tri/lich-nghi/", "/quan-tri/lich-nghi/moi/"])
def test_staff_may_not_open_the_admin_pages(client_of, staff_a, url):
    assert client_of(staff_a).get(url).status_code == 403


@pytest.mark.parametrize("suffix", ["", "xoa/"])
def test_another_agency_entry_is_404(client_of, admin_b, hai_phong_day, suffix):
    client = client_of(admin_b)
    url = f"/quan-tri/lich-nghi/{hai_phong_day.pk}/{suffix}"

    assert client.get(url).status_code == 404
    assert client.post(url, {"date": "14/05/2026", "kind": "off", "name": "x",
                             "legal_document": "y"}).status_code == 404  # fmt: skip
    hai_phong_day.refresh_from_db()
    assert hai_phong_day.date == D(2026, 5, 13)


@pytest.mark.parametrize("suffix", ["", "xoa/"])
def test_own_staff_and_department_admins_get_403(
    client_of, staff_a, admin_a, hai_phong_day, national_day, suffix
):
    assert (
        client_of(staff_a).post(f"/quan-tri/lich-nghi/{hai_phong_day.pk}/{suffix}").status_code
        == 403
    )
    assert (
        client_of(admin_a).post(f"/quan-tri/lich-nghi/{national_day.pk}/{suffix}").status_code
        == 403
    )
    assert CalendarOverride.objects.count() == 2


def test_missing_entry_is_404(client_of, admin_a):
    assert client_of(admin_a).get("/quan-tri/lich-nghi/987654/").status_code == 404
