from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from khcn.accounts.models import Role
from tests.factories import AgencyFactory, user_with_role

pytest_plugins = ["tests.projects.fixtures", "tests.procedures.fixtures"]


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Files go to a fresh MEDIA_ROOT per test; passwords hash fast; static URLs need no
    collectstatic manifest; e-mail lands in django.core.mail.outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Rows the migrations seed (fields of science, the procedure catalogue) are gone once a
    transactional test (live server, concurrency) has flushed the database on this worker;
    a test that uses the database finds them again, whatever ran before it."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if (
        "transactional_db" in names
        or "live_server" in names
        or (marker and marker.kwargs.get("transaction"))
    ):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from khcn.procedures.catalogue import procedures_seed
    from khcn.procedures.models import Procedure
    from khcn.registry.fields import seed_fields
    from khcn.registry.models import FieldOfScience

    if not FieldOfScience.objects.exists():
        seed_fields(FieldOfScience)
    if not Procedure.objects.exists():
        procedures_seed()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese. A request in English (language cookie) leaves English
    active in the thread afterwards, which would leak into the next test's messages."""
    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture
def agency_a(db):
    return AgencyFactory(
        code="hp-test", name="Sở Khoa học và Công nghệ Hải Phòng", short_name="Sở KH&CN HP"
    )


@pytest.fixture
def agency_b(db):
    return AgencyFactory(
        code="hn-test", name="Sở Khoa học và Công nghệ Hà Nội", short_name="Sở KH&CN HN"
    )


@pytest.fixture
def staff_a(agency_a):
    return user_with_role(Role.STAFF, agency_a, username="canbo.a", full_name="Trần Thị Thu Hà")


@pytest.fixture
def leader_a(agency_a):
    return user_with_role(Role.LEADER, agency_a, username="lanhdao.a", full_name="Phạm Văn Hưng")


@pytest.fixture
def admin_a(agency_a):
    return user_with_role(Role.ADMIN, agency_a, username="quantri.a", full_name="Nguyễn Đức Thành")


@pytest.fixture
def staff_b(agency_b):
    return user_with_role(
        Role.STAFF, agency_b, username="canbo.b", full_name="Nguyễn Thị Minh Phương"
    )


@pytest.fixture
def admin_b(agency_b):
    return user_with_role(Role.ADMIN, agency_b, username="quantri.b", full_name="Lê Thị Quỳnh")


@pytest.fixture
def client_of(client):
    """`client_of(user)`: the test client, logged in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def run_worker(transactional_db):
    """Process the real django-tasks database queue until it is empty.

    The worker closes "old" database connections between tasks, as a long-running
    process must; that would drop the connection holding a test's transaction, so
    tests that run it use the transactional database (data really committed)."""

    def run():
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)

    return run


@pytest.fixture
def media_files(settings):
    """`media_files()`: every regular file under MEDIA_ROOT (blobs and leftovers in tmp/)."""

    def files() -> list[Path]:
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return files


# The longest module first: with `--dist loadfile --no-loadscope-reorder` (make test) one worker
# loads the full demo while the other runs everything else, instead of the demo starting last.
SLOWEST_FIRST = ("tests/core/test_demo.py",)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in SLOWEST_FIRST)
