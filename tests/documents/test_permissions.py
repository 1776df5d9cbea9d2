"""documents.manage_templates: the department's staff and administrators, in their agency."""

import pytest

from khcn.accounts.models import Role
from khcn.core.permissions import can
from khcn.documents.models import TemplateOverride
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ALLOWED = {
    Role.STAFF: True,
    Role.ADMIN: True,
    Role.LEADER: False,
    Role.HOST: False,
    Role.EXPERT: False,
    Role.ENTERPRISE: False,
    Role.PUBLIC: False,
}


@pytest.mark.parametrize(("role", "expected"), ALLOWED.items())
def test_on_own_agency(agency_a, role, expected):
    user = user_with_role(role, agency_a)

    decision = can(user, "documents.manage_templates", agency_a)

    assert decision.allowed is expected
    assert can(user, "documents.manage_templates").allowed is expected  # the menu entry
    if not expected:
        assert decision.reason


@pytest.mark.parametrize("role", list(ALLOWED))
def test_on_another_agency(agency_a, agency_b, role):
    user = user_with_role(role, agency_a)

    assert not can(user, "documents.manage_templates", agency_b)
    assert not can(user, "documents.manage_templates", TemplateOverride(agency=agency_b))


def test_an_override_follows_its_agency(staff_a, agency_a):
    assert can(staff_a, "documents.manage_templates", TemplateOverride(agency=agency_a))


def test_operator(agency_b):
    assert can(UserFactory(is_superuser=True), "documents.manage_templates", agency_b)
