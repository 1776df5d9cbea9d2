"""One S&T enterprise certificate dossier from online filing to the returned result: the legal
clock across the Hùng Kings and 30/4–1/5 holidays of 2026, paused while the enterprise
supplements the dossier and lengthened when experts are consulted (NĐ 13/2019), the
certificate and its register, the notices to the applicant and the public lookup."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from docx import Document

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.files import blob_path
from khcn.core.models import Attachment
from khcn.notifications.models import Notification
from khcn.procedures import selectors, services
from khcn.procedures.models import Certificate, Dossier
from khcn.workflow.models import Deadline, ProcessEvent
from tests.procedures.helpers import TAX_CODE, D, act, pdf, submit

pytestmark = pytest.mark.django_db


def docx_text(attachment: Attachment) -> str:
    version = attachment.versions.get(number=attachment.current_version)
    doc = Document(str(blob_path(version.sha256)))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def resolution(dossier: Dossier) -> Deadline:
    return Deadline.objects.filter(process=dossier.process, key="resolution").latest("pk")


def notices(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True)
    )


def test_an_enterprise_certificate_from_filing_to_return(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    # -- Friday 24/4/2026: filed online. 10 working days (NĐ 13/2019) skip 27/4 (Hùng Kings,
    #    moved from Sunday), 30/4 and 1/5: due Wednesday 13/5.
    dossier = submit(enterprise, agency_a, on=D(2026, 4, 24))
    assert dossier.code == "HP-TEST-2026-000001"
    assert dossier.state == "RECEIVED"
    assert dossier.received_on == D(2026, 4, 24)
    assert dossier.due_date == dossier.promised_date == D(2026, 5, 13)
    assert dossier.tax_code == TAX_CODE
    assert dossier.documents.count() == 3
    validity = Deadline.objects.get(process=dossier.process, key="validity_check")
    assert validity.due == D(2026, 5, 4)  # 3 working days to answer on validity
    receipt = docx_text(dossier.receipt)
    assert "HP-TEST-2026-000001" in receipt
    assert "ngày 13 tháng 5 năm 2026" in receipt
    assert "10 ngày làm việc" in receipt
    assert any("Hồ sơ mới HP-TEST-2026-000001" in t for t in notices(staff_a))

    # -- Tuesday 28/4: valid, to appraisal; Wednesday 29/4: a supplement is requested.
    dossier = act(staff_a, dossier, "accept", D(2026, 4, 28))
    with clock.travel(D(2026, 4, 29)):
        dossier = services.dossier_request_supplement(
            actor=staff_a, dossier=dossier, items="Bản sao văn bằng bảo hộ sáng chế số 12345."
        )
    assert dossier.state == "SUPPLEMENT_REQUESTED"
    assert dossier.supplement_count == 1
    assert resolution(dossier).paused_since == D(2026, 4, 29)
    public = selectors.dossier_lookup(dossier.code.lower())
    assert public["status"] == "Chờ tổ chức, cá nhân bổ sung hồ sơ"

    # -- nobody skips the applicant's answer
    with pytest.raises(DomainError, match="Chờ bổ sung hồ sơ"):
        act(staff_a, dossier, "accept", D(2026, 5, 5))

    # -- Wednesday 6/5: the enterprise supplements. The clock stood still for 3 working days
    #    (4, 5 and 6/5; 30/4 and 1/5 are days off): due 13/5 + 3 = Monday 18/5.
    with clock.travel(D(2026, 5, 6)):
        dossier = services.dossier_supplement(
            actor=enterprise,
            dossier=dossier,
            files={"ket_qua_khcn": [pdf("van-bang.pdf")]},
            remark="Gửi bản sao văn bằng.",
        )
    assert dossier.state == "RECEIVED"
    assert dossier.due_date == D(2026, 5, 18)
    assert resolution(dossier).paused_days == 3
    assert dossier.documents.filter(round=1).count() == 1

    # -- Thursday 7/5 valid again; Friday 8/5 experts are consulted: 15 working days instead
    #    of 10 (NĐ 13/2019), still plus the 3 paused days: due Monday 25/5.
    dossier = act(staff_a, dossier, "accept", D(2026, 5, 7))
    with clock.travel(D(2026, 5, 12)):
        dossier = services.dossier_appraise(
            actor=staff_a,
            dossier=dossier,
            recommendation="approve",
            appraisal="Đủ điều kiện theo NĐ 13/2019.",
            experts=True,
        )
    assert dossier.due_date == D(2026, 5, 25)
    assert dossier.state == "AWAITING_DECISION"
    assert selectors.remaining_working_days(dossier, today=D(2026, 5, 12)) == 9

    # -- only the leader decides; Wednesday 13/5 approved
    with pytest.raises(PermissionDenied):
        act(staff_a, dossier, "approve", D(2026, 5, 13))
    with clock.travel(D(2026, 5, 13)):
        dossier = services.dossier_decide(actor=leader_a, dossier=dossier, approve=True)
    assert dossier.state == "APPROVED"

    # -- Thursday 14/5: the certificate, numbered, valid 5 years, with the declared products
    with clock.travel(D(2026, 5, 14)):
        certificate = services.certificate_issue(actor=staff_a, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == "RESULT_ISSUED"
    assert dossier.finished_on == D(2026, 5, 14)
    assert dossier.outcome == "approved" and dossier.late is False
    assert certificate.number == "01/2026/DNKHCN"
    assert certificate.status == Certificate.Status.VALID
    assert certificate.valid_until == D(2031, 5, 13)
    assert certificate.holder_tax_code == TAX_CODE
    text = docx_text(certificate.document)
    assert "GIẤY CHỨNG NHẬN DOANH NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ" in text
    assert "Chế phẩm vi sinh CH-Bio 01" in text
    assert list(selectors.certificates_public(type="dn_khcn")) == [certificate]
    assert AuditEvent.objects.filter(action=AuditAction.CERTIFICATE_ISSUED).count() == 1

    # -- Friday 15/5: returned
    with clock.travel(D(2026, 5, 15)):
        dossier = services.dossier_return(actor=staff_a, dossier=dossier)
    assert dossier.state == "RETURNED"
    assert dossier.returned_on == D(2026, 5, 15)
    assert dossier.process.is_closed
    assert resolution(dossier).status == Deadline.Status.MET

    # -- every step recorded with its actor, time and remarks
    history = list(
        ProcessEvent.objects.filter(process=dossier.process)
        .order_by("seq")
        .values_list("action", "actor__username", "at__date")
    )
    assert [h[0] for h in history] == [
        "_start",
        "accept",
        "request_supplement",
        "supplement",
        "accept",
        "consult_experts",
        "propose",
        "approve",
        "issue_result",
        "return",
    ]
    assert history[3][1] == "dn.cathai" and history[7][1] == "lanhdao.a"
    assert history[3][2] == D(2026, 5, 6)
    assert ProcessEvent.objects.get(process=dossier.process, action="supplement").remark == (
        "Gửi bản sao văn bằng."
    )

    # -- the applicant was told at each step taken by the department
    titles = notices(enterprise)
    assert len(titles) == 7
    assert all(t.startswith("HP-TEST-2026-000001") for t in titles)
    assert any("Chờ bổ sung hồ sơ" in t for t in titles)
    assert any("Đã trả kết quả" in t for t in titles)

    # -- the public lookup: dates and step, nothing personal
    public = selectors.dossier_lookup(" hp-test-2026-000001 ")
    assert public == {
        "code": "HP-TEST-2026-000001",
        "procedure": "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "status": "Đã trả kết quả",
        "finished": True,
        "received_on": D(2026, 4, 24),
        "promised_date": D(2026, 5, 25),
        "returned_on": D(2026, 5, 15),
    }
    assert selectors.dossier_lookup("HP-TEST-2026-000002") is None
    assert selectors.dossier_lookup("' OR 1=1 --") is None

    # -- the year's statistics count it as resolved on time after one supplement request
    stats = selectors.dossier_statistics(
        user=leader_a,
        agency=agency_a,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 12, 31),
        today=D(2026, 6, 1),
    )
    total = stats.total
    assert (total.received, total.resolved_on_time, total.resolved_late) == (1, 1, 0)
    assert total.supplement_requested == 1 and total.on_time_rate == 100.0


def test_a_late_dossier_needs_an_apology_letter_before_its_return(
    procedure_catalogue, agency_a, staff_a, leader_a, enterprise
):
    dossier = submit(enterprise, agency_a, on=D(2026, 4, 24))  # due 13/5/2026
    dossier = act(staff_a, dossier, "accept", D(2026, 4, 28))
    dossier = act(
        staff_a,
        dossier,
        "propose",
        D(2026, 5, 12),
        data={"recommendation": "refuse", "appraisal": "Chưa đủ tỷ lệ doanh thu."},
    )
    with pytest.raises(DomainError, match="chưa cần phiếu xin lỗi"):
        with clock.travel(D(2026, 5, 4)):
            services.apology_letter_issue(
                actor=staff_a, dossier=dossier, new_date=D(2026, 5, 20), reason="Chậm"
            )
    # the leader refuses with reasons two days late
    with clock.travel(D(2026, 5, 15)):
        dossier = services.dossier_decide(
            actor=leader_a,
            dossier=dossier,
            approve=False,
            reason="Doanh thu từ sản phẩm KH&CN dưới 30% (NĐ 13/2019).",
        )
    assert dossier.state == "REFUSED"
    assert dossier.late is True and dossier.outcome == "refused"
    with pytest.raises(DomainError, match="phiếu xin lỗi"):
        with clock.travel(D(2026, 5, 18)):
            services.dossier_return(actor=staff_a, dossier=dossier)
    with clock.travel(D(2026, 5, 18)):
        letter = services.apology_letter_issue(
            actor=staff_a,
            dossier=dossier,
            new_date=D(2026, 5, 19),
            reason="Hồ sơ phải lấy thêm ý kiến về doanh thu.",
        )
        dossier = services.dossier_return(actor=staff_a, dossier=dossier)
    assert dossier.state == "CLOSED_REFUSED"
    assert dossier.promised_date == D(2026, 5, 19)
    assert "hẹn lại thời gian trả kết quả vào ngày 19 tháng 5 năm 2026" in docx_text(
        letter.attachment
    )
    owned = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(Dossier), owner_id=str(dossier.pk)
    )
    assert owned.filter(pk=letter.attachment_id).exists()
    stats = selectors.dossier_statistics(
        user=staff_a,
        agency=agency_a,
        date_from=D(2026, 5, 1),
        date_to=D(2026, 5, 31),
        today=D(2026, 6, 1),
    )
    assert (stats.total.carried_over, stats.total.resolved_late, stats.total.refused) == (1, 1, 1)
    assert stats.total.on_time_rate == 0.0
