"""The demo loader: the documented logins, idempotent, and never mixed into real data.

Loading the demo walks about a hundred S&T tasks through the services, so it is loaded once
for this module (`demo_db`, module scope, inside a transaction rolled back at the end); each
test runs in a savepoint of it. The one test that needs an empty database comes first.
"""

import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings

from khcn.accounts.models import Agency, Membership, User
from khcn.audit.models import AuditEvent
from khcn.audit.services import verify
from khcn.core import clock
from khcn.core.calendar import calendar_for
from khcn.core.demo import DEMO_PASSWORD, load_demo
from khcn.core.errors import DomainError
from khcn.core.files import blob_path
from khcn.core.models import Attachment, AttachmentVersion, CalendarOverride
from khcn.councils.models import Ballot, Council, CouncilMember
from khcn.projects.models import BudgetLine, Kind, Programme, Project, identity_key
from khcn.projects.selectors import year_figures
from khcn.web.inbox import work_items
from khcn.workflow.loader import current_version
from khcn.workflow.models import Deadline, ProcessEvent
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


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once by `khcn demo` (its output is the fixture's value), with files
    under a media root of this module; rolled back when the module is done."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_db, settings):
    """A test on the loaded demo; files stay where the demo put them."""
    from django.conf import settings as live

    settings.MEDIA_ROOT = live.MEDIA_ROOT
    return demo_db


@pytest.fixture
def _isolated_settings(settings, request):
    """As tests/conftest.py, but a test on the demo keeps the demo's media root."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if "demo" not in request.fixturenames and "demo_db" not in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("tmp_path") / "media"


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


def media_under(root) -> list[Path]:
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# -- first, on an empty database (before the module's demo is loaded) -----------------------------


def test_refuses_a_database_with_real_users(db):
    UserFactory(username="nguoidung.that")

    with pytest.raises(DomainError, match="không phải dữ liệu mẫu"):
        load_demo()

    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()


# -- on the demo ------------------------------------------------------------------------------------


def test_demo_command_prints_the_logins_and_refuses_real_data(demo, capsys):
    assert "Đã nạp dữ liệu mẫu." in demo
    assert "Trần Thị Thu Hà" in demo
    assert "khcn-demo" in demo

    call_command("demo")
    assert "Dữ liệu mẫu đã có sẵn; không thay đổi gì." in capsys.readouterr().out

    UserFactory(username="nguoidung.that")
    with pytest.raises(CommandError, match="không phải dữ liệu mẫu"):
        call_command("demo")


def test_documented_logins_exist_with_the_demo_password(demo):
    assert DEMO_PASSWORD == "khcn-demo"
    for username in [*HAI_PHONG_LOGINS, "canbo.hn"]:
        user = User.objects.get(username=username)
        assert user.check_password("khcn-demo"), username
        assert user.is_active and user.is_demo
        expected_agency = "hn" if username == "canbo.hn" else "hp"
        assert list(user.memberships.values_list("agency__code", flat=True)) == [expected_agency]


def test_demo_roles(demo):
    for username, role in EXPECTED_ROLES.items():
        roles = list(User.objects.get(username=username).memberships.values_list("role", flat=True))
        assert roles == [role], username


def test_the_tasks_people_are_demo_users_with_the_demo_password(demo):
    # host contacts, extra experts (Hải Phòng and Hà Nội) and an ordering agency's contact
    for username, role, agency in [
        ("chutri.hanghai", "host", "hp"),
        ("chutri.dap", "host", "hp"),
        ("chuyengia14", "expert", "hp"),
        ("chuyengia.hn1", "expert", "hn"),
        ("chutri.thuyloi", "host", "hn"),
        ("dathang", "public", "hp"),
    ]:
        user = User.objects.get(username=username)
        assert user.is_demo and user.check_password("khcn-demo"), username
        assert list(user.memberships.values_list("agency__code", "role")) == [(agency, role)]


def test_demo_names_keep_their_diacritics(demo):
    assert User.objects.get(username="canbo").full_name == "Trần Thị Thu Hà"
    assert Agency.objects.get(code="hp").name == "Sở Khoa học và Công nghệ Hải Phòng"


def test_demo_library_has_real_files(demo):
    report = Attachment.objects.get(title="Báo cáo tổng kết công tác KH&CN năm 2022")
    assert report.current_version == 2
    for version in AttachmentVersion.objects.filter(extension="pdf"):
        assert blob_path(version.sha256).read_bytes().startswith(b"%PDF-")
    for version in AttachmentVersion.objects.filter(extension="docx")[:20]:
        assert blob_path(version.sha256).read_bytes().startswith(b"PK")  # generated documents


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


def test_second_run_changes_nothing(demo, settings):
    before, files_before = counts(), media_under(settings.MEDIA_ROOT)

    assert load_demo() is False

    assert counts() == before
    assert media_under(settings.MEDIA_ROOT) == files_before


def test_refuses_even_after_demo_when_real_users_were_added(demo):
    UserFactory(username="nguoidung.that")
    before = counts()

    with pytest.raises(DomainError):
        load_demo()

    assert counts() == before


# --- the S&T tasks of the demo (same demo load as above) -------------------------------------

# States of vn-2013 no Hải Phòng task of the demo is in, with the reason. None: every step of
# the rule set has a task waiting in it, including the ends of both branches (closed, and
# liquidated after a failure with the refund set).
INTENTIONALLY_ABSENT: dict[str, str] = {}


def hp() -> Agency:
    return Agency.objects.get(code="hp")


def test_hai_phong_2022_figures_match_the_report(demo):
    # seed 004: "47 nhiệm vụ được phê duyệt, 30 triển khai, 19 nghiệm thu"
    assert year_figures(agency=hp(), year=2022) == {"approved": 47, "deployed": 30, "accepted": 19}
    # those accepted in 2022 were approved in 2020–2021; 17 of the 47 started in 2023
    accepted = ProcessEvent.objects.filter(
        process__agency=hp(), action="rate_pass", at__year=2022
    ).values("process")
    approvals = ProcessEvent.objects.filter(process__in=accepted, action="approve")
    assert {e.at.year for e in approvals} == {2020, 2021}
    approved = ProcessEvent.objects.filter(
        process__agency=hp(), action="approve", at__year=2022
    ).values("process")
    starts = Counter(
        e.at.year for e in ProcessEvent.objects.filter(process__in=approved, action="start")
    )
    assert starts == {2022: 30, 2023: 17}


def test_every_state_of_the_rule_set_is_represented(demo):
    states = set(current_version("vn-2013").rules.states)
    present = set(Project.objects.filter(agency=hp()).values_list("process__state", flat=True))
    assert states - present == set(INTENTIONALLY_ABSENT)
    assert present <= states


def test_the_intellectual_property_programme_has_six_projects(demo):
    programme = Programme.objects.get(agency=hp())
    assert "tài sản trí tuệ" in programme.name and (programme.start_year, programme.end_year) == (
        2021,
        2025,
    )
    titles = list(programme.projects.values_list("title", flat=True))
    assert len(titles) == 6
    assert sum("nhãn hiệu tập thể" in t for t in titles) >= 2
    assert sum("nhãn hiệu chứng nhận" in t for t in titles) >= 2
    assert any("chỉ dẫn địa lý" in t for t in titles)
    assert any("Nước mắm Cát Hải" in t for t in titles)
    # at different steps: finished, recognised, running
    states = set(programme.projects.values_list("process__state", flat=True))
    assert {"IN_PROGRESS", "RECOGNISED"} <= states and states & {"CLOSED", "APPLICATION_MONITORING"}


def test_the_phosphogypsum_pilot_project_is_at_its_acceptance(demo):
    pilot = Project.objects.get(agency=hp(), title__contains="thạch cao phospho")
    assert pilot.kind == Kind.PILOT and pilot.host_org == "Công ty CP DAP – Vinachem"
    assert pilot.process.state == "COUNCIL_FORMED"
    council = pilot.councils.get(kind="acceptance")
    assert council.state == Council.State.OPEN
    # one member declared a conflict of interest and was replaced; some have voted, some not
    removed = council.members.get(removed_at__isnull=False)
    assert removed.conflict == CouncilMember.Conflict.DECLARED
    seats = council.members.filter(removed_at__isnull=True)
    assert seats.count() == 9
    voted = Ballot.objects.filter(council=council).count()
    assert 0 < voted < 9
    assert seats.filter(conflict=CouncilMember.Conflict.PENDING).exists()
    assert pilot.budget_state <= Decimal(3_000_000_000) and pilot.budget_other > 0


def test_councils_have_their_ballots_and_no_member_from_the_task_s_organisations(demo):
    closed = Council.objects.filter(agency=hp(), state=Council.State.CLOSED)
    kinds = Counter(closed.values_list("kind", flat=True))
    assert kinds["identification"] >= 60 and kinds["acceptance"] >= 60 and kinds["selection"] >= 5
    for council in closed.prefetch_related("members", "ballots").select_related("project"):
        present = [m for m in council.members.all() if m.present and m.removed_at is None]
        assert len(present) >= 7 * 2 / 3, council
        voters = {b.member_id for b in council.ballots.all()}
        assert voters == {m.pk for m in present}, council
        # nobody from the organisations known when it was formed: the proposer; the applicants
        # (selection); the host (acceptance)
        project = council.project
        orgs = {identity_key(project.proposer_org)}
        if council.kind != "identification":
            orgs |= set(project.applications.values_list("organisation_key", flat=True))
        if council.kind == "acceptance":
            orgs.add(project.host_key)
        assert not {identity_key(m.organisation) for m in council.members.all()} & orgs, council
    # score sheets: one per member and application, 100 points over six criteria
    selection = closed.filter(kind="selection").annotate(apps=Count("project__applications"))
    two = selection.filter(apps=2).first()
    assert two is not None and two.ballots.count() == 2 * two.members.filter(present=True).count()
    assert len(two.ballots.first().payload["scores"]) == 6
    assert two.result["winner"] and two.result["ranking"][0]["eligible"]
    # outcomes as the rules decide them
    outcomes = Counter(closed.values_list("outcome", flat=True))
    assert outcomes["RECOMMENDED"] and outcomes["NOT_RECOMMENDED"] == 1
    assert outcomes["XUAT_SAC"] and outcomes["DAT"] and outcomes["KHONG_DAT"] >= 2
    # live councils: one forming, identification and selection open with some ballots missing
    live = Council.objects.filter(agency=hp()).exclude(state=Council.State.CLOSED)
    assert set(live.values_list("kind", "state")) >= {
        ("identification", "forming"), ("identification", "open"), ("selection", "open"),
        ("acceptance", "forming"), ("acceptance", "open"),
    }  # fmt: skip


def test_each_person_has_work_waiting(demo):
    agency = hp()
    for username in ["canbo", "lanhdao", "chutri", *[f"chuyengia{n}" for n in range(1, 10)]]:
        items = work_items(User.objects.get(username=username), agency)
        assert items, username
    leader = work_items(User.objects.get(username="lanhdao"), agency)
    assert sum(i.overdue for i in leader) >= 2
    assert any("giống cá song chấm nâu" in i.title and i.overdue for i in leader)
    staff = work_items(User.objects.get(username="canbo"), agency)
    assert any("kiểm tra" in i.title.lower() for i in staff)  # an inspection to record


def test_money_and_dates_are_consistent(demo):
    today = clock.today()
    tasks = Project.objects.filter(agency=hp()).select_related("process")
    assert tasks.count() >= 90
    for task in tasks.exclude(budget_state=0):
        assert Decimal(300_000_000) <= task.budget_state <= Decimal(3_000_000_000), task.code
        state_lines = BudgetLine.objects.filter(project=task, source="state")
        assert sum(ln.amount for ln in state_lines) == task.budget_state, task.code
    # nothing is dated after today; settled amounts are what was disbursed
    assert not ProcessEvent.objects.filter(at__date__gt=today).exists()
    for event in ProcessEvent.objects.filter(action="settle").select_related("process"):
        assert event.data["settled_amount"] <= event.process.data["disbursed_total"]
    # the hosts and leaders: many organisations, every leader once at a time
    assert tasks.values("host_org").distinct().count() >= 12
    running = tasks.filter(process__state__in=["IN_PROGRESS", "CHANGE_PENDING", "SUSPENDED"])
    assert running.values("leader_key").distinct().count() == running.count()


def test_only_the_intended_limits_are_overdue(demo):
    missed = Deadline.objects.filter(agency=hp(), status=Deadline.Status.MISSED)
    # a proposal past the identification limit, an appraised task not submitted for approval,
    # a task past its end date without the acceptance dossier; the history kept its limits
    assert {d.key for d in missed} <= {
        "identification_conclusion", "approval_submission", "budget_revision", "acceptance_dossier",
    }  # fmt: skip
    assert all(d.closed_on is None for d in missed)


def test_ha_noi_dossier_falls_due_30_working_days_before_the_end(demo):
    hn = Agency.objects.get(code="hn")
    tasks = Project.objects.filter(agency=hn)
    assert tasks.count() >= 5
    assert {t.process.ruleset.code for t in tasks} == {"hn-05-2021"}
    running = tasks.get(process__state="IN_PROGRESS")
    due = Deadline.objects.get(process=running.process, key="acceptance_dossier", closed_on=None)
    assert due.due == calendar_for(hn).add_working_days(running.end_date, -30)
    assert due.due < running.end_date
    # the recognised task must be liquidated within 60 days, inside the budget year
    recognised = tasks.get(process__state="RECOGNISED")
    liquidation = Deadline.objects.get(
        process=recognised.process, key="liquidation", closed_on=None
    )
    assert liquidation.due <= dt.date(liquidation.opened_on.year, 12, 31)
    assert not Deadline.objects.filter(agency=hn, status=Deadline.Status.MISSED).exists()


def test_generated_documents_and_audit_trail(demo, capsys):
    from khcn.core.models import Attachment

    titles = Attachment.objects.filter(Q(versions__extension="docx")).values_list(
        "title", flat=True
    )
    kinds = {t.split(" – ")[0].split(" số")[0] for t in titles}
    assert len(titles) > 300
    assert any(k.startswith("Hợp đồng") for k in kinds)
    assert any(k.startswith("Quyết định công nhận") for k in kinds)
    assert any(k.startswith("Biên bản thanh lý") for k in kinds)
    call_command("audit", "verify")
    assert "Nhật ký toàn vẹn" in capsys.readouterr().out
