"""Applicants of administrative dossiers and the seeded catalogue (shared by tests/procedures
and tests/flows/test_dossier_flow.py through the root conftest's pytest_plugins)."""

import pytest

from khcn.accounts.models import Role
from khcn.procedures.catalogue import procedures_seed
from khcn.workflow.loader import ruleset_load_all
from tests.factories import user_with_role


@pytest.fixture
def procedure_catalogue(db):
    """The seeded procedures (already there after migrations; a flushed database needs them
    again) and the rule sets."""
    procedures_seed()
    ruleset_load_all()


@pytest.fixture
def enterprise(agency_a):
    return user_with_role(
        Role.ENTERPRISE,
        agency_a,
        username="dn.cathai",
        full_name="Đỗ Minh Khôi",
        organisation="Công ty Cổ phần Công nghệ Sinh học Cát Hải",
    )


@pytest.fixture
def other_enterprise(agency_a):
    return user_with_role(Role.ENTERPRISE, agency_a, username="dn.khac", full_name="Phạm Văn Tâm")


@pytest.fixture
def citizen(agency_a):
    return user_with_role(Role.PUBLIC, agency_a, username="nguoidan", full_name="Nguyễn Thị Hồng")


@pytest.fixture
def token_headers(db):
    """`token_headers(user)`: headers carrying a fresh API token of `user`."""
    from khcn.accounts.services import token_create

    def headers(user) -> dict[str, str]:
        _token, key = token_create(actor=user, user=user, name="Kiểm thử")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return headers


@pytest.fixture
def empty_cache():
    """The lookup's rate-limit counters start at zero (the local-memory cache outlives a test)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
