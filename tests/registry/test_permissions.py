"""Who reads what: access levels on records and in search, personal data only with consent."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from khcn.accounts.models import Role
from khcn.core.permissions import can, get_visible, scope
from khcn.registry import selectors, services
from khcn.registry.models import Organisation, Person
from khcn.registry.permissions import can_read, can_see_personal
from khcn.search.selectors import search
from tests.factories import user_with_role

ANON = AnonymousUser()


@pytest.fixture
def levels(staff_a, leader_a, agency_a):
    """One organisation per access level, all named "Viện Nghiên cứu Hải sản …"."""
    made = {}
    for access in ("public", "restricted", "confidential"):
        made[access] = services.organisation_create(
            actor=leader_a,
            agency=agency_a,
            name=f"Viện Nghiên cứu Hải sản {access}",
            kind="institute",
            access=access,
        )
    return made


def _names(qs):
    return sorted(o.name.rsplit(" ", 1)[1] for o in qs)


def test_each_reader_sees_the_levels_meant_for_them(levels, staff_a, leader_a, staff_b, agency_a):
    expert = user_with_role(Role.EXPERT, agency_a, username="cg")
    qs = Organisation.objects.active()
    assert _names(selectors.organisation_list(user=ANON)) == ["public"]
    assert _names(selectors.organisation_list(user=expert)) == ["public"]
    assert _names(selectors.organisation_list(user=staff_b)) == ["public"]
    assert _names(selectors.organisation_list(user=staff_a)) == ["public", "restricted"]
    assert _names(selectors.organisation_list(user=leader_a)) == [
        "confidential",
        "public",
        "restricted",
    ]
    assert _names(scope(staff_a, "registry.view", qs)) == ["public", "restricted"]
    assert _names(scope(staff_a, "registry.manage", qs)) == ["public", "restricted"]
    assert not can_read(ANON, levels["restricted"])
    assert can_read(ANON, levels["public"])
    with pytest.raises(Http404):
        get_visible(staff_b, "registry.view", qs, pk=levels["restricted"].pk)
    with pytest.raises(Http404):
        get_visible(staff_a, "registry.manage", qs, pk=levels["confidential"].pk)
    assert can(staff_a, "registry.merge", levels["public"])
    assert not can(staff_b, "registry.merge", levels["public"])


def test_search_finds_only_what_the_caller_may_read(levels, staff_a, leader_a, staff_b):
    def found(user):
        page = search("vien nghien cuu hai san", user=user, types=["organisation"])
        return sorted(item.title.rsplit(" ", 1)[1] for item in page.items)

    assert found(ANON) == ["public"]
    assert found(staff_b) == ["public"]
    assert found(staff_a) == ["public", "restricted"]
    assert found(leader_a) == ["confidential", "public", "restricted"]


def test_personal_data_stay_private_without_consent_on_pages_and_in_search(staff_a, person):
    assert not can_see_personal(ANON, person)
    public = selectors.person_public_data(person)
    assert public["display_name"] == "PGS.TS. Nguyễn Thị Lan Hương"
    assert public["organisations"][0]["name"] == "Trường Đại học Hải Phòng"
    assert "email" not in public and "birth_year" not in public and "orcid" not in public
    assert selectors.person_public_data(person, user=staff_a)["email"] == "huong@dhhp.edu.vn"

    assert search("0000-0002-1825-0097", user=ANON, types=["person"]).count == 0
    assert search("lan huong", user=ANON, types=["person"]).count == 1
    assert search("vi tao", user=ANON, types=["person"]).count == 1  # expertise is public

    services.person_consent_set(actor=staff_a, person=person, consent=True)
    person.refresh_from_db()
    assert selectors.person_public_data(person)["email"] == "huong@dhhp.edu.vn"
    assert search("0000-0002-1825-0097", user=ANON, types=["person"]).count == 1


def test_merged_records_leave_the_public_index_and_come_back_on_undo(staff_a, agency_a, org):
    twin = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Trường Đại học Hải Phòng", kind="university"
    )
    assert search("truong dai hoc hai phong", user=ANON).count == 2
    merge = services.organisation_merge(actor=staff_a, keep=org, remove=twin)
    assert search("truong dai hoc hai phong", user=ANON).count == 1
    assert not can_read(ANON, Organisation.objects.get(pk=twin.pk))
    assert can_read(staff_a, Organisation.objects.get(pk=twin.pk))
    services.merge_undo(actor=staff_a, merge=merge)
    assert search("truong dai hoc hai phong", user=ANON).count == 2


def test_a_person_may_publish_their_own_data(agency_a, staff_a, org):
    researcher = user_with_role(Role.HOST, agency_a, username="nckh")
    person = services.person_create(
        actor=staff_a,
        agency=agency_a,
        full_name="Bùi Đình Nghĩa",
        user=researcher,
        organisation=org,
    )
    assert can_see_personal(researcher, person)
    services.person_consent_set(actor=researcher, person=person, consent=True)
    assert Person.objects.get(pk=person.pk).public_consent


def test_a_merge_points_the_search_facets_of_linked_records_at_the_kept_one(
    staff_a, agency_a, org, person
):
    from khcn.search.models import SearchEntry

    twin = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Trường Đại học Hải Phòng", kind="university"
    )
    result = services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="report",
        title="Bờ biển Đồ Sơn",
        year=2024,
        organisations=[twin],
    )
    merge = services.organisation_merge(actor=staff_a, keep=org, remove=twin)
    assert SearchEntry.objects.get(type="result", object_id=result.pk).org == org.pk
    services.merge_undo(actor=staff_a, merge=merge)
    assert SearchEntry.objects.get(type="result", object_id=result.pk).org == twin.pk
