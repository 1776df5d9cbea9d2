"""The documents the task rule sets generate (`documents = [...]` on a step), and the
context every official document shares (NĐ 30/2020 header, signer).

Templates and rendering are `khcn.documents`; this module only gathers the figures.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from khcn.core import clock
from khcn.workflow.registry import Context, document

CITIES = {"hà nội", "hải phòng", "đà nẵng", "hồ chí minh", "tp hồ chí minh", "cần thơ", "huế"}


def agency_context(agency) -> dict:
    province = agency.province or ""
    kind = _("THÀNH PHỐ") if province.lower() in CITIES else _("TỈNH")
    return {
        "parent_name": (f"UBND {kind} {province}" if province else "UBND").upper(),
        "name": _("SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
        "short": "SKHCN",
        "place": province or agency.name,
    }


def signer_context(agency) -> dict:
    from khcn.accounts.models import Role, User

    leader = (
        User.objects.filter(
            memberships__agency=agency, memberships__role=Role.LEADER, is_active=True
        )
        .order_by("pk")
        .first()
    )
    return {"title": _("GIÁM ĐỐC"), "name": leader.full_name if leader else ""}


def project_context(project) -> dict:
    return {
        "code": project.code,
        "title": project.title,
        "host": project.host_org,
        "leader": project.leader_name,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "budget": project.budget_state,
        "kind": project.get_kind_display(),
    }


def party_a(agency) -> dict:
    signer = signer_context(agency)
    return {
        "name": agency.name,
        "representative": signer["name"],
        "title": _("Giám đốc"),
        "address": agency.address,
    }


def party_b(project, representative: str = "") -> dict:
    return {
        "name": project.host_org,
        "representative": representative or project.leader_name,
        "title": _("Đại diện tổ chức chủ trì"),
        "address": "",
    }


def law_for(agency, project=None) -> str:
    """The law named in "Căn cứ …" lines: the task's rule set (`[rules.documents] law`)."""
    if project is not None:
        rules = project.process.rules.rules
    else:
        from khcn.projects.services import ruleset_for
        from khcn.workflow.loader import current_version

        rules = current_version(ruleset_for(agency)).rules.rules
    return rules.get("documents", {}).get("law", "")


def base_context(agency, *, number: str = "", date: dt.date | None = None, project=None) -> dict:
    return {
        "agency": agency_context(agency),
        "doc": {"number": number, "date": date or clock.today()},
        "signer": signer_context(agency),
        "law": law_for(agency, project),
    }


def contract_context(project) -> dict:
    from khcn.projects.models import BudgetLine

    contract = project.contract
    lines = list(project.budget_lines.all())
    total_state = sum((ln.amount for ln in lines if ln.source == "state"), Decimal(0))
    total_other = sum((ln.amount for ln in lines if ln.source == "other"), Decimal(0))
    return base_context(
        project.agency, number=contract.number, date=contract.signed_date, project=project
    ) | {
        "contract": {
            "number": contract.number,
            "signed_date": contract.signed_date,
            "value": contract.value,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "lump_sum": contract.get_lump_sum_display(),
        },
        "project": project_context(project),
        "party_a": party_a(project.agency),
        "party_b": party_b(project, contract.host_representative),
        "tranches": [
            {
                "seq": t.seq,
                "milestone": t.milestone,
                "planned_date": t.planned_date,
                "amount": t.amount,
            }
            for t in contract.tranches.all()
        ],
        "budget_lines": [
            {
                "category": ln.get_category_display(),
                "source_label": BudgetLine.Source(ln.source).label,
                "amount": ln.amount,
            }
            for ln in lines
        ],
        "total_state": total_state,
        "total_other": total_other,
        "total": total_state + total_other,
    }


def _rendered(ctx: Context, code: str, context: dict, filename: str):
    from khcn.documents.catalogue import DOCUMENTS
    from khcn.documents.render import render

    content = render(code, context, agency=ctx.process.agency)
    return str(DOCUMENTS[code].title), filename, content


def _project(ctx: Context):
    from khcn.projects.models import Project

    return ctx.subject if isinstance(ctx.subject, Project) else None


@document("contract")
def contract_document(ctx: Context):
    """Hợp đồng thực hiện nhiệm vụ with its budget annex (NĐ 08/2014 Đ22)."""
    project = _project(ctx)
    if project is None or not hasattr(project, "contract"):
        return None
    return _rendered(ctx, "contract", contract_context(project), f"hop-dong-{project.code}.docx")


@document("recognition_decision")
def recognition_document(ctx: Context):
    """Quyết định công nhận kết quả thực hiện nhiệm vụ (TT 11/2014 Đ17)."""
    project = _project(ctx)
    if project is None:
        return None
    from khcn.projects.models import Rating
    from khcn.workflow.guards import as_date

    data = ctx.process.data
    context = base_context(
        project.agency,
        number=data.get("recognition_no", ""),
        date=as_date(data.get("recognition_date")) or ctx.today,
        project=project,
    ) | {
        "project": project_context(project),
        "rating_label": str(Rating(project.rating).label) if project.rating else "",
        "registration_no": data.get("registration_no", ""),
    }
    return _rendered(ctx, "recognition_decision", context, f"qd-cong-nhan-{project.code}.docx")


@document("liquidation_record")
def liquidation_document(ctx: Context):
    """Biên bản thanh lý hợp đồng (NĐ 08/2014 Đ22; TT 11/2014 Đ16 for a failed task)."""
    project = _project(ctx)
    if project is None or not hasattr(project, "contract"):
        return None
    from khcn.projects.models import Rating
    from khcn.workflow.guards import as_date

    data = ctx.process.data
    disbursed = Decimal(str(data.get("disbursed_total") or 0))
    settled = Decimal(str(data.get("settled_amount") or 0))
    refund = Decimal(str(data.get("refund_amount") or 0))
    context = contract_context(project) | {
        "doc": {"number": "", "date": as_date(data.get("liquidation_date")) or ctx.today},
        "disbursed": disbursed,
        "settled": settled,
        "refund": refund,
        "rating_label": str(Rating(project.rating).label) if project.rating else "",
    }
    return _rendered(ctx, "liquidation_record", context, f"thanh-ly-{project.code}.docx")
