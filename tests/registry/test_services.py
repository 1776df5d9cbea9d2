"""Creating and changing registry records: validation in Vietnamese, nothing half-saved,
every write audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import DomainError
from khcn.registry import services
from khcn.registry.models import Affiliation, IPAsset, Organisation, Person, Result
from khcn.workflow.fields import FieldErrors
from tests.factories import user_with_role


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_an_organisation_is_created_with_its_units_fields_and_an_audit_event(org):
    assert org.tax_code == "0200167782"
    assert org.name_key == "truong dai hoc hai phong"
    assert org.province_name == "Thành phố Hải Phòng"
    assert org.units_version
    assert sorted(org.fields.values_list("code", flat=True)) == ["2", "502"]
    event = AuditEvent.objects.get(action=AuditAction.REGISTRY_ORGANISATION_CREATED)
    assert event.object_id == str(org.pk) and event.after["tax_code"] == "0200167782"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"tax_code": "0200167781"}, "tax_code", "sai chữ số kiểm tra"),
        ({"tax_code": "12345"}, "tax_code", "10 chữ số"),
        ({"name": "  "}, "name", "không được để trống"),
        ({"kind": "bank"}, "kind", "không có trong danh mục"),
        ({"email": "not-an-email"}, "email", "thư điện tử không hợp lệ"),
        ({"ward_code": 70}, "ward_code", "không thuộc Thành phố Hải Phòng"),
        ({"province_code": 99}, "province_code", "không có trong danh mục"),
        ({"fields": ["107"]}, "fields", "107"),
        ({"st_registration_date": "31/02/2024"}, "st_registration_date", "không phải là ngày"),
        ({"ror": "12345"}, "ror", "ROR"),
    ],
)
def test_bad_organisation_input_gets_a_vietnamese_message_and_saves_nothing(
    staff_a, agency_a, data, field, message
):
    fields = {"name": "Viện Nghiên cứu Hải sản", "kind": "institute", "province_code": 31} | data
    with pytest.raises(FieldErrors) as err:
        services.organisation_create(actor=staff_a, agency=agency_a, **fields)
    assert message in err.value.errors[field]
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_unknown_fields_are_refused(staff_a, agency_a):
    with pytest.raises(FieldErrors) as err:
        services.organisation_create(
            actor=staff_a, agency=agency_a, name="X", kind="other", merged_into=1
        )
    assert "merged_into" in err.value.errors


def test_a_person_keeps_orcid_canonical_and_their_organisation(person, org):
    assert person.orcid == "0000-0002-1825-0097"
    assert person.display_name == "PGS.TS. Nguyễn Thị Lan Hương"
    aff = Affiliation.objects.get(person=person)
    assert aff.organisation == org and aff.position == "Giảng viên" and aff.is_current


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"orcid": "0000-0002-1825-0098"}, "orcid", "sai chữ số kiểm tra"),
        ({"orcid": "1234"}, "orcid", "0000-0000-0000-0000"),
        ({"birth_year": "năm"}, "birth_year", "Năm phải là số"),
        ({"birth_year": 1850}, "birth_year", "từ 1900"),
        ({"degree": "Dr"}, "degree", "không có trong danh mục"),
        ({"full_name": "a\x00b"}, "full_name", "ký tự không hợp lệ"),
    ],
)
def test_bad_person_input_saves_nothing(staff_a, agency_a, org, data, field, message):
    before = AuditEvent.objects.count()
    with pytest.raises(FieldErrors) as err:
        services.person_create(
            actor=staff_a, agency=agency_a, organisation=org, **({"full_name": "Lê Văn A"} | data)
        )
    assert message in err.value.errors[field]
    assert not Person.objects.exists() and not Affiliation.objects.exists()
    assert AuditEvent.objects.count() == before


def test_labels_from_spreadsheets_are_accepted_for_choices(staff_a, agency_a):
    org = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Công ty CP Công nghệ Biển Xanh", kind="Doanh nghiệp"
    )
    assert org.kind == Organisation.Kind.ENTERPRISE


def test_updates_are_audited_with_before_and_after(staff_a, org):
    services.organisation_update(
        actor=staff_a, organisation=org, phone="0225 3829 444", name="Trường ĐH Hải Phòng"
    )
    event = AuditEvent.objects.filter(action=AuditAction.REGISTRY_ORGANISATION_UPDATED).get()
    assert event.before["name"] == "Trường Đại học Hải Phòng"
    assert event.after["name"] == "Trường ĐH Hải Phòng"
    org.refresh_from_db()
    assert org.name_key == "truong dh hai phong"


def test_outsiders_and_other_agencies_cannot_write(agency_a, staff_b, org):
    expert = user_with_role(Role.EXPERT, agency_a, username="cg")
    for actor in (expert, staff_b):
        with pytest.raises(PermissionDenied):
            services.organisation_create(actor=actor, agency=agency_a, name="X", kind="other")
    with pytest.raises(Exception) as err:  # another agency's record is out of sight
        services.organisation_update(actor=staff_b, organisation=org, name="Y")
    assert err.type.__name__ in ("Http404", "PermissionDenied")


def test_a_result_links_a_task_its_authors_in_order_and_organisations(
    staff_a, agency_a, org, person, rulesets, proposer
):
    from tests.projects.steps import propose

    project = propose(proposer, agency_a)
    second = services.person_create(actor=staff_a, agency=agency_a, full_name="Đỗ Văn Khương")
    result = services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="report",
        title="Báo cáo tổng hợp kết quả nhiệm vụ",
        year=2024,
        field="207",
        project=project,
        registration_no="2024-31-001/KQNC",
        registration_date="15/03/2024",
        authors=[second, person],
        organisations=[org],
    )
    assert [a.person for a in result.authorships.all()] == [second, person]
    assert result.field_id == "207" and result.registration_date == dt.date(2024, 3, 15)
    assert list(project.registry_results.all()) == [result]
    assert AuditAction.REGISTRY_RESULT_CREATED in _actions()

    services.result_update(actor=staff_a, result=result, authors=[person], title="Báo cáo tổng hợp")
    result.refresh_from_db()
    assert [a.person for a in result.authorships.all()] == [person]


def test_a_result_refuses_an_author_twice_and_records_of_another_agency(
    staff_a, staff_b, agency_a, agency_b, person
):
    with pytest.raises(FieldErrors):
        services.result_create(
            actor=staff_a,
            agency=agency_a,
            kind="publication",
            title="T",
            year=2023,
            authors=[person, person],
        )
    other = services.person_create(actor=staff_b, agency=agency_b, full_name="Người ngoài")
    with pytest.raises(FieldErrors):
        services.result_create(
            actor=staff_a,
            agency=agency_a,
            kind="publication",
            title="T",
            year=2023,
            authors=[other],
        )
    assert not Result.objects.exists()


def test_an_ip_asset_needs_a_certificate_number_once_protected(staff_a, agency_a, org):
    with pytest.raises(FieldErrors) as err:
        services.ip_asset_create(
            actor=staff_a, agency=agency_a, kind="gi", name="Vải Hùng Long", status="protected"
        )
    assert "số văn bằng" in err.value.errors["certificate_no"]
    asset = services.ip_asset_create(
        actor=staff_a,
        agency=agency_a,
        kind="collective",
        name="Bánh sắn Phong Châu",
        holder=org,
        status="applied",
        application_no="4-2023-01234",
    )
    with pytest.raises(FieldErrors):
        services.ip_asset_update(actor=staff_a, asset=asset, status="protected")
    services.ip_asset_update(
        actor=staff_a, asset=asset, status="protected", certificate_no="123456"
    )
    asset.refresh_from_db()
    assert asset.status == IPAsset.Status.PROTECTED


def test_access_levels_confidential_is_for_leaders(staff_a, leader_a, org):
    services.access_set(actor=staff_a, obj=org, access="restricted")
    with pytest.raises(PermissionDenied):
        services.access_set(actor=staff_a, obj=org, access="confidential")
    services.access_set(actor=leader_a, obj=org, access="confidential")
    org.refresh_from_db()
    assert org.access == "confidential"
    assert _actions().count(AuditAction.REGISTRY_ACCESS_CHANGED) == 2


def test_consent_is_recorded_with_its_time_and_can_be_withdrawn(staff_a, person):
    services.person_consent_set(actor=staff_a, person=person, consent=True)
    person.refresh_from_db()
    assert person.public_consent and person.consent_at
    services.person_consent_set(actor=staff_a, person=person, consent=False)
    person.refresh_from_db()
    assert not person.public_consent and person.consent_at is None


def test_affiliations_end_after_they_start(staff_a, person, org):
    aff = services.affiliation_add(
        actor=staff_a,
        person=person,
        organisation=org,
        position="Trưởng khoa",
        start=dt.date(2020, 1, 1),
    )
    with pytest.raises(FieldErrors):
        services.affiliation_end(actor=staff_a, affiliation=aff, end=dt.date(2019, 1, 1))
    services.affiliation_end(actor=staff_a, affiliation=aff, end=dt.date(2024, 6, 30))
    with pytest.raises(DomainError):
        services.affiliation_end(actor=staff_a, affiliation=aff, end=dt.date(2024, 7, 1))
