"""The shell: Vietnamese text intact, a menu that follows the roles, Vietnamese error pages."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation

from khcn.accounts.models import Role
from khcn.notifications.models import Kind, Notification
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def menu_labels(response) -> list[str]:
    return [str(entry["label"]) for entry in response.context["menu"]]


def test_home_for_staff_shows_my_work_with_diacritics(client_of, staff_a):
    response = client_of(staff_a).get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Việc của tôi".encode() in response.content
    assert "Xin chào, Trần Thị Thu Hà.".encode() in response.content
    assert "Sở Khoa học và Công nghệ Hải Phòng".encode() in response.content
    assert b'<html lang="vi">' in response.content


def test_home_needs_login(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/"


WORK = [
    "Nhiệm vụ KH&CN",
    "Đợt tuyển chọn",
    "Hội đồng",
    "Cơ sở dữ liệu KH&CN",
    "Hồ sơ TTHC",
    "Hồ sơ xử lý",
    "Quy trình",
]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.STAFF,
            ["Việc của tôi", *WORK, "Tài liệu", "Lịch làm việc", "Mẫu văn bản", "Cơ quan"],
        ),
        (Role.LEADER, ["Việc của tôi", *WORK, "Tài liệu", "Lịch làm việc", "Nhật ký", "Cơ quan"]),
        (
            Role.ADMIN,
            [
                "Việc của tôi",
                *WORK,
                "Tài liệu",
                "Lịch làm việc",
                "Nhật ký",
                "Người dùng",
                "Mẫu văn bản",
                "Cơ quan",
            ],
        ),
        (Role.EXPERT, ["Việc của tôi", "Đợt tuyển chọn"]),
        (
            Role.ENTERPRISE,
            ["Việc của tôi", "Đợt tuyển chọn", "Thủ tục hành chính", "Hồ sơ của tôi"],
        ),
    ],
)
def test_menu_follows_roles(client_of, agency_a, role, expected):
    response = client_of(user_with_role(role, agency_a)).get("/")

    assert menu_labels(response) == expected


def test_menu_links_in_the_page(client_of, staff_a, leader_a):
    client = client_of(leader_a)
    assert b'href="/nhat-ky/"' in client.get("/").content

    client = client_of(staff_a)
    html = client.get("/").content
    assert b'href="/nhat-ky/"' not in html
    assert b'href="/quan-tri/nguoi-dung/"' not in html


def test_admin_sees_users_entry(client_of, admin_a):
    html = client_of(admin_a).get("/").content.decode()

    assert 'href="/quan-tri/nguoi-dung/"' in html
    assert "Người dùng" in html


def test_menu_marks_the_current_page(client_of, staff_a):
    response = client_of(staff_a).get("/tai-lieu/")

    active = [str(e["label"]) for e in response.context["menu"] if e["active"]]
    assert active == ["Tài liệu"]


def test_missing_page_is_a_vietnamese_404(client, settings, db):
    settings.DEBUG = False

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang hoặc dữ liệu" in html
    assert "Về trang chủ" in html


def test_missing_page_for_a_logged_in_user_keeps_the_menu(client_of, staff_a, settings):
    settings.DEBUG = False

    response = client_of(staff_a).get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Việc của tôi" in response.content.decode()


def test_dates_are_dd_mm_yyyy(client_of, staff_a):
    when = dt.datetime(2025, 3, 5, 8, 7, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    note = Notification.objects.create(recipient=staff_a, kind=Kind.SECURITY, title="Họp hội đồng")
    Notification.objects.filter(pk=note.pk).update(created_at=when)

    html = client_of(staff_a).get("/").content.decode()

    assert "05/03/2025 08:07" in html


def test_vietnamese_locale_formats():
    with translation.override("vi"):
        assert formats.date_format(dt.date(2025, 3, 5)) == "05/03/2025"
        assert formats.date_format(dt.date(2025, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2025"
        assert formats.number_format(1234567, use_l10n=True, force_grouping=True) == "1.234.567"


def test_language_can_be_switched_to_english(client_of, staff_a):
    client = client_of(staff_a)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert b'<html lang="en">' in client.get("/").content
