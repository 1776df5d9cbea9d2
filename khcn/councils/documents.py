"""Council documents: the decision forming it and the minutes with the tally (TT 06/2023,
TT 20/2023, TT 11/2014 Đ12–13), filed as attachments of the council."""

from collections import Counter

from django.utils.translation import gettext as _

from khcn.core.files import NamedBytes
from khcn.core.services import attachment_create
from khcn.councils.models import CouncilKind, MemberRole
from khcn.projects.documents import base_context, project_context
from khcn.projects.models import Rating

RATING_LABELS = {r.value: str(r.label) for r in Rating}


def _members(council) -> list[dict]:
    order = {role: i for i, role in enumerate(MemberRole.values)}
    members = sorted(
        council.members.filter(removed_at__isnull=True).select_related("expert"),
        key=lambda m: (order[m.role], m.pk),
    )
    return [
        {
            "name": m.expert.full_name,
            "degree": m.degree,
            "organisation": m.organisation,
            "role_label": m.get_role_display(),
            "present": bool(m.present),
        }
        for m in members
    ]


def council_context(council) -> dict:
    from khcn.councils.services import outcome_label

    result = council.result or {}
    context = base_context(
        council.agency,
        number=council.decision_no,
        date=council.decision_date,
        project=council.project,
    )
    context |= {
        "council": {
            "kind": council.kind,
            "kind_label": council.get_kind_display(),
            "meeting_date": council.meeting_date,
            "present": result.get("members_present", 0),
            "total": result.get("members_total", 0),
            "outcome_label": outcome_label(council.outcome) if council.outcome else "",
            "conclusion": conclusion(council),
        },
        "project": project_context(council.project),
        "members": _members(council),
        "identification": None,
        "selection": None,
        "acceptance": None,
    }
    seats = {
        m.role: m for m in council.members.filter(removed_at__isnull=True).select_related("expert")
    }
    secretary = seats.get(MemberRole.SECRETARY)
    context["council"]["secretary"] = secretary.expert.full_name if secretary else ""
    chair = seats.get(MemberRole.CHAIR)
    if council.state == "closed" and chair:
        context["signer"] = {"title": _("CHỦ TỊCH HỘI ĐỒNG"), "name": chair.expert.full_name}
    if council.kind == CouncilKind.IDENTIFICATION:
        votes = result.get("votes", {})
        context["identification"] = {
            "yes": votes.get("yes", 0),
            "no": votes.get("no", 0),
            "valid": result.get("valid_ballots", 0),
        }
    elif council.kind == CouncilKind.SELECTION:
        context["selection"] = [
            {
                "rank": row["rank"],
                "applicant": row["organisation"],
                "mean": row["mean"],
                "adjusted_mean": row["adjusted_mean"],
                "valid": len(row["valid_ballots"]),
                "excluded": len(row["excluded_ballots"]),
                "eligible": row["eligible"],
            }
            for row in result.get("ranking", [])
        ]
    else:
        votes = result.get("votes", {})
        context["votes"] = {
            "xuat_sac": votes.get("XUAT_SAC", 0),
            "dat": votes.get("DAT", 0),
            "khong_dat": votes.get("KHONG_DAT", 0),
        }
        context["acceptance"] = context["votes"]
        context["outcome_label"] = context["council"]["outcome_label"]
        context["conclusion"] = context["council"]["conclusion"]
        context["products"] = product_rows(council)
    return context


def product_rows(council) -> list[dict]:
    """Each product with the most frequent rating on each aspect among members present."""
    aspects = council.rules.get("acceptance", {}).get("aspects", [])
    ballots = [
        b.payload for b in council.ballots.filter(member__present=True) if "products" in b.payload
    ]
    rows = []
    for product in council.project.products.all():
        row = {"name": product.name}
        for aspect in aspects:
            counts = Counter(p["products"].get(str(product.pk), {}).get(aspect) for p in ballots)
            counts.pop(None, None)
            top = counts.most_common(1)[0][0] if counts else ""
            row[aspect] = RATING_LABELS.get(top, "")
        rows.append(row)
    return rows


def conclusion(council) -> str:
    from khcn.councils.services import outcome_label

    if not council.outcome:
        return ""
    if council.kind == CouncilKind.SELECTION and council.result.get("winner"):
        top = next(
            (
                r
                for r in council.result.get("ranking", [])
                if r["application"] == council.result["winner"]
            ),
            None,
        )
        if top:
            return _(
                "Hội đồng đề nghị %(o)s chủ trì thực hiện nhiệm vụ (điểm trung bình %(m)s)."
            ) % {
                "o": top["organisation"],
                "m": top["adjusted_mean"],
            }
    return _("Kết luận của hội đồng: %(o)s.") % {"o": outcome_label(council.outcome)}


def council_document(*, council, code: str, actor):
    """Render one council document and file it on the council."""
    from khcn.documents.catalogue import DOCUMENTS
    from khcn.documents.render import render

    content = render(code, council_context(council), agency=council.agency)
    return attachment_create(
        actor=actor,
        agency=council.agency,
        title=f"{DOCUMENTS[code].title} – {council.project.code}",
        upload=NamedBytes(content, f"{code}-{council.project.code}-{council.pk}.docx"),
        category="legal",
        owner=council,
    )
