"""The export to the national S&T database: the documented schema, the since filter, personal
data only with consent, staff of the agency only (file page and API)."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse

from khcn.audit.models import AuditAction, AuditEvent
from khcn.registry import services
from khcn.registry.interop import national
from khcn.registry.models import Organisation, Person, Result
from khcn.workflow.models import Process
from tests.projects.steps import propose

DOC = Path(__file__).resolve().parents[2] / "docs" / "national-export.md"
URL = "/api/v1/exports/national"


@pytest.fixture
def data(rulesets, proposer, staff_a, leader_a, agency_a, staff_b, agency_b, org, person):
    services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Công ty CP Nhựa Thiếu niên Tiền Phong",
        kind="enterprise",
        tax_code="0100100008",
        st_enterprise_cert_no="07/DNKHCN",
        st_enterprise_cert_date="2021-03-15",
    )
    services.organisation_create(
        actor=staff_a, agency=agency_a, name="Viện kín", kind="institute", access="restricted"
    )
    services.organisation_create(
        actor=staff_b, agency=agency_b, name="Viện của Hà Nội", kind="institute"
    )
    consenting = services.person_create(
        actor=staff_a,
        agency=agency_a,
        organisation=org,
        full_name="Trần Đồng Ý",
        email="dongy@dhhp.edu.vn",
        orcid="0000-0001-5109-3700",
        public_consent=True,
    )
    approved = propose(proposer, agency_a, title="Nghiên cứu nuôi tôm công nghệ cao")
    Process.objects.filter(pk=approved.process_id).update(state="APPROVED")
    propose(proposer, agency_a, title="Đề xuất chưa được duyệt")
    pub = services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="publication",
        title="Vi tảo",
        year=2023,
        authors=[person],
        organisations=[org],
        project=approved,
    )
    services.result_create(
        actor=staff_a, agency=agency_a, kind="patent", title="Ống nhựa", year=2024
    )
    services.result_create(
        actor=staff_a, agency=agency_a, kind="report", title="Báo cáo tổng kết", year=2024
    )
    services.result_create(
        actor=leader_a,
        agency=agency_a,
        kind="patent",
        title="Mật",
        year=2024,
        access="confidential",
    )
    services.ip_asset_create(
        actor=staff_a, agency=agency_a, kind="collective", name="Vải Hùng Long", holder=org
    )
    return {"approved": approved, "publication": pub, "consenting": consenting}


def _documented_keys() -> dict[str, set[str]]:
    """{group: {field names}} from the tables of docs/national-export.md."""
    groups, current = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = heading.group(1)
            groups[current] = set()
        row = re.match(r"^\| `([\w.]+)` \|", line)
        if row and current:
            groups[current].add(row.group(1).split(".")[0])
    return groups


def test_the_export_follows_the_documented_schema(data, staff_a, agency_a, person):
    _doc, raw = national.national_export(actor=staff_a, agency=agency_a)
    doc = json.loads(raw)
    documented = _documented_keys()
    assert set(national.GROUPS) <= set(documented)
    assert doc["schema"] == "khcn-national-export/1.0" and doc["agency"]["code"] == agency_a.code
    for group in national.GROUPS:
        for item in doc[group]:
            assert set(item) <= documented[group] | {"category"}, (
                group,
                set(item) - documented[group],
            )
    required = {
        "organisations": {"id", "name", "type"},
        "tasks": {"code", "title", "state"},
        "researchers": {"id", "full_name"},
        "publications": {"id", "title", "year", "authors"},
    }
    for group, keys in required.items():
        assert doc[group] and all(keys <= set(item) for item in doc[group])
    assert doc["counts"] == {g: len(doc[g]) for g in national.GROUPS}
    assert national.counts(agency=agency_a) == doc["counts"]  # what the staff page shows
    names = [o["name"] for o in doc["organisations"]]
    assert "Viện kín" not in names and "Viện của Hà Nội" not in names  # public, own agency
    assert [t["title"] for t in doc["tasks"]] == ["Nghiên cứu nuôi tôm công nghệ cao"]
    assert doc["tasks"][0]["results"] == [data["publication"].pk]
    assert [p["title"] for p in doc["publications"]] == ["Vi tảo"]
    assert [p["title"] for p in doc["results"]] == ["Báo cáo tổng kết"]
    ip = doc["industrial_property"]
    assert {(i["category"], i.get("title") or i.get("name")) for i in ip} == {
        ("result", "Ống nhựa"),
        ("asset", "Vải Hùng Long"),
    }
    assert doc["st_enterprises"] == [
        {
            "organisation_id": Organisation.objects.get(tax_code="0100100008").pk,
            "name": "Công ty CP Nhựa Thiếu niên Tiền Phong",
            "tax_code": "0100100008",
            "certificate_number": "07/DNKHCN",
            "certificate_date": "2021-03-15",
        }
    ]
    people = {p["full_name"]: p for p in doc["researchers"]}
    assert (
        "email" not in people[person.full_name] and "orcid" not in people[person.full_name]
    )  # no consent
    assert people["Trần Đồng Ý"]["email"] == "dongy@dhhp.edu.vn"
    assert AuditEvent.objects.filter(action=AuditAction.REGISTRY_NATIONAL_EXPORTED).count() == 1


def test_since_keeps_changed_records_and_the_api_checks_its_input(data, staff_a, client_of, person):
    old = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for model in (Organisation, Person, Result):
        model.objects.update(updated_at=old)
    Person.objects.filter(pk=person.pk).update(updated_at=dt.datetime(2025, 6, 2, tzinfo=dt.UTC))
    client = client_of(staff_a)
    body = client.get(URL, {"since": "2025-06-01"}).json()
    assert body["since"] == "2025-06-01"
    assert [p["full_name"] for p in body["researchers"]] == [person.full_name]
    assert body["organisations"] == [] and body["publications"] == []
    assert client.get(URL, {"since": "01/06/2025"}).json()["counts"]["researchers"] == 1
    bad = client.get(URL, {"since": "2025-13-45"})
    assert bad.status_code == 422 and "không phải là ngày hợp lệ" in bad.json()["detail"]
    assert client.get(URL, {"format": "pdf"}).status_code == 422
    xml = client.get(URL, {"format": "xml"})
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "national_export" and root.get("schema") == national.SCHEMA
    assert root.find("researchers/researcher/full_name") is not None


def test_only_staff_of_the_agency_may_export(data, staff_b, proposer, client_of, client, agency_a):
    assert client.get(URL).status_code == 401
    assert client_of(proposer).get(URL).status_code == 403
    other = client_of(staff_b).get(URL).json()
    assert [o["name"] for o in other["organisations"]] == ["Viện của Hà Nội"]
    assert client_of(staff_b).get(URL, {"agency": agency_a.code}).status_code == 404


def test_the_staff_page_shows_counts_and_downloads(data, staff_a, client_of, proposer):
    client = client_of(staff_a)
    page = client.get(reverse("registry-national-export"))
    assert page.status_code == 200 and "Sở hữu công nghiệp" in page.content.decode()
    download = client.get(reverse("registry-national-export"), {"download": "json", "since": ""})
    assert download["Content-Disposition"].startswith('attachment; filename="csdl-quoc-gia-')
    assert json.loads(download.content)["counts"]["tasks"] == 1
    bad = client.get(reverse("registry-national-export"), {"since": "32/01/2025"})
    assert bad.status_code == 422 and "không phải là ngày hợp lệ" in bad.content.decode()
    assert client_of(proposer).get(reverse("registry-national-export")).status_code == 404
