"""Administrative procedures API: the public catalogue, filing and following dossiers, the
public status lookup and the register of certificates.

Public (no login): `GET /procedures`, `GET /procedures/{code}`, `GET /dossiers/lookup?code=`
(rate-limited per client address: 429 over the limit; unknown and malformed codes both answer
404 with the same message), `GET /certificates?type=&valid=true`.

Filing: `POST /dossiers` as multipart/form-data with a `payload` field holding JSON
`{"procedure": "KHCN-DNKHCN-01", "agency": "hp", "applicant": {...}, "form_data": {...}}` and
the files under the required document's key (`don`, `ket_qua_khcn`, …; `other` for anything
else; a key may repeat). A JSON body (no files) is accepted too and answers which mandatory
documents are missing. 422 lists every problem by field (`applicant.tax_code`,
`files.don`, a form field's name).

Steps: `GET /dossiers/{id}/actions`, `POST /dossiers/{id}/actions/{action}` with `{"data",
"remark", "expected_state"}` like the workflow API (404 out of reach, 403 wrong role, 409 moved
on, 422 badly filled fields, 400 a rule not met). `supplement` takes multipart like filing;
`issue_result` is `POST /dossiers/{id}/certificate`.
"""

import datetime as dt
import json

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from khcn.accounts.models import Agency
from khcn.core import clock
from khcn.core.permissions import get_visible
from khcn.procedures import selectors, services
from khcn.procedures.models import CertificateType, Dossier
from khcn.procedures.throttle import lookup_allowed
from khcn.workflow import engine
from khcn.workflow.api import ActionOut, PerformIn
from khcn.workflow.fields import FieldErrors

router = Router(tags=["Thủ tục hành chính"])


class DocumentOut(Schema):
    key: str
    name: str
    mandatory: bool
    accepted_types: list[str]
    form_url: str | None


class FormFieldOut(Schema):
    name: str
    label: str
    type: str = "text"
    required: bool = False
    choices: list[list[str]] = []
    help: str = ""


class TimeLimitOut(Schema):
    days: int
    unit: str
    source: str


class ProcedureOut(Schema):
    code: str
    code_kind: str
    name: str
    level: str
    field: str
    fee: int
    fee_note: str
    time_limit: TimeLimitOut | None
    responsible_unit: str
    result_type: str
    online: bool


class ProcedureDetailOut(ProcedureOut):
    legal_basis: str
    conditions: str
    steps: str
    applicants: str
    documents: list[DocumentOut]
    form_fields: list[FormFieldOut]


def _time_limit(procedure) -> dict | None:
    rule = procedure.time_limit()
    if rule is None:
        return None
    return {"days": rule.offset, "unit": rule.unit, "source": rule.source}


def _form_url(requirement) -> str | None:
    from django.urls import NoReverseMatch, reverse

    if not (requirement.form_code or requirement.form_attachment_id):
        return None
    try:
        return reverse("procedure-form", args=[requirement.procedure.code, requirement.key])
    except NoReverseMatch:
        return None


def _procedure(p, *, detail: bool = False) -> dict:
    out = {
        "code": p.code,
        "code_kind": p.code_kind,
        "name": p.name,
        "level": p.level,
        "field": p.field,
        "fee": int(p.fee),
        "fee_note": p.fee_note,
        "time_limit": _time_limit(p),
        "responsible_unit": p.responsible_unit,
        "result_type": p.result_type,
        "online": p.online,
    }
    if detail:
        out |= {
            "legal_basis": p.legal_basis,
            "conditions": p.conditions,
            "steps": p.steps,
            "applicants": p.applicants,
            "documents": [
                {
                    "key": r.key,
                    "name": r.name,
                    "mandatory": r.mandatory,
                    "accepted_types": r.extensions,
                    "form_url": _form_url(r),
                }
                for r in p.documents.all()
            ],
            "form_fields": p.form_fields,
        }
    return out


@router.get(
    "/procedures", response=list[ProcedureOut], auth=None, summary="Danh mục thủ tục hành chính"
)
def procedure_list(request, field: str = "", q: str = ""):
    return [_procedure(p) for p in selectors.procedures_public(field=field[:200], q=q[:100])]


@router.get(
    "/procedures/{code}",
    response=ProcedureDetailOut,
    auth=None,
    summary="Một thủ tục: căn cứ, thành phần hồ sơ, thời hạn, tờ khai",
)
def procedure_detail(request, code: str):
    procedure = selectors.procedure_public(code[:40])
    if procedure is None:
        raise Http404
    return _procedure(procedure, detail=True)


# --- dossiers --------------------------------------------------------------------------------------


class LookupOut(Schema):
    code: str
    procedure: str
    status: str
    finished: bool
    received_on: dt.date
    promised_date: dt.date | None
    returned_on: dt.date | None


class DossierOut(Schema):
    id: int
    code: str
    procedure: str
    procedure_name: str
    channel: str
    state: str
    state_label: str
    applicant_name: str
    received_on: dt.date
    due_date: dt.date | None
    promised_date: dt.date | None
    finished_on: dt.date | None
    outcome: str
    late: bool
    returned_on: dt.date | None

    @staticmethod
    def resolve_procedure(obj) -> str:
        return obj["procedure"] if isinstance(obj, dict) else obj.procedure.code

    @staticmethod
    def resolve_procedure_name(obj) -> str:
        return obj["procedure_name"] if isinstance(obj, dict) else obj.procedure.name

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj["state_label"] if isinstance(obj, dict) else obj.process.state_label


class DossierDocumentOut(Schema):
    requirement: str | None
    title: str
    attachment_id: int
    round: int


class DossierDetailOut(DossierOut):
    working_days_left: int | None
    applicant_kind: str
    tax_code: str
    citizen_id: str
    representative: str
    address: str
    phone: str
    email: str
    form_data: dict
    supplement_count: int
    receipt_attachment_id: int | None
    documents: list[DossierDocumentOut]
    history: list[dict]
    certificates: list[dict]


def _dossier(d: Dossier, *, detail: bool = False) -> dict:
    out = {
        "id": d.pk,
        "code": d.code,
        "procedure": d.procedure.code,
        "procedure_name": d.procedure.name,
        "channel": d.channel,
        "state": d.state,
        "state_label": d.process.state_label,
        "applicant_name": d.applicant_name,
        "received_on": d.received_on,
        "due_date": d.due_date,
        "promised_date": d.promised_date,
        "working_days_left": selectors.remaining_working_days(d),
        "finished_on": d.finished_on,
        "outcome": d.outcome,
        "late": d.late,
        "returned_on": d.returned_on,
    }
    if detail:
        out |= {
            "applicant_kind": d.applicant_kind,
            "tax_code": d.tax_code,
            "citizen_id": d.citizen_id,
            "representative": d.representative,
            "address": d.address,
            "phone": d.phone,
            "email": d.email,
            "form_data": d.form_data,
            "supplement_count": d.supplement_count,
            "receipt_attachment_id": d.receipt_id,
            "documents": [
                {
                    "requirement": doc.requirement.key if doc.requirement_id else None,
                    "title": doc.attachment.title,
                    "attachment_id": doc.attachment_id,
                    "round": doc.round,
                }
                for doc in d.documents.select_related("requirement", "attachment")
            ],
            "history": [
                {
                    "seq": e.seq,
                    "action": e.action,
                    "label": e.label,
                    "to_state": e.to_state,
                    "actor": e.actor.full_name if e.actor else None,
                    "at": e.at,
                    "remark": e.remark,
                }
                for e in d.process.events.select_related("actor").order_by("seq")
            ],
            "certificates": [
                {"id": c.pk, "number": c.number, "version": c.version, "status": c.status}
                for c in d.certificates.order_by("pk")
            ],
        }
    return out


@router.get(
    "/dossiers/lookup",
    response=LookupOut,
    auth=None,
    summary="Tra cứu công khai tình trạng hồ sơ theo mã (giới hạn số lần mỗi phút)",
)
def dossier_lookup(request, code: str = ""):
    if not lookup_allowed(request):
        raise HttpError(429, _("Bạn tra cứu quá nhiều lần; vui lòng thử lại sau một phút."))
    found = selectors.dossier_lookup(code[:40])
    if found is None:
        raise HttpError(404, _("Không tìm thấy hồ sơ có mã này."))
    return found


@router.get("/dossiers", response=list[DossierOut], summary="Hồ sơ: của Sở (cán bộ) hoặc của tôi")
@paginate(LimitOffsetPagination)
def dossier_list(
    request,
    agency: str = "",
    procedure: str = "",
    state: str = "",
    due: str = "",
    q: str = "",
):
    user = request.user
    if agency:
        found = Agency.objects.filter(code=agency[:20]).first()
        if found is None:
            raise Http404
        proc = selectors.procedure_public(procedure[:40]) if procedure else None
        qs = selectors.dossiers_for_staff(
            user=user, agency=found, procedure=proc, state=state[:30], due=due[:10], q=q[:100]
        )
    else:
        qs = selectors.dossiers_for_applicant(user=user)
    return qs


def _payload(request) -> tuple[dict, dict]:
    """(JSON payload, files by key) from multipart/form-data or a JSON body."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/form-data"):
        raw = request.POST.get("payload", "")
        files = {key: request.FILES.getlist(key) for key in request.FILES}
    else:
        raw, files = request.body.decode("utf-8", "replace"), {}
    try:
        payload = json.loads(raw or "{}")
    except ValueError:
        raise FieldErrors({"payload": _("«payload» phải là JSON hợp lệ.")}) from None
    if not isinstance(payload, dict):
        raise FieldErrors({"payload": _("«payload» phải là một đối tượng JSON.")})
    return payload, files


@router.post(
    "/dossiers",
    response={201: DossierDetailOut},
    summary="Nộp hồ sơ trực tuyến (multipart: payload JSON + tệp theo mã thành phần hồ sơ)",
)
def dossier_create(request):
    payload, files = _payload(request)
    procedure = selectors.procedure_public(str(payload.get("procedure", ""))[:40])
    agency = Agency.objects.filter(code=str(payload.get("agency", ""))[:20], is_active=True).first()
    errors = {}
    if procedure is None:
        errors["procedure"] = _("Không có thủ tục này.")
    if agency is None:
        errors["agency"] = _("Không có cơ quan này.")
    if errors:
        raise FieldErrors(errors)
    applicant = payload.get("applicant") or {}
    form_data = payload.get("form_data") or {}
    if not isinstance(applicant, dict) or not isinstance(form_data, dict):
        raise FieldErrors({"payload": _("«applicant» và «form_data» phải là đối tượng JSON.")})
    dossier = services.dossier_submit(
        actor=request.user,
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        form_data=form_data,
        files=files,
        request=request,
    )
    fresh = Dossier.objects.select_related("procedure", "process").get(pk=dossier.pk)
    return Status(201, _dossier(fresh, detail=True))


def _visible(request, pk: int) -> Dossier:
    return get_visible(
        request.user,
        "dossier.view",
        Dossier.objects.select_related("procedure", "process__ruleset"),
        pk=pk,
    )


@router.get("/dossiers/{pk}", response=DossierDetailOut, summary="Một hồ sơ: tờ khai, tệp, lịch sử")
def dossier_detail(request, pk: int):
    return _dossier(_visible(request, pk), detail=True)


@router.get(
    "/dossiers/{pk}/actions", response=list[ActionOut], summary="Các bước người dùng có thể làm"
)
def dossier_actions(request, pk: int):
    dossier = _visible(request, pk)
    return [
        {
            "action": o.action,
            "label": o.label,
            "target": o.transition.target,
            "allowed": o.allowed,
            "reason": o.reason,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "type": f.type,
                    "required": f.required,
                    "choices": [list(c) for c in f.choices],
                }
                for f in o.fields
            ],
        }
        for o in engine.available_actions(request.user, dossier.process)
        if o.action != "issue_result"
    ]


@router.post(
    "/dossiers/{pk}/actions/{action}",
    response=DossierDetailOut,
    summary="Thực hiện một bước xử lý hồ sơ (409 nếu hồ sơ đã được người khác xử lý)",
)
def dossier_perform(request, pk: int, action: str):
    dossier = _visible(request, pk)
    if action == "supplement":
        payload, files = _payload(request)
        done = services.dossier_supplement(
            actor=request.user,
            dossier=dossier,
            files=files,
            remark=str(payload.get("remark", ""))[:2000],
            request=request,
        )
        return _dossier(done, detail=True)
    try:
        body = PerformIn(**json.loads(request.body or b"{}"))
    except (ValueError, TypeError):
        raise FieldErrors(
            {"payload": _("Dữ liệu phải là JSON {data, remark, expected_state}.")}
        ) from None
    done = services.dossier_act(
        actor=request.user,
        dossier=dossier,
        action=action[:60],
        data=body.data,
        remark=body.remark,
        expected_state=body.expected_state,
        request=request,
    )
    return _dossier(done, detail=True)


class CertificateIn(Schema):
    content: str = ""
    issued_on: dt.date | None = None
    remark: str = ""


class CertificateOut(Schema):
    id: int
    type: str
    type_label: str
    number: str
    version: int
    change: str
    issued_on: dt.date
    holder_name: str
    holder_tax_code: str
    content: str
    valid_until: dt.date | None
    status: str
    previous_id: int | None
    agency: str

    @staticmethod
    def resolve_type_label(obj) -> str:
        return obj["type_label"] if isinstance(obj, dict) else obj.get_type_display()

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj["agency"] if isinstance(obj, dict) else obj.agency.code


@router.post(
    "/dossiers/{pk}/certificate",
    response=DossierDetailOut,
    summary="Ban hành kết quả: cấp, cấp thay đổi, cấp lại hoặc thu hồi giấy chứng nhận",
)
def dossier_certificate(request, pk: int, payload: CertificateIn):
    dossier = _visible(request, pk)
    services.certificate_issue(
        actor=request.user,
        dossier=dossier,
        content=payload.content,
        issued_on=payload.issued_on,
        remark=payload.remark,
        request=request,
    )
    return _dossier(_visible(request, pk), detail=True)


@router.get(
    "/certificates",
    response=list[CertificateOut],
    auth=None,
    summary="Sổ đăng ký công khai giấy chứng nhận (mặc định: còn hiệu lực)",
)
@paginate(LimitOffsetPagination)
def certificate_list(request, type: str = "", valid: bool = True, q: str = ""):
    if type and type not in CertificateType.values:
        raise FieldErrors({"type": _("Loại giấy chứng nhận không hợp lệ.")})
    return selectors.certificates_public(type=type, valid=valid, q=q[:100])


class StatisticsOut(Schema):
    date_from: dt.date
    date_to: dt.date
    rows: list[dict]
    units: list[dict]
    total: dict


@router.get(
    "/dossiers-statistics",
    response=StatisticsOut,
    summary="Thống kê giải quyết hồ sơ theo thủ tục và đơn vị trong một kỳ",
)
def dossier_statistics(
    request, agency: str, date_from: dt.date, date_to: dt.date, procedure: str = ""
):
    found = Agency.objects.filter(code=agency[:20]).first()
    if found is None:
        raise Http404
    proc = selectors.procedure_public(procedure[:40]) if procedure else None
    stats = selectors.dossier_statistics(
        user=request.user,
        agency=found,
        date_from=date_from,
        date_to=date_to,
        procedure=proc,
        today=clock.today(),
    )
    return {
        "date_from": stats.date_from,
        "date_to": stats.date_to,
        "rows": [r.as_dict() for r in stats.rows],
        "units": [r.as_dict() for r in stats.units],
        "total": stats.total.as_dict(),
    }
