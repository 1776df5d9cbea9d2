"""Demo S&T tasks on the shipped rule sets, at realistic steps, dated relative to today.

Each record is walked through the engine step by step (never by setting its
state), so its history, deadlines and audit trail are what a real one would
have: Hải Phòng follows the national rules (vn-2013), Hà Nội QĐ 05/2021.
"""

import datetime as dt

from khcn.core import clock
from khcn.core.demo import NamedBytes, demo_step, minimal_pdf
from khcn.core.text import fold

# (day after the record started, action, role, fields); negative field values are days
# relative to the step's own date.
PATH_TO_PROGRESS = [
    (12, "order", "leader", {"decision_no": "{n}/QĐ-SKHCN", "decision_date": 0}),
    (30, "assign_directly", "leader", {"decision_no": "{n}/QĐ-SKHCN-GTT"}),
    (33, "request_revision", "staff", {}),
    (48, "appraise_budget", "staff", {"appraisal_date": 0, "appraised_budget": 850_000_000}),
    (
        60,
        "approve",
        "leader",
        {"decision_no": "{n}/QĐ-UBND", "start_date": 5, "budget": 850_000_000},
    ),
    (64, "sign_contract", "staff", {"contract_no": "{n}/HĐ-KHCN", "signed_date": 0}),
    (66, "start", "host", {}),
]

TO_ACCEPTANCE = [
    (340, "internal_acceptance", "host", {"internal_acceptance_date": -3}),
    (344, "submit_acceptance_dossier", "host", {}),
]

REMARKS = {
    "assign_directly": "Theo kết luận của hội đồng tư vấn xác định nhiệm vụ.",
    "request_change": "Đề nghị điều chỉnh địa bàn khảo sát do thay đổi quy hoạch vùng nuôi.",
}


def _value(value, day: dt.date, n: int):
    if isinstance(value, int) and -1000 < value < 1000:
        return (day + dt.timedelta(days=value)).isoformat()
    if isinstance(value, str):
        return value.format(n=n)
    return value


def _walk(process, steps, people, *, started: dt.date, n: int, end_date=None):
    from khcn.workflow.engine import perform

    for offset, action, role, data in steps:
        day = min(started + dt.timedelta(days=offset), clock.today())
        data = {k: _value(v, day, n) for k, v in data.items()}
        if action == "approve" and end_date is not None:
            data["end_date"] = end_date.isoformat()
        process = perform(
            user=people[role],
            process=process,
            action=action,
            data=data,
            remark=REMARKS.get(action, ""),
            today=day,
        )
    return process


@demo_step
def science_tasks() -> None:
    from khcn.accounts.models import Agency, User
    from khcn.core.models import Attachment
    from khcn.core.services import attachment_create
    from khcn.workflow.engine import process_start
    from khcn.workflow.jobs import deadline_sweep

    today = clock.today()
    hp, hn = Agency.objects.get(code="hp"), Agency.objects.get(code="hn")
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    hp_people = {"leader": users["lanhdao"], "staff": users["canbo"], "host": users["chutri"]}
    hn_people = {"leader": users["lanhdao.hn"], "staff": users["canbo.hn"], "host": users["chutri"]}
    started = [today]

    def start(agency, code, title, reference, *, days_ago, host=True):
        people = hp_people if agency == hp else hn_people
        started[0] = today - dt.timedelta(days=days_ago)
        return process_start(
            actor=people["staff"],
            agency=agency,
            ruleset=code,
            title=title,
            reference=reference,
            parties=[(people["host"], "host")] if host else [],
            today=today - dt.timedelta(days=days_ago),
        )

    # Hải Phòng: a proposal waiting for the leader, past the identification limit.
    start(
        hp,
        "vn-2013",
        "Hoàn thiện quy trình sản xuất giống cá song chấm nâu tại Cát Bà",
        "ĐX-2026-014",
        days_ago=35,
    )
    # In progress, the acceptance dossier due within weeks.
    p = start(
        hp,
        "vn-2013",
        "Nghiên cứu ứng dụng chế phẩm vi sinh xử lý nước thải nuôi trồng thủy sản tại Cát Hải",
        "ĐT.2025.03",
        days_ago=340,
    )
    _walk(
        p,
        PATH_TO_PROGRESS,
        hp_people,
        started=started[0],
        n=103,
        end_date=today + dt.timedelta(days=5),
    )
    # In progress past its end date: the acceptance dossier is overdue (escalated to the leader).
    p = start(
        hp,
        "vn-2013",
        "Xây dựng, quản lý và phát triển nhãn hiệu chứng nhận “Nước mắm Cát Hải”",
        "DA.2025.07",
        days_ago=340,
    )
    _walk(
        p,
        PATH_TO_PROGRESS,
        hp_people,
        started=started[0],
        n=107,
        end_date=today - dt.timedelta(days=45),
    )
    # A change request waiting for the leader's answer (30 days, TT 04/2015 Đ20).
    p = start(
        hp,
        "vn-2013",
        "Phát triển vật liệu composite gia cường sợi bazan cho vỏ tàu cá vỏ nhỏ",
        "ĐT.2025.05",
        days_ago=340,
    )
    p = _walk(
        p,
        PATH_TO_PROGRESS,
        hp_people,
        started=started[0],
        n=105,
        end_date=today + dt.timedelta(days=200),
    )
    _walk(
        p,
        [(335, "request_change", "host", {"change_kind": "content"})],
        hp_people,
        started=started[0],
        n=0,
    )
    # An acceptance dossier just submitted: staff must check it within 3 working days.
    p = start(
        hp,
        "vn-2013",
        "Ứng dụng Internet vạn vật giám sát chất lượng không khí đô thị Hải Phòng",
        "ĐT.2025.01",
        days_ago=345,
    )
    p = _walk(
        p,
        PATH_TO_PROGRESS,
        hp_people,
        started=started[0],
        n=101,
        end_date=today + dt.timedelta(days=20),
    )
    attachment_create(
        actor=hp_people["host"],
        agency=hp,
        title="Báo cáo tổng hợp kết quả thực hiện nhiệm vụ",
        category=Attachment.Category.REPORT,
        upload=NamedBytes(
            minimal_pdf(fold("Báo cáo tổng hợp: giám sát không khí bằng IoT")),
            "bao-cao-tong-hop.pdf",
        ),
        owner=p,
    )
    _walk(p, TO_ACCEPTANCE, hp_people, started=started[0], n=0)

    # Hà Nội (QĐ 05/2021): the acceptance dossier is due 30 working days BEFORE the end date.
    p = start(
        hn,
        "hn-05-2021",
        "Nghiên cứu giải pháp giảm ngập úng cục bộ tại các tuyến phố nội đô Hà Nội",
        "01C-09/2025",
        days_ago=330,
    )
    _walk(
        p,
        PATH_TO_PROGRESS,
        hn_people,
        started=started[0],
        n=9,
        end_date=today + dt.timedelta(days=70),
    )
    start(
        hn,
        "hn-05-2021",
        "Đánh giá hiện trạng và đề xuất giải pháp bảo tồn làng nghề gốm Bát Tràng",
        "ĐX-HN-2026-031",
        days_ago=6,
        host=False,
    )
    # The morning's sweep: overdue limits marked, reminders and escalations sent.
    deadline_sweep(today=today)
