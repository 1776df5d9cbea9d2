"""/sitemap.xml lists every public page of the register and nothing else."""

import xml.etree.ElementTree as ET

import pytest

from khcn.registry import services
from khcn.workflow.models import Process
from tests.projects.steps import propose

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [el.text for el in ET.fromstring(response.content).findall(".//s:loc", NS)]


def test_sitemap_lists_only_public_records(
    client, staff_a, leader_a, agency_a, org, person, rulesets, proposer
):
    restricted = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Viện kín", kind="institute", access="restricted"
    )
    twin = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Trường ĐH Hải Phòng", kind="university"
    )
    services.organisation_merge(actor=staff_a, keep=org, remove=twin)
    hidden_person = services.person_create(
        actor=staff_a, agency=agency_a, full_name="Người Kín", access="restricted"
    )
    shown = services.result_create(
        actor=staff_a, agency=agency_a, kind="report", title="Báo cáo công khai", year=2024
    )
    secret = services.result_create(
        actor=leader_a,
        agency=agency_a,
        kind="report",
        title="Báo cáo mật",
        year=2024,
        access="confidential",
    )
    asset = services.ip_asset_create(
        actor=staff_a, agency=agency_a, kind="gi", name="Nước mắm Cát Hải"
    )
    approved = propose(proposer, agency_a, title="Nhiệm vụ đã duyệt")
    Process.objects.filter(pk=approved.process_id).update(state="APPROVED")
    pending = propose(proposer, agency_a, title="Đề xuất chờ duyệt")

    sections = locations(client, "/sitemap.xml")
    assert "http://testserver/sitemap-organisations.xml" in sections
    urls = [
        u
        for section in sections
        for u in locations(client, section.replace("http://testserver", ""))
    ]
    base = "http://testserver"

    assert f"{base}/csdl/" in urls and f"{base}/tim-kiem/" in urls
    assert f"{base}/csdl/linh-vuc/405/" in urls
    assert f"{base}/csdl/to-chuc/{org.pk}/" in urls
    assert f"{base}/csdl/nha-khoa-hoc/{person.pk}/" in urls
    assert f"{base}/csdl/ket-qua/{shown.pk}/" in urls
    assert f"{base}/csdl/tai-san-tri-tue/{asset.pk}/" in urls
    assert f"{base}/csdl/nhiem-vu/{approved.pk}/" in urls
    for hidden in (
        f"/csdl/to-chuc/{restricted.pk}/",
        f"/csdl/to-chuc/{twin.pk}/",
        f"/csdl/nha-khoa-hoc/{hidden_person.pk}/",
        f"/csdl/ket-qua/{secret.pk}/",
        f"/csdl/nhiem-vu/{pending.pk}/",
    ):
        assert base + hidden not in urls
    # every listed record page opens for an anonymous visitor
    for url in urls:
        if "/csdl/" in url:
            assert client.get(url.replace(base, "")).status_code == 200, url
