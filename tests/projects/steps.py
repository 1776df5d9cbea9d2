"""A task's life, stage by stage, through the services and as the right person at each
step; the flow test reads these in order, other tests use them to reach a stage.

Dates follow a 2026 provincial task: proposed in January, selected in March, running
April 2026 – March 2027 (extended to June 2027), accepted and liquidated in 2027.
"""

import datetime as dt
from decimal import Decimal

from khcn.core import clock
from khcn.councils.models import Council, MemberRole
from khcn.councils.services import (
    attendance_record,
    ballot_submit,
    conflict_declare,
    council_close,
    council_form,
    council_open,
)
from khcn.projects import services
from khcn.projects.models import Application, Project
from khcn.workflow.engine import perform
from tests.factories import pdf_bytes, upload

D = dt.date
TITLE = "Nghiên cứu công nghệ xử lý bã thạch cao phospho làm vật liệu xây dựng không nung"

# (category, source, amount): 850 million from the state budget, 150 million of the host's own
BUDGET = [
    {"category": "labour", "source": "state", "amount": "400.000.000"},
    {"category": "materials", "source": "state", "amount": "300.000.000"},
    {"category": "equipment", "source": "state", "amount": "150.000.000"},
    {"category": "equipment", "source": "other", "amount": "150.000.000"},
]
STATE_BUDGET = Decimal(850_000_000)
ROLES_9 = [
    MemberRole.CHAIR,
    MemberRole.VICE_CHAIR,
    MemberRole.REVIEWER,
    MemberRole.REVIEWER,
    MemberRole.SECRETARY,
    MemberRole.MEMBER,
    MemberRole.MEMBER,
    MemberRole.MEMBER,
    MemberRole.MEMBER,
]


def act(user, project: Project, action: str, day: dt.date, remark: str = "", **data) -> Project:
    """One workflow step, on that day."""
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    with clock.travel(day):
        perform(
            user=user, process=project.process, action=action, data=values, remark=remark, today=day
        )
    project.refresh_from_db()
    project.process.refresh_from_db()
    return project


def propose(proposer, agency, day=D(2026, 1, 5), title=TITLE) -> Project:
    with clock.travel(day):
        return services.proposal_submit(
            actor=proposer,
            agency=agency,
            title=title,
            problem="Bãi thải thạch cao phospho của Nhà máy DAP Đình Vũ gây ô nhiễm.",
            objectives="Xử lý bã thải thành gạch không nung đạt TCVN 6477:2016.",
            expected_products="Quy trình công nghệ; 10.000 viên gạch mẫu; báo cáo đánh giá.",
            application_place="Khu kinh tế Đình Vũ – Cát Hải",
            proposer_org="UBND huyện Thủy Nguyên",
            year=2026,
            kind="du_an_sxtn",
            field="2",
            today=day,
        )


def run_council(
    staff,
    project: Project,
    kind: str,
    experts,
    *,
    day: dt.date,
    ballot,
    size: int = 9,
    absent: int = 0,
) -> Council:
    """Form, open, declare, vote, roll-call and close a council. `ballot(i, member)` gives
    the i-th member's payload (or a list of (application, payload) for selection)."""
    seats = [(experts[i], ROLES_9[i] if i < 9 else MemberRole.MEMBER, "TS.") for i in range(size)]
    with clock.travel(day):
        council = council_form(
            actor=staff,
            project=project,
            kind=kind,
            decision_no=f"{project.pk}{kind[:2]}/QĐ-SKHCN",
            decision_date=day,
            meeting_date=day + dt.timedelta(days=7),
            members=seats,
        )
    return council


def council_work(staff, council: Council, experts, *, day: dt.date, ballot, absent=()) -> Council:
    with clock.travel(day):
        council_open(actor=staff, council=council)
        members = list(council.members.filter(removed_at__isnull=True).order_by("pk"))
        for i, member in enumerate(members):
            conflict_declare(actor=member.expert, member=member, has_conflict=False)
            if i in absent:
                continue
            for application, payload in ballot(i, member):
                ballot_submit(
                    actor=member.expert, council=council, payload=payload, application=application
                )
        attendance_record(
            actor=staff,
            council=council,
            present={m.pk: i not in absent for i, m in enumerate(members)},
        )
        council_close(actor=staff, council=council)
    council.refresh_from_db()
    return council


def identify(staff, leader, project: Project, experts, *, yes: int = 8) -> Project:
    council = run_council(staff, project, "identification", experts, day=D(2026, 1, 8), ballot=None)
    council_work(
        staff,
        council,
        experts,
        day=D(2026, 1, 15),
        ballot=lambda i, m: [(None, {"verdict": i < yes})],
    )
    if council.outcome == "RECOMMENDED":
        act(
            leader,
            project,
            "order",
            D(2026, 1, 16),
            decision_no="12/QĐ-SKHCN",
            decision_date=D(2026, 1, 16),
        )
    return project


def open_call(staff, project: Project, *, day=D(2026, 1, 20)):
    with clock.travel(day):
        return services.call_open(
            actor=staff,
            agency=project.agency,
            code=f"DOT-{project.pk}",
            title="Đợt tuyển chọn nhiệm vụ KH&CN cấp thành phố năm 2026",
            year=2026,
            open_date=day,
            close_date=D(2026, 2, 25),
            projects=[project],
            today=day,
        )


def apply(
    user, project: Project, organisation: str, leader_name: str, *, budget=BUDGET, day=D(2026, 2, 2)
):
    with clock.travel(day):
        return services.application_submit(
            actor=user,
            project=project,
            organisation=organisation,
            leader_name=leader_name,
            leader_degree="TS.",
            summary="Công nghệ ép bán khô kết hợp phụ gia xi măng – tro bay.",
            months=12,
            budget_lines=budget,
            team=[
                {"name": leader_name, "role": "Chủ nhiệm", "degree": "TS."},
                {"name": "ThS. Phạm Văn Cường", "role": "Thư ký khoa học"},
            ],
            description_file=upload("thuyet-minh.pdf", pdf_bytes("Thuyet minh")),
            cv_files={0: upload("ly-lich.pdf", pdf_bytes("Ly lich"))},
            today=day,
        )


SCORES_HIGH = {
    "prior": 10,
    "content": 20,
    "products": 14,
    "applicability": 13,
    "feasibility": 13,
    "capacity": 14,
}
SCORES_LOW = {
    "prior": 8,
    "content": 15,
    "products": 11,
    "applicability": 10,
    "feasibility": 11,
    "capacity": 11,
}


def select(staff, project: Project, experts, applications: list[Application]) -> Project:
    """Open the dossiers, check them, score them (the first application wins) and record it."""
    act(staff, project, "open_dossiers", D(2026, 3, 2), opened_date=D(2026, 3, 2))
    with clock.travel(D(2026, 3, 2)):
        for a in applications:
            services.application_review(actor=staff, application=a, complete=True)
    council = run_council(
        staff, project, "selection", experts, day=D(2026, 3, 3), ballot=None, size=7
    )
    council_work(
        staff,
        council,
        experts,
        day=D(2026, 3, 10),
        ballot=lambda i, m: [
            (a, {"scores": SCORES_HIGH if n == 0 else SCORES_LOW})
            for n, a in enumerate(applications)
        ],
    )
    act(staff, project, "score", D(2026, 3, 11))
    return project


def approve(staff, leader, project: Project) -> Project:
    act(staff, project, "request_revision", D(2026, 3, 12))
    act(
        staff,
        project,
        "appraise_budget",
        D(2026, 3, 20),
        appraisal_date=D(2026, 3, 20),
        appraised_budget=int(STATE_BUDGET),
    )
    act(
        leader,
        project,
        "approve",
        D(2026, 3, 25),
        decision_no="45/QĐ-UBND",
        start_date=D(2026, 4, 1),
        end_date=D(2027, 3, 31),
        budget=int(STATE_BUDGET),
    )
    return project


TRANCHES = [
    {
        "milestone": "Tạm ứng sau khi ký hợp đồng",
        "planned_date": D(2026, 4, 5),
        "amount": "340.000.000",
    },
    {"milestone": "Sau kiểm tra giữa kỳ", "planned_date": D(2026, 10, 1), "amount": "340.000.000"},
    {"milestone": "Sau nghiệm thu", "planned_date": D(2027, 3, 1), "amount": "170.000.000"},
]


def contract(staff, project: Project, day=D(2026, 3, 28)):
    with clock.travel(day):
        return services.contract_register(
            actor=staff,
            project=project,
            number="15/2026/HĐ-KHCN",
            signed_date=day,
            tranches=TRANCHES,
            host_representative="PGS.TS. Nguyễn Văn Thành",
            today=day,
        )


def accept(staff, leader, host, project: Project, experts, *, verdicts) -> Council:
    """Internal acceptance, dossier, acceptance council; `verdicts(i)` is member i's rating
    for every product aspect and the report."""
    act(
        host,
        project,
        "internal_acceptance",
        D(2027, 5, 20),
        internal_acceptance_date=D(2027, 5, 18),
    )
    with clock.travel(D(2027, 5, 21)):
        from khcn.core.services import attachment_create

        attachment_create(
            actor=host,
            agency=project.agency,
            title="Báo cáo tổng hợp kết quả",
            upload=upload("bao-cao-tong-hop.pdf", pdf_bytes("Bao cao tong hop")),
            category="report",
            owner=project.process,
        )
    act(host, project, "submit_acceptance_dossier", D(2027, 5, 21))
    act(staff, project, "accept_dossier", D(2027, 5, 25))
    council = run_council(staff, project, "acceptance", experts, day=D(2027, 5, 27), ballot=None)
    act(
        leader,
        project,
        "form_council",
        D(2027, 5, 28),
        council_decision_no="88/QĐ-SKHCN",
        council_decision_date=D(2027, 5, 28),
    )
    products = list(project.products.all())

    def ballot(i, member):
        rating = verdicts(i)
        return [
            (
                None,
                {
                    "products": {
                        str(p.pk): {"quantity": rating, "volume": rating, "quality": rating}
                        for p in products
                    },
                    "report": rating,
                },
            )
        ]

    return council_work(staff, council, experts, day=D(2027, 6, 10), ballot=ballot)
