"""Who sees and acts on dossiers: the applicant their own, the department its agency's,
anyone else a 404; staff process, leaders decide."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from khcn.core.permissions import can, get_visible, scope
from khcn.procedures import selectors, services
from khcn.procedures.models import Dossier
from tests.procedures.helpers import D, act, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(procedure_catalogue, agency_a, enterprise):
    return submit(enterprise, agency_a, on=D(2026, 3, 2))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("enterprise", True),
        ("other_enterprise", False),
        ("citizen", False),
        ("staff_a", True),
        ("leader_a", True),
        ("admin_a", True),
        ("staff_b", False),
        ("admin_b", False),
    ],
)
def test_who_sees_a_dossier(request, dossier, who, sees):
    user = request.getfixturevalue(who)
    visible = scope(user, "dossier.view", Dossier.objects.all())

    assert bool(can(user, "dossier.view", dossier)) is sees
    assert (dossier in visible) is sees
    if not sees:
        with pytest.raises(Http404):
            get_visible(user, "dossier.view", Dossier.objects.all(), pk=dossier.pk)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("dossier.process", {"staff_a"}),
        ("dossier.decide", {"leader_a"}),
        ("dossier.statistics", {"staff_a", "leader_a", "admin_a"}),
        ("dossier.file", {"enterprise", "citizen"}),
    ],
)
def test_action_matrix(request, dossier, agency_a, action, allowed):
    people = ["enterprise", "citizen", "staff_a", "leader_a", "admin_a", "staff_b"]
    target = {
        "dossier.process": dossier,
        "dossier.decide": dossier,
        "dossier.statistics": agency_a,
        "dossier.file": dossier.procedure,
    }[action]
    for who in people:
        user = request.getfixturevalue(who)
        assert bool(can(user, action, target)) is (who in allowed), who


def test_steps_belong_to_roles(dossier, enterprise, staff_a, leader_a):
    with pytest.raises(PermissionDenied):
        act(enterprise, dossier, "accept", D(2026, 3, 3))
    with pytest.raises(PermissionDenied):
        act(leader_a, dossier, "accept", D(2026, 3, 3))
    dossier = act(staff_a, dossier, "accept", D(2026, 3, 3))
    # the applicant may withdraw (an optional step of the applicant's)
    assert act(enterprise, dossier, "withdraw", D(2026, 3, 4)).outcome == "withdrawn"


def test_others_cannot_act_or_file_supplements(dossier, other_enterprise, staff_b, staff_a):
    dossier = act(staff_a, dossier, "request_supplement", D(2026, 3, 3), data={"items": "Đơn"})
    for outsider in (other_enterprise, staff_b):
        with pytest.raises(Http404):
            services.dossier_act(actor=outsider, dossier=dossier, action="withdraw")
        with pytest.raises(Http404):
            services.dossier_supplement(actor=outsider, dossier=dossier, files={})


def test_statistics_are_for_the_department(dossier, agency_a, enterprise):
    with pytest.raises(PermissionDenied):
        selectors.dossier_statistics(
            user=enterprise, agency=agency_a, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31)
        )


def test_the_applicants_list_holds_only_their_dossiers(
    procedure_catalogue, dossier, agency_a, enterprise, other_enterprise
):
    other = submit(other_enterprise, agency_a, on=D(2026, 3, 2))
    assert list(selectors.dossiers_for_applicant(user=enterprise)) == [dossier]
    assert list(selectors.dossiers_for_applicant(user=other_enterprise)) == [other]
    assert list(selectors.dossiers_for_staff(user=enterprise, agency=agency_a)) == [dossier]
