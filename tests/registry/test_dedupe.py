"""Likely duplicates are flagged on create and found for unsaved import rows."""

from khcn.audit.models import AuditAction, AuditEvent
from khcn.registry import dedupe, services
from khcn.registry.models import DuplicateFlag, Organisation


def test_same_tax_code_is_flagged_not_refused(staff_a, agency_a, org):
    twin = services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="ĐH Hải Phòng",
        kind="university",
        tax_code="0200167782",
    )
    assert [f.reason for f in twin.duplicate_flags] == [DuplicateFlag.Reason.TAX_CODE]
    flag = twin.duplicate_flags[0]
    assert (flag.org_a, flag.org_b, flag.status) == (org, twin, "open")
    assert AuditEvent.objects.filter(action=AuditAction.REGISTRY_DUPLICATE_FLAGGED).count() == 1


def test_same_name_without_diacritics_is_flagged(staff_a, agency_a, org):
    twin = services.organisation_create(
        actor=staff_a, agency=agency_a, name="TRUONG DAI HOC  HAI PHONG", kind="university"
    )
    assert [f.reason for f in twin.duplicate_flags] == [DuplicateFlag.Reason.NAME]


def test_other_agencies_records_are_not_duplicates(staff_b, agency_b, org):
    twin = services.organisation_create(
        actor=staff_b,
        agency=agency_b,
        name="Trường Đại học Hải Phòng",
        kind="university",
        tax_code="0200167782",
    )
    assert twin.duplicate_flags == []


def test_people_need_the_same_orcid_or_the_same_name_at_the_same_organisation(
    staff_a, agency_a, org, person
):
    namesake = services.person_create(
        actor=staff_a, agency=agency_a, full_name="Nguyễn Thị Lan Hương"
    )
    assert namesake.duplicate_flags == []  # namesakes are common

    colleague = services.person_create(
        actor=staff_a, agency=agency_a, organisation=org, full_name="nguyen thi lan huong"
    )
    assert [f.reason for f in colleague.duplicate_flags] == [DuplicateFlag.Reason.NAME_ORGANISATION]

    same_orcid = services.person_create(
        actor=staff_a,
        agency=agency_a,
        full_name="N. T. L. Huong",
        orcid="https://orcid.org/0000-0002-1825-0097",
    )
    assert [f.reason for f in same_orcid.duplicate_flags] == [DuplicateFlag.Reason.ORCID]


def test_unsaved_rows_find_their_candidates_and_in_file_repeats(agency_a, org, person):
    found = dedupe.organisation_candidates(
        agency=agency_a, name="Trường Đại học Hải Phòng", tax_code="0200167782"
    )
    assert [(c.record, c.reason) for c in found] == [(org, "tax_code")]
    assert found[0].reason_label == "Trùng mã số thuế"
    people = dedupe.person_candidates(
        agency=agency_a, full_name="Nguyễn Thị Lan Hương", organisation_ids=[org.pk]
    )
    assert [c.record for c in people] == [person]
    assert dedupe.rows_duplicates(["a", "", "b", "a"]) == {"a": [0, 3]}
    assert Organisation.objects.count() == 1


def test_a_dismissed_pair_is_not_flagged_again(staff_a, agency_a, org):
    twin = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Trường Đại học Hải Phòng", kind="university"
    )
    services.duplicate_dismiss(
        actor=staff_a, flag=twin.duplicate_flags[0], note="Hai cơ sở khác nhau"
    )
    services.organisation_update(actor=staff_a, organisation=twin, name="Trường Đại học Hải Phòng")
    assert DuplicateFlag.objects.get().status == "dismissed"
    assert AuditEvent.objects.filter(action=AuditAction.REGISTRY_DUPLICATE_DISMISSED).exists()
