"""Merging duplicates moves every reference; undoing it restores exactly what was there."""

import pytest

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import DomainError
from khcn.registry import services
from khcn.registry.models import (
    Affiliation,
    Authorship,
    DuplicateFlag,
    IPAsset,
    Organisation,
    Person,
    Result,
    ResultOrganisation,
)


def _state():
    """Everything a merge may touch, as plain rows."""

    def rows(model):
        return [
            {
                f.attname: getattr(o, f.attname)
                for f in model._meta.concrete_fields
                if f.attname != "updated_at"
            }
            for o in model.objects.order_by("pk")
        ]

    m2m = {
        "org_fields": sorted(
            Organisation.fields.through.objects.values_list("organisation_id", "fieldofscience_id")
        ),
        "person_fields": sorted(
            Person.fields.through.objects.values_list("person_id", "fieldofscience_id")
        ),
        "expert_fields": sorted(
            Person.expert_fields.through.objects.values_list("person_id", "fieldofscience_id")
        ),
    }
    return {
        m.__name__: rows(m)
        for m in (
            Organisation,
            Person,
            Affiliation,
            Result,
            Authorship,
            ResultOrganisation,
            IPAsset,
            DuplicateFlag,
        )
    } | m2m


@pytest.fixture
def duplicates(staff_a, agency_a, org, person):
    """A second record of the same university (with a tax code the first lacks) and of the
    same person, each with links of its own and a link shared with the first."""
    services.organisation_update(actor=staff_a, organisation=org, tax_code="")
    twin = services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="TRƯỜNG ĐẠI HỌC HẢI PHÒNG",
        kind="university",
        tax_code="0200167782",
        website="https://dhhp.edu.vn",
        fields=["503"],
    )
    twin_person = services.person_create(
        actor=staff_a,
        agency=agency_a,
        organisation=twin,
        full_name="Nguyễn Thị Lan Hương",
        orcid="0000-0002-1825-0097",
        phone="0912 345 678",
        is_expert=True,
        expert_fields=["405"],
    )
    services.affiliation_add(
        actor=staff_a, person=twin_person, organisation=org, position="Thỉnh giảng"
    )
    shared = services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="publication",
        title="Vi tảo trong nuôi tôm",
        year=2023,
        authors=[person, twin_person],
        organisations=[org, twin],
    )
    own = services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="report",
        title="Báo cáo nuôi cá lồng bè",
        year=2024,
        authors=[twin_person],
        organisations=[(twin, "partner")],
    )
    asset = services.ip_asset_create(
        actor=staff_a,
        agency=agency_a,
        kind="collective",
        name="Nước mắm Cát Hải",
        holder=twin,
    )
    return {
        "org": org,
        "twin": twin,
        "person": person,
        "twin_person": twin_person,
        "shared": shared,
        "own": own,
        "asset": asset,
    }


def test_organisation_merge_moves_everything_and_undo_restores_exactly(staff_a, duplicates):
    org, twin = duplicates["org"], duplicates["twin"]
    before = _state()

    merge = services.organisation_merge(actor=staff_a, keep=org, remove=twin)

    twin.refresh_from_db()
    org.refresh_from_db()
    assert twin.merged_into == org
    assert org.tax_code == "0200167782" and org.website == "https://dhhp.edu.vn"
    assert set(org.fields.values_list("code", flat=True)) == {"2", "502", "503"}
    assert Affiliation.objects.filter(organisation=twin).count() == 0
    assert ResultOrganisation.objects.filter(organisation=twin).count() == 0
    assert (
        ResultOrganisation.objects.filter(result=duplicates["shared"], organisation=org).count()
        == 1
    )
    assert IPAsset.objects.get().holder == org
    assert DuplicateFlag.objects.filter(org_a=org, org_b=twin).get().status == "merged"
    assert list(Organisation.objects.active()) == [org]
    event = AuditEvent.objects.get(action=AuditAction.REGISTRY_MERGED)
    assert event.after["moved"]["fk"]

    services.merge_undo(actor=staff_a, merge=merge)
    assert _state() == before
    assert AuditEvent.objects.filter(action=AuditAction.REGISTRY_MERGE_UNDONE).count() == 1
    with pytest.raises(DomainError):
        services.merge_undo(actor=staff_a, merge=merge)


def test_person_merge_moves_authorships_and_undo_restores_exactly(staff_a, duplicates):
    person, twin = duplicates["person"], duplicates["twin_person"]
    before = _state()

    merge = services.person_merge(actor=staff_a, keep=person, remove=twin)

    person.refresh_from_db()
    assert person.phone == "0912 345 678" and person.is_expert
    assert list(person.expert_fields.values_list("code", flat=True)) == ["405"]
    assert Authorship.objects.filter(person=twin).count() == 0
    assert set(
        Result.objects.filter(authorships__person=person).values_list("title", flat=True)
    ) == {"Vi tảo trong nuôi tôm", "Báo cáo nuôi cá lồng bè"}
    assert Affiliation.objects.filter(person=person).count() == 3

    services.merge_undo(actor=staff_a, merge=merge)
    assert _state() == before


def test_merges_are_undone_newest_first_and_cannot_cross_agencies(
    staff_a, staff_b, agency_a, agency_b, duplicates
):
    org, twin = duplicates["org"], duplicates["twin"]
    third = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Đại học Hải Phòng", kind="university"
    )
    first = services.organisation_merge(actor=staff_a, keep=org, remove=twin)
    second = services.organisation_merge(actor=staff_a, keep=third, remove=org)
    twin.refresh_from_db()
    assert twin.merged_into == third  # the chain follows the kept record
    with pytest.raises(DomainError):
        services.merge_undo(actor=staff_a, merge=first)
    services.merge_undo(actor=staff_a, merge=second)
    services.merge_undo(actor=staff_a, merge=first)
    assert Organisation.objects.active().count() == 3

    elsewhere = services.organisation_create(actor=staff_b, agency=agency_b, name="X", kind="other")
    with pytest.raises(Exception):  # noqa: B017 -- a 404 for staff_a, a DomainError for admins
        services.organisation_merge(actor=staff_a, keep=org, remove=elsewhere)
    with pytest.raises(DomainError):
        services.organisation_merge(actor=staff_a, keep=org, remove=org)
