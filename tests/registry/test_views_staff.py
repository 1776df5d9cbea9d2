"""Staff pages of the S&T database: who may enter, lists, forms that refuse bad input in
Vietnamese and save nothing, the duplicate warning, access levels, organisations over time,
consent."""

import pytest

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.registry import services
from khcn.registry.models import Access, Affiliation, DuplicateFlag, Organisation, Person, Result
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


STAFF_PAGES = [
    "/co-so-du-lieu/",
    "/co-so-du-lieu/to-chuc/",
    "/co-so-du-lieu/nha-khoa-hoc/",
    "/co-so-du-lieu/ket-qua/",
    "/co-so-du-lieu/tai-san-tri-tue/",
    "/co-so-du-lieu/to-chuc/them/",
    "/co-so-du-lieu/nha-khoa-hoc/them/",
    "/co-so-du-lieu/ket-qua/them/",
    "/co-so-du-lieu/tai-san-tri-tue/them/",
    "/co-so-du-lieu/trung-lap/",
    "/co-so-du-lieu/lich-su-gop/",
]


def test_staff_pages_render_for_the_departments_people(client_of, staff_a, leader_a, org, person):
    for user in (staff_a, leader_a):
        client = client_of(user)
        for url in [
            *STAFF_PAGES,
            f"/co-so-du-lieu/to-chuc/{org.pk}/",
            f"/co-so-du-lieu/to-chuc/{org.pk}/sua/",
            f"/co-so-du-lieu/nha-khoa-hoc/{person.pk}/",
            f"/co-so-du-lieu/nha-khoa-hoc/{person.pk}/sua/",
        ]:
            assert client.get(url).status_code == 200, url


def test_everyone_else_gets_404(client, client_of, agency_a, staff_b, org):
    response = client.get("/co-so-du-lieu/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    for user in (user_with_role(Role.EXPERT, agency_a), user_with_role(Role.ENTERPRISE, agency_a)):
        client = client_of(user)
        for url in STAFF_PAGES:
            assert client.get(url).status_code == 404, url
    # staff of another province: their own area opens, agency A's records do not
    client = client_of(staff_b)
    assert client.get("/co-so-du-lieu/").status_code == 200
    assert client.get(f"/co-so-du-lieu/to-chuc/{org.pk}/").status_code == 404
    assert org.name not in text(client.get("/co-so-du-lieu/to-chuc/"))


def test_confidential_record_is_404_for_staff_visible_to_leader(
    client_of, staff_a, leader_a, agency_a
):
    secret = services.result_create(
        actor=leader_a,
        agency=agency_a,
        kind="report",
        title="Báo cáo mật",
        year=2024,
        access="confidential",
    )
    assert client_of(staff_a).get(f"/co-so-du-lieu/ket-qua/{secret.pk}/").status_code == 404
    assert "Báo cáo mật" not in text(client_of(staff_a).get("/co-so-du-lieu/ket-qua/"))
    assert client_of(leader_a).get(f"/co-so-du-lieu/ket-qua/{secret.pk}/").status_code == 200


def test_organisation_list_filters_and_sorts_in_vietnamese_order(client_of, staff_a, agency_a, org):
    for name, kind in [
        ("Công ty CP Nhựa Thiếu niên Tiền Phong", "enterprise"),
        ("Đài Khí tượng Hải Phòng", "state"),
        ("Công ty TNHH Dược Đông Á", "enterprise"),
        ("Viện Nghiên cứu Hải sản", "institute"),
    ]:
        services.organisation_create(actor=staff_a, agency=agency_a, name=name, kind=kind)
    client = client_of(staff_a)

    html = text(client.get("/co-so-du-lieu/to-chuc/"))
    order = [
        "Công ty CP Nhựa",
        "Công ty TNHH Dược",
        "Đài Khí tượng",
        "Trường Đại học",
        "Viện Nghiên cứu",
    ]
    positions = [html.index(n) for n in order]
    assert positions == sorted(positions)  # D before Đ, as the Vietnamese alphabet

    html = text(client.get("/co-so-du-lieu/to-chuc/", {"kind": "enterprise"}))
    assert "Tiền Phong" in html and "Viện Nghiên cứu" not in html
    html = text(client.get("/co-so-du-lieu/to-chuc/", {"q": "dai hoc hai phong"}))
    assert "Trường Đại học Hải Phòng" in html and "Tiền Phong" not in html
    html = text(client.get("/co-so-du-lieu/to-chuc/", {"access": "restricted"}))
    assert "Không có tổ chức nào khớp bộ lọc." in html


def test_people_sorted_by_given_name(client_of, staff_a, agency_a):
    for name in ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Bình", "Phạm Đức Anh"]:
        services.person_create(actor=staff_a, agency=agency_a, full_name=name)
    html = text(client_of(staff_a).get("/co-so-du-lieu/nha-khoa-hoc/"))

    positions = [
        html.index(n) for n in ["Nguyễn Thị An", "Phạm Đức Anh", "Lê Văn Bình", "Trần Văn Bình"]
    ]
    assert positions == sorted(positions)


def test_bad_tax_code_changes_nothing_and_says_why(client_of, staff_a, org):
    client = client_of(staff_a)
    before = Organisation.objects.count(), AuditEvent.objects.count()

    response = client.post(
        "/co-so-du-lieu/to-chuc/them/",
        {
            "name": "Công ty Cổ phần Mới",
            "kind": "enterprise",
            "tax_code": "0200167783",
            "access": "public",
        },
    )

    assert response.status_code == 200
    assert "Mã số thuế 0200167783 không đúng (sai chữ số kiểm tra)." in text(response)
    assert "Chưa có gì được lưu" in text(response)
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before


def test_bad_dates_and_email_show_vietnamese_messages(client_of, staff_a, org):
    response = client_of(staff_a).post(
        f"/co-so-du-lieu/to-chuc/{org.pk}/sua/",
        {
            "name": "Trường Đại học Hải Phòng",
            "kind": "university",
            "email": "khong-phai-email",
            "st_enterprise_cert_no": "01/2022/DNKHCN",
            "st_enterprise_cert_date": "31/02/2022",
        },
    )

    html = text(response)
    assert response.status_code == 200
    assert "Địa chỉ thư điện tử không hợp lệ." in html
    org.refresh_from_db()
    assert org.email == "" and org.st_enterprise_cert_no == ""


def test_create_warns_of_duplicates_then_saves_when_confirmed(client_of, staff_a, org):
    client = client_of(staff_a)
    data = {
        "name": "Trường ĐH Hải Phòng",
        "kind": "university",
        "tax_code": "0200167782",
        "access": "public",
    }

    response = client.post("/co-so-du-lieu/to-chuc/them/", data)
    html = text(response)
    assert "Có thể đã có bản ghi này trong cơ sở dữ liệu" in html
    assert f'href="/co-so-du-lieu/to-chuc/{org.pk}/"' in html
    assert "Trùng mã số thuế" in html
    assert Organisation.objects.count() == 1

    response = client.post("/co-so-du-lieu/to-chuc/them/", data | {"confirm_duplicate": "1"})
    new = Organisation.objects.exclude(pk=org.pk).get()
    assert (
        response.status_code == 302 and response["Location"] == f"/co-so-du-lieu/to-chuc/{new.pk}/"
    )
    assert DuplicateFlag.objects.filter(org_a=org, org_b=new, status="open").exists()
    html = text(client.get(response["Location"]))
    assert "Bản ghi này nghi trùng với:" in html


def test_person_form_bad_orcid_then_expert_with_fields(client_of, staff_a, org):
    client = client_of(staff_a)
    data = {
        "full_name": "Vũ Minh Đức",
        "degree": "TS",
        "orcid": "0000-0002-1825-0098",
        "organisation": org.pk,
        "position": "Trưởng khoa",
        "is_expert": "on",
        "expert_fields": ["405", "2"],
        "fields": ["405"],
        "access": "public",
    }

    response = client.post("/co-so-du-lieu/nha-khoa-hoc/them/", data)
    assert "ORCID 0000-0002-1825-0098 không đúng (sai chữ số kiểm tra)." in text(response)
    assert not Person.objects.filter(full_name="Vũ Minh Đức").exists()

    response = client.post(
        "/co-so-du-lieu/nha-khoa-hoc/them/", data | {"orcid": "0000-0001-5109-3700"}
    )
    person = Person.objects.get(full_name="Vũ Minh Đức")
    assert response["Location"] == f"/co-so-du-lieu/nha-khoa-hoc/{person.pk}/"
    assert person.is_expert and sorted(person.expert_fields.values_list("pk", flat=True)) == [
        "2",
        "405",
    ]
    assert person.affiliations.get().organisation == org


def test_affiliations_over_time_and_consent(client_of, staff_a, agency_a, person, org):
    other = services.organisation_create(
        actor=staff_a, agency=agency_a, name="Viện Nghiên cứu Hải sản", kind="institute"
    )
    client = client_of(staff_a)
    url = f"/co-so-du-lieu/nha-khoa-hoc/{person.pk}/"

    client.post(
        url + "cong-tac/",
        {
            "organisation": other.pk,
            "position": "Nghiên cứu viên",
            "start": "01/03/2010",
            "end": "31/12/2015",
        },
    )
    bad = client.post(
        url + "cong-tac/",
        {"organisation": other.pk, "start": "01/03/2016", "end": "01/01/2016"},
        follow=True,
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in text(bad)
    current = Affiliation.objects.get(person=person, organisation=org)
    client.post(f"/co-so-du-lieu/cong-tac/{current.pk}/ket-thuc/", {"end": "30/06/2026"})

    rows = list(person.affiliations.order_by("start", "pk").values_list("organisation_id", "end"))
    assert len(rows) == 2
    current.refresh_from_db()
    assert current.end.isoformat() == "2026-06-30"
    html = text(client.get(url))
    assert "Viện Nghiên cứu Hải sản" in html and "31/12/2015" in html

    client.post(url + "dong-y/", {"consent": "1"})
    person.refresh_from_db()
    assert person.public_consent and person.consent_at
    assert AuditEvent.objects.filter(action=AuditAction.REGISTRY_CONSENT_CHANGED).count() == 1


def test_access_level_changes(client_of, staff_a, leader_a, org):
    url = f"/co-so-du-lieu/to-chuc/{org.pk}/muc-truy-cap/"

    client_of(staff_a).post(url, {"access": "restricted"})
    org.refresh_from_db()
    assert org.access == Access.RESTRICTED
    response = client_of(staff_a).post(url, {"access": "confidential"}, follow=True)
    assert "Chỉ lãnh đạo Sở hoặc quản trị viên được đặt hoặc bỏ mức Mật." in text(response)
    org.refresh_from_db()
    assert org.access == Access.RESTRICTED
    client_of(leader_a).post(url, {"access": "confidential"})
    org.refresh_from_db()
    assert org.access == Access.CONFIDENTIAL


def test_result_form_links_authors_and_task_code(client_of, staff_a, org, person):
    client = client_of(staff_a)
    data = {
        "kind": "publication",
        "title": "Vi tảo trong nuôi tôm",
        "year": "2023",
        "field": "405",
        "authors": [person.pk],
        "host": org.pk,
        "project": "KHONG-CO",
        "access": "public",
    }

    response = client.post("/co-so-du-lieu/ket-qua/them/", data)
    assert "Không có nhiệm vụ mã KHONG-CO trong cơ sở dữ liệu của Sở." in text(response)
    assert not Result.objects.exists()

    response = client.post("/co-so-du-lieu/ket-qua/them/", data | {"project": "", "year": "20x3"})
    assert "Năm phải là số, ví dụ 2024." in text(response)
    assert not Result.objects.exists()

    client.post("/co-so-du-lieu/ket-qua/them/", data | {"project": ""})
    result = Result.objects.get()
    assert list(result.authors.all()) == [person]
    assert result.result_orgs.get().organisation == org

    response = client.post(
        f"/co-so-du-lieu/ket-qua/{result.pk}/sua/", data | {"project": "", "title": ""}
    )
    assert response.status_code == 200
    result.refresh_from_db()
    assert result.title == "Vi tảo trong nuôi tôm"


def test_ip_asset_protected_needs_certificate(client_of, staff_a, org):
    client = client_of(staff_a)
    data = {
        "kind": "collective",
        "name": "Vải Hùng Long",
        "status": "protected",
        "holder": org.pk,
        "access": "public",
    }

    response = client.post("/co-so-du-lieu/tai-san-tri-tue/them/", data)
    assert "Tài sản đã được bảo hộ phải có số văn bằng." in text(response)
    response = client.post(
        "/co-so-du-lieu/tai-san-tri-tue/them/",
        data | {"certificate_no": "NH-1", "certificate_date": "12/05/2020"},
    )
    assert response.status_code == 302
    assert "Vải Hùng Long" in text(client.get("/co-so-du-lieu/tai-san-tri-tue/"))
