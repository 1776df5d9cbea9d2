"""The demo loader: the documented logins, idempotent, and never mixed into real data."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khcn.accounts.models import Agency, Membership, User
from khcn.audit.models import AuditEvent
from khcn.audit.services import verify
from khcn.core.demo import DEMO_PASSWORD, load_demo
from khcn.core.errors import DomainError
from khcn.core.files import blob_path
from khcn.core.models import Attachment, AttachmentVersion, CalendarOverride
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HAI_PHONG_LOGINS = [
    "admin",
    "lanhdao",
    "canbo",
    "chutri",
    *[f"chuyengia{n}" for n in range(1, 10)],
    "doanhnghiep",
]
EXPECTED_ROLES = {"admin": "admin", "lanhdao": "leader", "canbo": "staff", "chutri": "host",
                  "doanhnghiep": "enterprise", "chuyengia1": "expert", "canbo.hn": "staff"}  # fmt: skip


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "agencies": Agency.objects.count(),
        "memberships": Membership.objects.count(),
        "events": AuditEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "versions": AttachmentVersion.objects.count(),
        "calendar_overrides": CalendarOverride.objects.count(),
    }


@pytest.fixture
def demo(db):
    assert load_demo() is True


def test_documented_logins_exist_with_the_demo_password(demo):
    assert DEMO_PASSWORD == "khcn-demo"
    for username in [*HAI_PHONG_LOGINS, "canbo.hn"]:
        user = User.objects.get(username=username)
        assert user.check_password("khcn-demo"), username
        assert user.is_active and user.is_demo
        expected_agency = "hn" if username == "canbo.hn" else "hp"
        assert list(user.memberships.values_list("agency__code", flat=True)) == [expected_agency]


@pytest.mark.parametrize(("username", "role"), EXPECTED_ROLES.items())
def test_demo_roles(demo, username, role):
    assert list(User.objects.get(username=username).memberships.values_list("role", flat=True)) == [
        role
    ]


def test_demo_names_keep_their_diacritics(demo):
    assert User.objects.get(username="canbo").full_name == "Trần Thị Thu Hà"
    assert Agency.objects.get(code="hp").name == "Sở Khoa học và Công nghệ Hải Phòng"


def test_demo_library_has_real_files(demo):
    report = Attachment.objects.get(title="Báo cáo tổng kết công tác KH&CN năm 2022")
    assert report.current_version == 2
    for version in AttachmentVersion.objects.all():
        assert blob_path(version.sha256).read_bytes().startswith(b"%PDF-")


def test_hai_phong_has_its_own_day_off_this_year(demo):
    from khcn.core import clock
    from khcn.core.calendar import calendar_for

    override = CalendarOverride.objects.get()
    year = clock.today().year
    assert (override.agency.code, override.kind, override.date.year) == ("hp", "off", year)
    assert override.legal_document.endswith("của UBND thành phố Hải Phòng")
    assert override.created_by.username == "admin"
    assert not calendar_for(override.agency).is_working_day(override.date)
    assert calendar_for(Agency.objects.get(code="hn")).is_working_day(override.date)


def test_audit_chain_verifies_after_demo_load(demo):
    result = verify()

    assert result.ok
    assert result.checked == AuditEvent.objects.count() > 0


def test_second_run_changes_nothing(demo, media_files):
    before, files_before = counts(), media_files()

    assert load_demo() is False

    assert counts() == before
    assert media_files() == files_before


def test_refuses_a_database_with_real_users(db):
    UserFactory(username="nguoidung.that")

    with pytest.raises(DomainError, match="không phải dữ liệu mẫu"):
        load_demo()

    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()


def test_refuses_even_after_demo_when_real_users_were_added(demo):
    UserFactory(username="nguoidung.that")
    before = counts()

    with pytest.raises(DomainError):
        load_demo()

    assert counts() == before


def test_demo_command_prints_the_logins_and_refuses_real_data(capsys, db):
    call_command("demo")
    out = capsys.readouterr().out
    assert "Đã nạp dữ liệu mẫu." in out
    assert "Trần Thị Thu Hà" in out
    assert "khcn-demo" in out

    call_command("demo")
    assert "Dữ liệu mẫu đã có sẵn; không thay đổi gì." in capsys.readouterr().out

    UserFactory(username="nguoidung.that")
    with pytest.raises(CommandError, match="không phải dữ liệu mẫu"):
        call_command("demo")
