"""The public register: anyone reads public records; restricted and confidential ones,
unconsented personal data and unapproved tasks never reach an anonymous visitor."""

import re

import pytest

from khcn.registry import services
from khcn.workflow.models import Process
from tests.projects.steps import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(staff_a, leader_a, agency_a, org):
    """A restricted organisation, a confidential result and a restricted person."""
    secret_org = services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Viện Nghiên cứu Quốc phòng Hải Phòng",
        kind="institute",
        access="restricted",
    )
    secret_result = services.result_create(
        actor=leader_a,
        agency=agency_a,
        kind="patent",
        title="Quy trình chế tạo vật liệu mật",
        year=2024,
        organisations=[org],
        access="confidential",
    )
    restricted_person = services.person_create(
        actor=staff_a,
        agency=agency_a,
        organisation=org,
        full_name="Đỗ Văn Kín",
        access="restricted",
    )
    return secret_org, secret_result, restricted_person


@pytest.fixture
def public_result(staff_a, agency_a, org, person):
    return services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="publication",
        title="Ứng dụng vi tảo trong nuôi tôm thẻ chân trắng",
        abstract="Vi tảo Chaetoceros…",
        year=2023,
        field="405",
        authors=[person],
        organisations=[org],
        doi="10.1016/j.aqua.2023.1",
    )


@pytest.fixture
def tasks(rulesets, proposer, agency_a):
    """An approved task hosted by the university, and a proposal not yet approved."""
    approved = propose(proposer, agency_a, title="Nghiên cứu nuôi tôm công nghệ cao")
    approved.host_org = "Trường Đại học Hải Phòng"
    approved.leader_name = "PGS.TS. Nguyễn Thị Lan Hương"
    approved.budget_state = 850_000_000
    approved.save()
    Process.objects.filter(pk=approved.process_id).update(state="APPROVED")
    pending = propose(proposer, agency_a, title="Đề xuất chưa được duyệt về cảng biển")
    approved.refresh_from_db()
    return approved, pending


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def test_front_page_counts_public_records_only(client, org, person, public_result, hidden):
    html = client.get("/csdl/").content.decode()

    assert "Cơ sở dữ liệu khoa học và công nghệ" in html
    assert 'action="/tim-kiem/"' in html
    assert "Ứng dụng vi tảo trong nuôi tôm thẻ chân trắng" in html
    assert "Quy trình chế tạo vật liệu mật" not in html
    assert "405. Nuôi trồng thủy sản" in html or "405." in html
    assert meta(html, "description")
    assert '<link rel="canonical" href="http://testserver/csdl/">' in html


def test_organisation_page_shows_public_links_and_meta(
    client, org, person, public_result, hidden, tasks
):
    approved, pending = tasks
    response = client.get(f"/csdl/to-chuc/{org.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Trường Đại học Hải Phòng · KHCN</title>" in html
    assert meta(html, "og:title") == "Trường Đại học Hải Phòng"
    assert meta(html, "og:url") == f"http://testserver/csdl/to-chuc/{org.pk}/"
    assert f'<link rel="canonical" href="http://testserver/csdl/to-chuc/{org.pk}/">' in html
    assert "0200167782" in html
    assert "PGS.TS. Nguyễn Thị Lan Hương" in html  # public fields of a public person
    assert "Ứng dụng vi tảo trong nuôi tôm thẻ chân trắng" in html
    assert "Nghiên cứu nuôi tôm công nghệ cao" in html  # approved task it hosts
    # never the restricted person, the confidential result or the unapproved proposal
    assert "Đỗ Văn Kín" not in html
    assert "Quy trình chế tạo vật liệu mật" not in html
    assert "Đề xuất chưa được duyệt" not in html


def test_restricted_and_confidential_records_are_404_for_the_public(client, hidden, staff_b):
    secret_org, secret_result, restricted_person = hidden

    assert client.get(f"/csdl/to-chuc/{secret_org.pk}/").status_code == 404
    assert client.get(f"/csdl/ket-qua/{secret_result.pk}/").status_code == 404
    assert client.get(f"/csdl/nha-khoa-hoc/{restricted_person.pk}/").status_code == 404
    assert client.get("/csdl/to-chuc/999999/").status_code == 404
    client.force_login(staff_b)  # another province's staff: still not theirs
    assert client.get(f"/csdl/to-chuc/{secret_org.pk}/").status_code == 404


def test_staff_of_the_agency_see_restricted_pages_with_a_notice(
    client_of, hidden, staff_a, leader_a
):
    secret_org, secret_result, _person = hidden
    client = client_of(staff_a)

    html = client.get(f"/csdl/to-chuc/{secret_org.pk}/").content.decode()
    assert "công chúng không xem được trang này" in html
    assert f'href="/co-so-du-lieu/to-chuc/{secret_org.pk}/"' in html  # its staff page
    assert client.get(f"/csdl/ket-qua/{secret_result.pk}/").status_code == 404  # Mật: leaders
    assert client_of(leader_a).get(f"/csdl/ket-qua/{secret_result.pk}/").status_code == 200


def test_person_page_hides_personal_data_without_consent(client, person, staff_a):
    html = client.get(f"/csdl/nha-khoa-hoc/{person.pk}/").content.decode()

    assert "PGS.TS. Nguyễn Thị Lan Hương" in html
    assert "nuôi trồng thủy sản, vi tảo" in html
    for personal in ("huong@dhhp.edu.vn", "0000-0002-1825-0097", "1975"):
        assert personal not in html
    assert "huong@dhhp.edu.vn" not in meta(html, "description")

    services.person_consent_set(actor=staff_a, person=person, consent=True)
    html = client.get(f"/csdl/nha-khoa-hoc/{person.pk}/").content.decode()
    assert "huong@dhhp.edu.vn" in html
    assert "0000-0002-1825-0097" in html


def test_result_page_links_authors_and_organisation(client, public_result, org, person):
    html = client.get(f"/csdl/ket-qua/{public_result.pk}/").content.decode()

    assert f'href="/csdl/nha-khoa-hoc/{person.pk}/"' in html
    assert f'href="/csdl/to-chuc/{org.pk}/"' in html
    assert "10.1016/j.aqua.2023.1" in html
    assert meta(html, "og:type") == "article"
    assert "Vi tảo Chaetoceros" in meta(html, "description")


def test_task_page_public_once_approved(client, client_of, tasks, org, staff_a):
    approved, pending = tasks

    html = client.get(f"/csdl/nhiem-vu/{approved.pk}/").content.decode()
    assert "Nghiên cứu nuôi tôm công nghệ cao" in html
    assert "850.000.000 ₫" in html
    assert f'href="/csdl/to-chuc/{org.pk}/"' in html  # host matched to the register
    assert "PGS.TS. Nguyễn Thị Lan Hương" in html
    assert client.get(f"/csdl/nhiem-vu/{pending.pk}/").status_code == 404
    # staff who can see the proposal are sent to its working page instead
    response = client_of(staff_a).get(f"/csdl/nhiem-vu/{pending.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/nhiem-vu/{pending.pk}/"


def test_ip_asset_page(client, staff_a, agency_a, org):
    asset = services.ip_asset_create(
        actor=staff_a,
        agency=agency_a,
        kind="collective",
        name="Vải Hùng Long",
        product="Quả vải tươi",
        holder=org,
        status="protected",
        certificate_no="NH-123456",
        certificate_date="12/05/2020",
    )
    hidden_asset = services.ip_asset_create(
        actor=staff_a,
        agency=agency_a,
        kind="gi",
        name="Chỉ dẫn đang xây dựng",
        access="restricted",
    )

    html = client.get(f"/csdl/tai-san-tri-tue/{asset.pk}/").content.decode()
    assert "Vải Hùng Long" in html and "NH-123456" in html and "12/05/2020" in html
    assert "Đã được bảo hộ" in html
    assert client.get(f"/csdl/tai-san-tri-tue/{hidden_asset.pk}/").status_code == 404


def test_merged_organisation_sends_to_the_kept_one(client, staff_a, agency_a, org):
    twin = services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Trường ĐH Hải Phòng",
        kind="university",
        tax_code="0200167782",
    )
    services.organisation_merge(actor=staff_a, keep=org, remove=twin)

    response = client.get(f"/csdl/to-chuc/{twin.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/csdl/to-chuc/{org.pk}/"


def test_field_page_lists_public_results(client, public_result, hidden):
    html = client.get("/csdl/linh-vuc/4/").content.decode()

    assert "Ứng dụng vi tảo trong nuôi tôm thẻ chân trắng" in html
    assert "Quy trình chế tạo vật liệu mật" not in html
    assert client.get("/csdl/linh-vuc/999/").status_code == 404


def test_every_public_page_has_title_description_canonical_and_open_graph(
    client, org, person, public_result, tasks, staff_a, agency_a
):
    approved, _pending = tasks
    asset = services.ip_asset_create(
        actor=staff_a, agency=agency_a, kind="gi", name="Nước mắm Cát Hải", holder=org
    )
    for url, title in [
        ("/csdl/", "Cơ sở dữ liệu khoa học và công nghệ"),
        ("/csdl/linh-vuc/405/", "Lĩnh vực 405. Thủy sản"),
        (f"/csdl/to-chuc/{org.pk}/", org.name),
        (f"/csdl/nha-khoa-hoc/{person.pk}/", "PGS.TS. Nguyễn Thị Lan Hương"),
        (f"/csdl/ket-qua/{public_result.pk}/", public_result.title),
        (f"/csdl/nhiem-vu/{approved.pk}/", approved.title),
        (f"/csdl/tai-san-tri-tue/{asset.pk}/", "Nước mắm Cát Hải"),
    ]:
        html = client.get(url).content.decode()
        assert f"<title>{title} · KHCN</title>" in html, url
        assert meta(html, "og:title") == title, url
        assert len(meta(html, "description")) > 20, url
        assert meta(html, "og:description") == meta(html, "description"), url
        assert f'<link rel="canonical" href="http://testserver{url}">' in html, url
        assert meta(html, "og:url") == f"http://testserver{url}", url
