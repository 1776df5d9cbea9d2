"""The template pages: list, download, preview, replace, reset – for the agency one works in."""

import pytest

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.models import Attachment
from khcn.documents.catalogue import DOCUMENTS
from khcn.documents.models import TemplateOverride
from khcn.documents.render import DOCX_CONTENT_TYPE, default_template, pdf_available
from khcn.documents.services import template_replace
from tests.documents.conftest import docx_text, edited_template
from tests.factories import upload, user_with_role

pytestmark = pytest.mark.django_db

LIST = "/quan-tri/mau-van-ban/"
CODE = "council_decision"
MARK = "Sở KH&CN Hải Phòng – mẫu riêng"


def url(code: str, action: str) -> str:
    return f"{LIST}{code}/{action}/"


def our_template(mark: str = MARK):
    return upload("qd-hoi-dong.docx", edited_template(CODE, mark))


def test_list_shows_the_seven_documents(client_of, staff_a):
    response = client_of(staff_a).get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    for spec in DOCUMENTS.values():
        assert str(spec.title) in html
        assert url(spec.code, "tai-mau") in html
        assert url(spec.code, "xem-thu") in html
        assert url(spec.code, "thay") in html
    assert html.count("Mẫu gốc") >= 7
    assert "Khôi phục mẫu gốc" not in html
    assert ("/xem-thu/pdf/" in html) is pdf_available()


def test_list_shows_who_customised_a_template(client_of, staff_a, admin_a, agency_a):
    template_replace(actor=admin_a, agency=agency_a, code=CODE, upload=our_template())

    html = client_of(staff_a).get(LIST).content.decode()

    assert "Mẫu riêng của cơ quan" in html
    assert "Nguyễn Đức Thành" in html
    assert url(CODE, "khoi-phuc") in html
    assert "Khôi phục mẫu gốc" in html


def test_menu_entry(client_of, staff_a):
    response = client_of(staff_a).get(LIST)

    active = [str(e["label"]) for e in response.context["menu"] if e["active"]]
    assert active == ["Mẫu văn bản"]


def test_download_the_default_template(client_of, staff_a):
    response = client_of(staff_a).get(url(CODE, "tai-mau"))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert "mau-council_decision.docx" in response["Content-Disposition"]
    assert response.content == default_template(CODE)


def test_download_the_agencys_template(client_of, staff_a, agency_a):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())

    response = client_of(staff_a).get(url(CODE, "tai-mau"))

    assert "qd-hoi-dong.docx" in response["Content-Disposition"]
    assert MARK in docx_text(response.content)


def test_preview_fills_the_sample(client_of, staff_a, agency_a):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())

    response = client_of(staff_a).get(url(CODE, "xem-thu"))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    text = docx_text(response.content)
    assert MARK in text
    assert "Trường Đại học Hải Phòng" in text
    assert "Hải Phòng, ngày 08 tháng 5 năm 2028" in text


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_preview_as_pdf(client_of, staff_a):
    response = client_of(staff_a).get(url("recognition_decision", "xem-thu/pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_pdf_without_libreoffice(client_of, staff_a, monkeypatch):
    from khcn.documents import render

    monkeypatch.setattr(render, "soffice_path", lambda: None)

    assert client_of(staff_a).get(url(CODE, "xem-thu/pdf")).status_code == 404
    assert "/xem-thu/pdf/" not in client_of(staff_a).get(LIST).content.decode()


def test_upload_form_lists_the_data_of_the_document(client_of, staff_a):
    html = client_of(staff_a).get(url("contract", "thay")).content.decode()

    assert "Hợp đồng thực hiện nhiệm vụ khoa học và công nghệ" in html
    for key in ("agency", "doc", "signer", "tranches", "budget_lines", "total_state"):
        assert f"<code>{key}</code>" in html


def test_upload_a_template(client_of, staff_a, agency_a):
    response = client_of(staff_a).post(url(CODE, "thay"), {"file": our_template()})

    assert response.status_code == 302
    assert response["Location"] == LIST
    override = TemplateOverride.objects.get(agency=agency_a, code=CODE)
    assert override.updated_by == staff_a
    assert AuditEvent.objects.filter(action=AuditAction.TEMPLATE_REPLACED).count() == 1
    page = client_of(staff_a).get(LIST).content.decode()
    assert "Đã thay mẫu" in page


def test_a_broken_upload_shows_the_reason_and_stores_nothing(client_of, staff_a, media_files):
    broken = upload("hong.docx", edited_template(CODE, "Số: {{ doc.number "))

    response = client_of(staff_a).post(url(CODE, "thay"), {"file": broken})

    assert response.status_code == 200
    html = response.content.decode()
    assert "lỗi cú pháp" in html
    assert "Quyết định thành lập hội đồng tư vấn" in html
    assert not TemplateOverride.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.exclude(action=AuditAction.LOGIN_SUCCEEDED).exists()
    assert media_files() == []


def test_a_non_docx_upload_is_refused(client_of, staff_a):
    response = client_of(staff_a).post(
        url(CODE, "thay"), {"file": upload("mau.docx", b"khong phai word")}
    )

    assert response.status_code == 200
    assert "Nội dung tệp không đúng với đuôi .docx" in response.content.decode()
    assert not TemplateOverride.objects.exists()


def test_upload_without_a_file(client_of, staff_a):
    response = client_of(staff_a).post(url(CODE, "thay"), {})

    assert response.status_code == 200
    assert "Hãy chọn một tệp .docx." in response.content.decode()


def test_reset_asks_then_restores(client_of, staff_a, agency_a):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    client = client_of(staff_a)

    confirm = client.get(url(CODE, "khoi-phuc"))
    assert confirm.status_code == 200
    assert "Dùng lại mẫu gốc" in confirm.content.decode()
    assert TemplateOverride.objects.exists()

    response = client.post(url(CODE, "khoi-phuc"))

    assert response.status_code == 302
    assert not TemplateOverride.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.TEMPLATE_RESET).count() == 1
    assert MARK not in docx_text(client.get(url(CODE, "xem-thu")).content)


def test_unknown_document_is_404(client_of, staff_a):
    client = client_of(staff_a)
    for action in ("tai-mau", "xem-thu", "thay", "khoi-phuc"):
        assert client.get(url("cong_van", action)).status_code == 404


def test_needs_login(client, db):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("role", [Role.LEADER, Role.HOST, Role.EXPERT, Role.ENTERPRISE])
@pytest.mark.parametrize("action", ["", "council_decision/tai-mau/", "council_decision/thay/"])
def test_other_roles_are_forbidden(client_of, agency_a, role, action):
    response = client_of(user_with_role(role, agency_a)).get(LIST + action)

    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.LEADER, Role.EXPERT])
def test_other_roles_cannot_post(client_of, agency_a, staff_a, role):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    client = client_of(user_with_role(role, agency_a))

    assert client.post(url(CODE, "khoi-phuc")).status_code == 403
    assert client.post(url(CODE, "thay"), {"file": our_template("X")}).status_code == 403
    assert TemplateOverride.objects.get().attachment.current_version == 1


def test_another_agencys_staff_see_only_their_own_templates(client_of, staff_a, staff_b, agency_a):
    template_replace(actor=staff_a, agency=agency_a, code=CODE, upload=our_template())
    client = client_of(staff_b)

    assert "Mẫu riêng của cơ quan" not in client.get(LIST).content.decode()
    assert client.get(url(CODE, "tai-mau")).content == default_template(CODE)
    assert MARK not in docx_text(client.get(url(CODE, "xem-thu")).content)
    client.post(url(CODE, "khoi-phuc"))
    assert TemplateOverride.objects.filter(agency=agency_a).exists()
