"""The registry API: open reads that respect access levels and consent, audited writes."""

import pytest

from khcn.accounts.services import token_create
from khcn.registry import services
from khcn.registry.models import Organisation, Person


@pytest.fixture
def records(leader_a, agency_a, org, person):
    services.organisation_create(
        actor=leader_a, agency=agency_a, name="Viện bí mật", kind="institute", access="confidential"
    )
    services.organisation_create(
        actor=leader_a, agency=agency_a, name="Viện nội bộ", kind="institute", access="restricted"
    )
    return org, person


def _names(response):
    return sorted(item["name"] for item in response.json()["items"])


def test_anonymous_readers_get_public_records_and_no_personal_data(client, records):
    org, person = records
    assert _names(client.get("/api/v1/registry/organisations")) == ["Trường Đại học Hải Phòng"]
    secret = Organisation.objects.get(name="Viện bí mật")
    assert client.get(f"/api/v1/registry/organisations/{secret.pk}").status_code == 404
    body = client.get(f"/api/v1/registry/people/{person.pk}").json()
    assert body["display_name"] == "PGS.TS. Nguyễn Thị Lan Hương"
    assert body["email"] is None and body["orcid"] is None and not body["personal_data_shown"]
    assert (
        client.get("/api/v1/registry/organisations?province=31&kind=university").json()["count"]
        == 1
    )
    assert client.get("/api/v1/registry/fields").json()[0] == {
        "code": "1",
        "name": "Khoa học tự nhiên",
        "parent": None,
    }


def test_staff_with_a_token_see_their_agency_restricted_records(client, records, staff_a, leader_a):
    _, key = token_create(actor=staff_a, user=staff_a, name="thử")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert _names(client.get("/api/v1/registry/organisations", **auth)) == [
        "Trường Đại học Hải Phòng",
        "Viện nội bộ",
    ]
    person = records[1]
    assert (
        client.get(f"/api/v1/registry/people/{person.pk}", **auth).json()["email"]
        == "huong@dhhp.edu.vn"
    )
    bad = client.get("/api/v1/registry/organisations", HTTP_AUTHORIZATION="Bearer khcn_wrong")
    assert bad.status_code == 401


def test_create_validates_in_vietnamese_and_reports_duplicates(client_of, staff_a, staff_b, org):
    api = client_of(staff_a)
    bad = api.post(
        "/api/v1/registry/organisations",
        {"agency": "hp-test", "name": "Công ty X", "kind": "enterprise", "tax_code": "0200167781"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "sai chữ số kiểm tra" in bad.json()["errors"][0]["message"]

    made = api.post(
        "/api/v1/registry/organisations",
        {
            "agency": "hp-test",
            "name": "ĐH Hải Phòng",
            "kind": "university",
            "tax_code": "0200167782",
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["duplicates"][0]["reason"] == "tax_code"
    assert made.json()["duplicates"][0]["other_id"] == org.pk

    person = api.post(
        "/api/v1/registry/people",
        {"agency": "hp-test", "full_name": "Phạm Văn Toàn", "organisation": org.pk, "degree": "TS"},
        content_type="application/json",
    )
    assert person.status_code == 201 and person.json()["organisations"][0]["id"] == org.pk

    outsider = client_of(staff_b).post(
        "/api/v1/registry/organisations",
        {"agency": "hp-test", "name": "Y", "kind": "other"},
        content_type="application/json",
    )
    assert outsider.status_code == 403  # the agency is public; creating in it is not
    assert Organisation.objects.count() == 2 and Person.objects.count() == 1


def test_results_are_created_with_authors_and_listed(client_of, staff_a, org, person):
    api = client_of(staff_a)
    made = api.post(
        "/api/v1/registry/results",
        {
            "agency": "hp-test",
            "kind": "publication",
            "title": "Vi tảo biển",
            "year": 2024,
            "field": "106",
            "authors": [person.pk],
            "organisations": [org.pk],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["authors"][0]["person_id"] == person.pk
    listed = api.get("/api/v1/registry/results?year=2024").json()
    assert listed["count"] == 1 and listed["items"][0]["field"] == "106"


def test_patch_changes_only_the_given_fields_and_access_needs_a_leader_for_confidential(
    client_of, staff_a, leader_a, org
):
    api = client_of(staff_a)
    changed = api.patch(
        f"/api/v1/registry/organisations/{org.pk}",
        {"phone": "0225 3591 084"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Trường Đại học Hải Phòng"
    refused = api.patch(
        f"/api/v1/registry/organisations/{org.pk}",
        {"tax_code": "123"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    url = f"/api/v1/registry/organisations/{org.pk}/access"
    assert (
        api.post(url, {"access": "confidential"}, content_type="application/json").status_code
        == 403
    )
    leader = client_of(leader_a)
    assert (
        leader.post(url, {"access": "confidential"}, content_type="application/json").status_code
        == 204
    )
    api = client_of(staff_a)  # one test client: log the staff member back in
    assert api.get(f"/api/v1/registry/organisations/{org.pk}").status_code == 404
    org.refresh_from_db()
    assert org.phone == "0225 3591 084" and org.tax_code == "0200167782"


def test_ip_assets_are_created_with_their_holder(client_of, staff_a, org):
    made = client_of(staff_a).post(
        "/api/v1/registry/ip-assets",
        {
            "agency": "hp-test",
            "kind": "gi",
            "name": "Thuốc lào Vĩnh Bảo",
            "holder": org.pk,
            "status": "protected",
            "certificate_no": "00015",
            "certificate_date": "20/05/2011",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["holder_id"] == org.pk and made.json()["certificate_date"] == "2011-05-20"
