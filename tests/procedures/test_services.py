"""Filing and registering dossiers: every problem named in Vietnamese, nothing half-saved."""

from pathlib import Path

import pytest

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import DomainError
from khcn.core.models import Attachment
from khcn.procedures import services
from khcn.procedures.models import Dossier, DossierDocument
from khcn.workflow.fields import FieldErrors
from khcn.workflow.models import Process, ProcessParty
from tests.factories import ELF_BYTES, png_bytes, upload
from tests.procedures.helpers import APPLICANT, CITIZEN, FORMS, D, all_files, pdf, procedure, submit

pytestmark = pytest.mark.django_db


def nothing_saved():
    return (
        Dossier.objects.count() == 0
        and Process.objects.count() == 0
        and Attachment.objects.count() == 0
        and DossierDocument.objects.count() == 0
    )


def errors_of(call) -> dict:
    with pytest.raises(FieldErrors) as caught:
        call()
    return caught.value.errors


def test_missing_mandatory_documents_are_listed_and_nothing_is_saved(
    procedure_catalogue, agency_a, enterprise
):
    files = all_files(procedure())
    del files["ket_qua_khcn"], files["phuong_an"]

    errors = errors_of(lambda: submit(enterprise, agency_a, files=files))

    assert errors["files.ket_qua_khcn"].startswith("Thiếu thành phần hồ sơ bắt buộc:")
    assert "Phương án sản xuất" in errors["files.phuong_an"]
    assert "files.don" not in errors
    assert nothing_saved()


@pytest.mark.parametrize(
    ("tax_code", "message"),
    [
        ("0200167783", "sai chữ số kiểm tra"),
        ("12345", "10 chữ số"),
        ("", "10 chữ số"),
    ],
)
def test_an_invalid_tax_code_is_refused(
    procedure_catalogue, agency_a, enterprise, tax_code, message
):
    errors = errors_of(
        lambda: submit(enterprise, agency_a, applicant={**APPLICANT, "tax_code": tax_code})
    )
    assert message in errors["applicant.tax_code"]
    assert nothing_saved()


def test_form_fields_are_checked_by_type(procedure_catalogue, agency_a, enterprise):
    form = {**FORMS["KHCN-DNKHCN-01"], "founded_on": "31/02/2018", "st_revenue_share": "nhiều"}
    del form["st_products"]
    form["unknown"] = "x"

    errors = errors_of(lambda: submit(enterprise, agency_a, form_data=form))

    assert "không phải ngày hợp lệ" in errors["founded_on"]
    assert "số nguyên" in errors["st_revenue_share"]
    assert (
        errors["st_products"] == "Cần nhập «Sản phẩm hình thành từ kết quả khoa học và công nghệ»."
    )
    assert "không có trong tờ khai" in errors["unknown"]
    assert nothing_saved()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("van-bang.pdf", png_bytes(), "Nội dung tệp không đúng với đuôi .pdf"),
        ("van-bang.pdf", ELF_BYTES, "Nội dung tệp không đúng với đuôi .pdf"),
        ("van-bang.png", png_bytes(), "chỉ nhận tệp .pdf"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(
    procedure_catalogue, agency_a, enterprise, settings, name, content, message
):
    files = {**all_files(procedure()), "ket_qua_khcn": [upload(name, content)]}

    errors = errors_of(lambda: submit(enterprise, agency_a, files=files))

    assert message in errors["files.ket_qua_khcn"]
    assert nothing_saved()
    leftovers = Path(settings.MEDIA_ROOT) / "tmp"
    assert not (leftovers.exists() and any(leftovers.iterdir()))


def test_an_individual_needs_a_valid_citizen_id(procedure_catalogue, agency_a, citizen):
    errors = errors_of(
        lambda: submit(
            citizen, agency_a, "KHCN-SK-01", applicant={**CITIZEN, "citizen_id": "000123"}
        )
    )
    assert errors["applicant.citizen_id"] == "Số căn cước công dân phải gồm đúng 12 chữ số."

    dossier = submit(citizen, agency_a, "KHCN-SK-01", applicant=dict(CITIZEN))
    assert dossier.applicant_kind == "individual"
    assert dossier.citizen_id == "031190001234"
    assert ProcessParty.objects.get(process=dossier.process).role == "public"


def test_an_organisation_procedure_refuses_an_individual(procedure_catalogue, agency_a, citizen):
    errors = errors_of(lambda: submit(citizen, agency_a, applicant=dict(CITIZEN)))
    assert errors["applicant.kind"] == "Thủ tục này dành cho: Tổ chức, doanh nghiệp."


def test_staff_cannot_file_online_but_register_paper_dossiers(
    procedure_catalogue, agency_a, staff_a, enterprise
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="doanh nghiệp hoặc người dân"):
        submit(staff_a, agency_a)

    proc = procedure("KHCN-CGCN-01")
    dossier = services.dossier_register_counter(
        actor=staff_a,
        procedure=proc,
        agency=agency_a,
        applicant=dict(APPLICANT),
        form_data=dict(FORMS["KHCN-CGCN-01"]),
        files=all_files(proc),
        applicant_user=enterprise,
    )
    assert dossier.channel == "counter"
    assert dossier.received_by == staff_a
    assert dossier.form_data["contract_date"] == "2026-03-02" or dossier.form_data[
        "contract_date"
    ].endswith("-03-02")
    assert dossier.form_data["contract_value"] == 1200000000
    assert ProcessParty.objects.get(process=dossier.process).user == enterprise
    assert AuditEvent.objects.filter(action=AuditAction.DOSSIER_REGISTERED).count() == 1


def test_codes_run_per_agency_and_year(procedure_catalogue, agency_a, enterprise):
    first = submit(enterprise, agency_a, on=D(2025, 12, 31))
    second = submit(enterprise, agency_a, on=D(2026, 1, 5))
    third = submit(enterprise, agency_a, on=D(2026, 1, 5))

    assert [first.code, second.code, third.code] == [
        "HP-TEST-2025-000001",
        "HP-TEST-2026-000001",
        "HP-TEST-2026-000002",
    ]
    assert AuditEvent.objects.filter(action=AuditAction.DOSSIER_SUBMITTED).count() == 3


def test_a_supplement_needs_a_file_and_the_right_step(
    procedure_catalogue, agency_a, staff_a, enterprise
):
    dossier = submit(enterprise, agency_a, on=D(2026, 3, 2))
    with pytest.raises(DomainError, match="không ở bước chờ bổ sung"):
        services.dossier_supplement(actor=enterprise, dossier=dossier, files={"don": [pdf()]})
    dossier = services.dossier_request_supplement(actor=staff_a, dossier=dossier, items="Đơn ký")
    errors = errors_of(
        lambda: services.dossier_supplement(actor=enterprise, dossier=dossier, files={})
    )
    assert errors["files"] == "Cần gửi kèm ít nhất một tệp bổ sung."
    assert dossier.state == "SUPPLEMENT_REQUESTED"


def test_issue_result_only_through_the_certificate_service(
    procedure_catalogue, agency_a, staff_a, enterprise
):
    dossier = submit(enterprise, agency_a)
    with pytest.raises(DomainError, match="Cấp giấy chứng nhận"):
        services.dossier_act(actor=staff_a, dossier=dossier, action="issue_result")
    with pytest.raises(DomainError, match="đã được phê duyệt"):
        services.certificate_issue(actor=staff_a, dossier=dossier)
