"""One S&T task from the proposal to liquidation and the monitoring of its application,
each step taken by the person the rules give it to, through the services."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from docx import Document

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.models import Attachment
from khcn.councils.models import Council
from khcn.documents.render import pdf_available, to_pdf
from khcn.notifications.models import Notification
from khcn.projects import services
from khcn.projects.models import Application, Ineligibility, Project
from khcn.projects.selectors import eligibility_problems, money_summary, year_figures
from khcn.workflow.fields import FieldErrors
from khcn.workflow.models import ProcessParty
from tests.projects.steps import (
    STATE_BUDGET,
    D,
    accept,
    act,
    apply,
    approve,
    contract,
    identify,
    open_call,
    propose,
    select,
)

pytestmark = pytest.mark.django_db


def docx_text(attachment: Attachment) -> str:
    from khcn.core.files import blob_path

    doc = Document(
        str(blob_path(attachment.versions.get(number=attachment.current_version).sha256))
    )
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def contract_doc_bytes(attachment: Attachment) -> bytes:
    from khcn.core.files import blob_path

    version = attachment.versions.get(number=attachment.current_version)
    return blob_path(version.sha256).read_bytes()


def owned(obj) -> list[Attachment]:
    return list(
        Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(obj), owner_id=str(obj.pk)
        ).order_by("pk")
    )


def test_a_task_from_proposal_to_application_monitoring(
    rulesets, agency_a, staff_a, leader_a, host, rival, experts, proposer
):
    # -- proposal and identification (TT 06/2023)
    project = propose(proposer, agency_a)
    assert project.process.state == "PROPOSED"
    assert project.code == "HP-TEST.2026.001"
    assert ProcessParty.objects.filter(
        process=project.process, user=proposer, role="proposer"
    ).exists()
    with pytest.raises(DomainError, match="chưa kết luận đề nghị đặt hàng"):
        act(leader_a, project, "order", D(2026, 1, 9), decision_no="1", decision_date=D(2026, 1, 9))
    identify(staff_a, leader_a, project, experts, yes=8)  # 8 of 9 > 3/4
    assert project.process.state == "ORDERED"
    ident = Council.objects.get(project=project, kind="identification")
    assert ident.result["votes"] == {"yes": 8, "no": 1}
    assert {a.title.split(" – ")[0] for a in owned(ident)} == {
        "Quyết định thành lập hội đồng tư vấn",
        "Biên bản họp hội đồng tư vấn",
    }

    # -- call for selection and two applications (TT 20/2023)
    call = open_call(staff_a, project)
    project.refresh_from_db()
    assert project.process.state == "CALL_OPEN" and project.call == call
    winner = apply(host, project, "Trường Đại học Hải Phòng", "TS. Lê Minh Tuấn")
    other = apply(rival, project, "Viện Nghiên cứu Cơ khí", "TS. Nguyễn Thị Bích")
    assert winner.submitted_at.date() == D(2026, 2, 2)
    assert winner.team.count() == 2 and winner.team.first().cv is not None
    with pytest.raises(DomainError, match="đã nộp hồ sơ"):
        apply(host, project, "Trường Đại học Hải Phòng", "TS. Lê Minh Tuấn")
    with pytest.raises(DomainError, match="nhận hồ sơ từ"):
        apply(host, project, "Trường ĐH khác", "TS. A", day=D(2026, 3, 1))

    select(staff_a, project, experts, [winner, other])
    project.refresh_from_db()
    assert project.process.state == "SCORED"
    assert project.host_org == "Trường Đại học Hải Phòng"
    assert project.leader_name == "TS. Lê Minh Tuấn"
    assert project.budget_state == STATE_BUDGET and project.budget_other == Decimal(150_000_000)
    winner.refresh_from_db()
    other.refresh_from_db()
    assert (winner.status, other.status) == (
        Application.Status.SELECTED,
        Application.Status.NOT_SELECTED,
    )
    assert ProcessParty.objects.filter(process=project.process, user=host, role="host").exists()
    sel = Council.objects.get(project=project, kind="selection")
    assert sel.result["winner"] == winner.pk
    assert sel.result["ranking"][0]["mean"] == "84.00"

    # -- approval: the approved budget must equal the state-budget lines
    act(staff_a, project, "request_revision", D(2026, 3, 12))
    act(
        staff_a,
        project,
        "appraise_budget",
        D(2026, 3, 20),
        appraisal_date=D(2026, 3, 20),
        appraised_budget=int(STATE_BUDGET),
    )
    with pytest.raises(DomainError, match="phải bằng tổng dự toán"):
        act(
            leader_a,
            project,
            "approve",
            D(2026, 3, 25),
            decision_no="45/QĐ-UBND",
            start_date=D(2026, 4, 1),
            end_date=D(2027, 3, 31),
            budget=900_000_000,
        )
    act(
        leader_a,
        project,
        "approve",
        D(2026, 3, 25),
        decision_no="45/QĐ-UBND",
        start_date=D(2026, 4, 1),
        end_date=D(2027, 3, 31),
        budget=int(STATE_BUDGET),
    )
    project.refresh_from_db()
    assert (project.start_date, project.end_date) == (D(2026, 4, 1), D(2027, 3, 31))

    # -- contract: tranches add up to the budget, or nothing is saved
    with pytest.raises(FieldErrors, match="phải bằng kinh phí ngân sách"):
        with clock.travel(D(2026, 3, 28)):
            services.contract_register(
                actor=staff_a,
                project=project,
                number="15/2026/HĐ-KHCN",
                signed_date=D(2026, 3, 28),
                tranches=[
                    {"milestone": "Tạm ứng", "planned_date": D(2026, 4, 5), "amount": "800.000.000"}
                ],
            )
    assert not hasattr(Project.objects.get(pk=project.pk), "contract")
    deal = contract(staff_a, project)
    project.refresh_from_db()
    assert project.process.state == "CONTRACTED"
    contract_doc = next(a for a in owned(project.process) if a.title.startswith("Hợp đồng"))
    text = docx_text(contract_doc)
    assert "850.000.000" in text and "Tám trăm năm mươi triệu đồng" in text
    assert "Trường Đại học Hải Phòng" in text
    assert "Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13" in text  # the 2013 regime
    # and LibreOffice opens it: the PDF holds the same figures
    if pdf_available() and shutil.which("pdftotext"):
        pdf = to_pdf(contract_doc_bytes(contract_doc))
        out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        words = " ".join(out.stdout.decode().split())  # lines wrap in the PDF
        assert "850.000.000" in words and "Tám trăm năm mươi triệu đồng" in words

    # -- the work: start, money on schedule, reports, inspection, products
    act(host, project, "start", D(2026, 4, 1))
    first, second, third = deal.tranches.order_by("seq")
    with pytest.raises(DomainError, match="Đợt 1 chưa cấp đủ"):
        services.disbursement_record(
            actor=staff_a,
            tranche=second,
            kind="advance",
            amount="340.000.000",
            paid_on=D(2026, 10, 2),
        )
    with pytest.raises(FieldErrors, match="chỉ còn 340.000.000"):
        services.disbursement_record(
            actor=staff_a,
            tranche=first,
            kind="advance",
            amount="340.000.001",
            paid_on=D(2026, 4, 6),
        )
    services.disbursement_record(
        actor=staff_a, tranche=first, kind="advance", amount="340.000.000", paid_on=D(2026, 4, 6)
    )
    with pytest.raises(FieldErrors, match="dự kiến cấp từ 01/10/2026"):
        services.disbursement_record(
            actor=staff_a,
            tranche=second,
            kind="payment",
            amount="100.000.000",
            paid_on=D(2026, 9, 1),
        )
    services.disbursement_record(
        actor=staff_a, tranche=second, kind="payment", amount="340.000.000", paid_on=D(2026, 10, 2)
    )
    project.process.refresh_from_db()
    assert project.process.data["disbursed_total"] == 680_000_000

    with clock.travel(D(2026, 7, 1)):
        services.progress_report_submit(
            actor=host,
            project=project,
            period="6 tháng đầu năm 2026",
            progress=35,
            content="Đã khảo sát bãi thải.",
            spent="300.000.000",
        )
    with pytest.raises(FieldErrors, match="ít nhất 5 ngày làm việc"):
        services.inspection_schedule(
            actor=staff_a,
            project=project,
            scheduled_on=D(2026, 9, 7),
            inspectors="Phòng QLKH",
            noticed_on=D(2026, 9, 1),
        )  # 2/9 is a holiday
    visit = services.inspection_schedule(
        actor=staff_a,
        project=project,
        scheduled_on=D(2026, 9, 15),
        inspectors="Phòng Quản lý khoa học",
        noticed_on=D(2026, 9, 1),
    )
    services.inspection_record(
        actor=staff_a,
        inspection=visit,
        done_on=D(2026, 9, 15),
        findings="Đúng tiến độ, đã sản xuất 2.000 viên mẫu.",
        conclusion="on_track",
    )
    for name in ("Quy trình công nghệ sản xuất gạch không nung", "Gạch mẫu đạt TCVN 6477:2016"):
        services.product_add(actor=host, project=project, name=name, quantity=1)

    # budget reallocation needs the leader's written approval before it takes effect (QĐ 05/2021)
    with clock.travel(D(2026, 11, 2)):
        change = services.change_request_submit(
            actor=host,
            project=project,
            kind="budget",
            reason="Giá vật liệu tăng",
            moves=[{"from": "labour/state", "to": "materials/state", "amount": "50.000.000"}],
            today=D(2026, 11, 2),
        )
    lines = {f"{ln.category}/{ln.source}": ln.amount for ln in project.budget_lines.all()}
    assert lines["labour/state"] == Decimal(400_000_000)  # not yet
    project.process.refresh_from_db()
    assert project.process.state == "CHANGE_PENDING"
    with clock.travel(D(2026, 11, 10)):
        services.change_request_decide(
            actor=leader_a,
            change=change,
            approve=True,
            decision_no="120/SKHCN-QLKH",
            today=D(2026, 11, 10),
        )
    lines = {f"{ln.category}/{ln.source}": ln.amount for ln in project.budget_lines.all()}
    assert lines["labour/state"] == Decimal(350_000_000) and lines["materials/state"] == Decimal(
        350_000_000
    )
    assert sum(ln.amount for ln in project.budget_lines.filter(source="state")) == STATE_BUDGET

    # extension: once, at least a month before the end, at most 6 months for a 12-month task
    with clock.travel(D(2027, 1, 15)):
        ext = services.change_request_submit(
            actor=host,
            project=project,
            kind="extension",
            reason="Chờ kết quả thử nghiệm",
            new_end_date=D(2027, 6, 30),
            today=D(2027, 1, 15),
        )
        services.change_request_decide(
            actor=leader_a, change=ext, approve=True, today=D(2027, 1, 20)
        )
    project.refresh_from_db()
    assert project.end_date == D(2027, 6, 30)
    with pytest.raises(DomainError, match="gia hạn một lần"):
        with clock.travel(D(2027, 2, 1)):
            services.change_request_submit(
                actor=host,
                project=project,
                kind="extension",
                reason="Lần nữa",
                new_end_date=D(2027, 8, 30),
                today=D(2027, 2, 1),
            )
    services.disbursement_record(
        actor=staff_a, tranche=third, kind="payment", amount="170.000.000", paid_on=D(2027, 3, 2)
    )

    # -- acceptance (TT 11/2014): 7 "Đạt", 2 "Xuất sắc" → Đạt
    council = accept(
        staff_a, leader_a, host, project, experts, verdicts=lambda i: "XUAT_SAC" if i < 2 else "DAT"
    )
    assert council.outcome == "DAT"
    assert council.result["votes"] == {"XUAT_SAC": 2, "DAT": 7, "KHONG_DAT": 0}
    minutes = next(a for a in owned(council) if a.title.startswith("Biên bản"))
    assert "Đạt" in docx_text(minutes)
    act(staff_a, project, "rate_pass", D(2027, 6, 12))
    project.refresh_from_db()
    assert project.process.state == "PASSED" and project.rating == "DAT"

    # -- after acceptance: results, recognition, assets, settlement, liquidation
    act(host, project, "finalise_dossier", D(2027, 6, 20))
    act(
        staff_a,
        project,
        "register_result",
        D(2027, 6, 25),
        registration_no="05/2027/KQNV-SKHCN",
        registration_date=D(2027, 6, 25),
    )
    act(
        leader_a,
        project,
        "recognise",
        D(2027, 7, 1),
        recognition_no="150/QĐ-SKHCN",
        recognition_date=D(2027, 7, 1),
    )
    decision = next(a for a in owned(project.process) if a.title.startswith("Quyết định công nhận"))
    assert "Đạt" in docx_text(decision) and "150/QĐ-SKHCN" in docx_text(decision)
    act(host, project, "hand_over_assets", D(2027, 7, 10))
    with pytest.raises(DomainError, match="không được vượt quá số đã cấp"):
        act(staff_a, project, "settle", D(2027, 7, 20), settled_amount=900_000_000)
    act(staff_a, project, "settle", D(2027, 7, 20), settled_amount=int(STATE_BUDGET))
    act(staff_a, project, "liquidate", D(2027, 8, 1), liquidation_date=D(2027, 8, 1))
    record = next(a for a in owned(project.process) if a.title.startswith("Biên bản thanh lý"))
    assert "850.000.000" in docx_text(record)
    act(staff_a, project, "monitor_application", D(2027, 8, 2))
    with clock.travel(D(2028, 2, 1)):
        services.application_report_submit(
            actor=host,
            project=project,
            place="Công ty CP Gạch Đình Vũ",
            confirmed_by="Sở Xây dựng Hải Phòng",
            description="Sản xuất 2 triệu viên/năm.",
            reported_on=D(2028, 2, 1),
        )
    act(staff_a, project, "close", D(2028, 2, 5))
    assert project.process.state == "CLOSED"

    # money reconciles
    summary = money_summary(project)
    assert summary["disbursed"] == STATE_BUDGET == summary["contract"].value
    assert summary["remaining"] == 0

    # the year's figures count the task where it happened
    assert year_figures(agency=agency_a, year=2026) == {"approved": 1, "deployed": 1, "accepted": 0}
    assert year_figures(agency=agency_a, year=2027) == {"approved": 0, "deployed": 0, "accepted": 1}

    # every write that matters is in the audit trail
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    for expected in (
        AuditAction.PROJECT_PROPOSED,
        AuditAction.CALL_OPENED,
        AuditAction.APPLICATION_SUBMITTED,
        AuditAction.WINNER_APPLIED,
        AuditAction.CONTRACT_REGISTERED,
        AuditAction.DISBURSEMENT_RECORDED,
        AuditAction.PROGRESS_REPORTED,
        AuditAction.INSPECTION_RECORDED,
        AuditAction.CHANGE_DECIDED,
        AuditAction.COUNCIL_CLOSED,
        AuditAction.BALLOT_SUBMITTED,
        AuditAction.APPLICATION_REPORTED,
    ):
        assert expected in actions, expected
    assert Notification.objects.filter(recipient=host).exists()
    # the leader is free again: the task is finished and passed
    assert not eligibility_problems(
        agency=agency_a,
        organisation="Trường Đại học Hải Phòng",
        leader_name="TS. Lê Minh Tuấn",
        level="tinh",
        today=D(2028, 3, 1),
    )


def test_a_failed_task_owes_a_refund_and_bars_its_host_and_leader(
    rulesets, agency_a, staff_a, leader_a, host, experts, proposer
):
    project = propose(proposer, agency_a)
    identify(staff_a, leader_a, project, experts)
    open_call(staff_a, project)
    project.refresh_from_db()
    application = apply(host, project, "Trường Đại học Hải Phòng", "TS. Lê Minh Tuấn")
    select(staff_a, project, experts, [application])
    approve(staff_a, leader_a, project)
    deal = contract(staff_a, project)
    act(host, project, "start", D(2026, 4, 1))
    services.disbursement_record(
        actor=staff_a,
        tranche=deal.tranches.get(seq=1),
        kind="advance",
        amount="340.000.000",
        paid_on=D(2026, 4, 6),
    )
    services.product_add(actor=host, project=project, name="Gạch mẫu", quantity=1)
    # 4 of 9 "Không đạt" is more than 1/3 → the council fails the task
    council = accept(
        staff_a,
        leader_a,
        host,
        project,
        experts,
        verdicts=lambda i: "KHONG_DAT" if i < 4 else "DAT",
    )
    assert council.outcome == "KHONG_DAT"
    with pytest.raises(DomainError):
        act(staff_a, project, "rate_pass", D(2027, 6, 12))
    act(staff_a, project, "rate_fail", D(2027, 6, 12))
    project.refresh_from_db()
    assert project.rating == "KHONG_DAT"
    bars = {b.subject: b for b in Ineligibility.objects.filter(project=project)}
    assert bars["org"].until == D(2028, 6, 12) and bars["person"].until == D(2030, 6, 12)
    with pytest.raises(DomainError, match="không được vượt quá"):
        act(leader_a, project, "set_refund", D(2027, 6, 20), refund_amount=400_000_000)
    act(leader_a, project, "set_refund", D(2027, 6, 20), refund_amount=340_000_000)
    problems = eligibility_problems(
        agency=agency_a,
        organisation="trường đại học hải phòng",
        leader_name="TS. Lê Minh Tuấn",
        level="tinh",
        today=D(2027, 7, 1),
    )
    assert any("không được tham gia đến hết ngày 12/06/2028" in p for p in problems)
    assert any("Chưa hoàn trả kinh phí" in p for p in problems)
    act(staff_a, project, "liquidate_failed", D(2027, 7, 15), liquidation_date=D(2027, 7, 15))
    assert project.process.state == "LIQUIDATED"
    record = next(a for a in owned(project.process) if a.title.startswith("Biên bản thanh lý"))
    assert "340.000.000" in docx_text(record)
