"""Every write on administrative dossiers: filing, counter registration, the processing steps,
apology letters and certificates.

State changes go through the workflow engine (`perform`, rule sets `tthc-*.toml`), which
records the actor, time and remarks of every step, keeps the deadlines (the clock stops while
the applicant supplements the dossier) and notifies the applicant, a party to the record. Each
service runs in one transaction and writes an audit event; bad input raises `FieldErrors`
(a message per field) and leaves nothing behind.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from khcn.accounts.models import INTERNAL_ROLES
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.calendar import calendar_for
from khcn.core.errors import DomainError
from khcn.core.files import EXTENSION_ALIASES, FileRejected, NamedBytes
from khcn.core.permissions import require
from khcn.core.services import attachment_create
from khcn.core.validators import clean_citizen_id, clean_tax_code
from khcn.procedures import catalogue
from khcn.procedures.guards import dossier_rules, dossier_sync
from khcn.procedures.models import (
    ApologyLetter,
    Certificate,
    Dossier,
    DossierDocument,
    DossierSequence,
    Procedure,
    RequiredDocument,
)
from khcn.workflow.engine import perform, process_data_record, process_start
from khcn.workflow.fields import FieldErrors

OTHER = "other"  # the upload key for papers that are not one of the required documents
APPLICANT_KEYS = ("kind", "name", "tax_code", "citizen_id", "representative", "address", "phone")
MAX_FILES_PER_DOCUMENT = 10


# --- codes ---------------------------------------------------------------------------------------


def dossier_code_next(agency, year: int) -> str:
    """The next code of the agency's year, "HP-2026-000123".

    The sequence row is locked by the UPDATE until the transaction ends, so two filings at
    the same moment never get the same number (and the code is unique in the database).
    """
    sequence, _created = DossierSequence.objects.get_or_create(agency=agency, year=year)
    DossierSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    number = DossierSequence.objects.values_list("last", flat=True).get(pk=sequence.pk)
    return f"{agency.code.upper()}-{year}-{number:06d}"


# --- checking what the applicant sent ------------------------------------------------------------


def _clean_applicant(procedure: Procedure, applicant: dict, errors: dict) -> dict:
    """Applicant details: an organisation gives its tax code, a person the citizen ID."""
    data = {k: (str(applicant.get(k) or "")).strip() for k in (*APPLICANT_KEYS, "email")}
    kind = data["kind"] or (
        Dossier.ApplicantKind.INDIVIDUAL
        if procedure.applicants == Procedure.Applicants.INDIVIDUAL
        else Dossier.ApplicantKind.ORGANISATION
    )
    if kind not in Dossier.ApplicantKind.values:
        errors["applicant.kind"] = _("Loại người nộp không hợp lệ.")
    elif procedure.applicants != Procedure.Applicants.ANY and kind != procedure.applicants:
        errors["applicant.kind"] = _("Thủ tục này dành cho: %(a)s.") % {
            "a": procedure.get_applicants_display()
        }
    data["kind"] = kind
    if not data["name"]:
        errors["applicant.name"] = _("Cần nhập tên tổ chức hoặc cá nhân.")
    if not data["address"]:
        errors["applicant.address"] = _("Cần nhập địa chỉ.")
    for key, limit in (("name", 300), ("address", 500), ("representative", 150), ("phone", 30)):
        if len(data[key]) > limit:
            errors[f"applicant.{key}"] = _("Dài quá %(n)d ký tự.") % {"n": limit}
    if kind == Dossier.ApplicantKind.ORGANISATION or data["tax_code"]:
        try:
            data["tax_code"] = clean_tax_code(data["tax_code"])
        except ValidationError as exc:
            errors["applicant.tax_code"] = exc.messages[0]
    if kind == Dossier.ApplicantKind.INDIVIDUAL or data["citizen_id"]:
        try:
            data["citizen_id"] = clean_citizen_id(data["citizen_id"])
        except ValidationError as exc:
            errors["applicant.citizen_id"] = exc.messages[0]
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["applicant.email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    return data


def _extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    return EXTENSION_ALIASES.get(ext, ext)


def _check_files(
    requirements: list[RequiredDocument], files: dict, errors: dict, *, complete: bool
) -> dict[str, list]:
    """Uploads by document key. With `complete`, every mandatory document must be there
    (a supplement may bring only some). The content of each file is checked when stored."""
    files = {k: (v if isinstance(v, list | tuple) else [v]) for k, v in (files or {}).items()}
    by_key = {r.key: r for r in requirements}
    for key, uploads in files.items():
        uploads = [u for u in uploads if u is not None]
        files[key] = uploads
        requirement = by_key.get(key)
        if requirement is None and key != OTHER:
            errors[f"files.{key}"] = _("Thành phần hồ sơ «%(k)s» không có trong thủ tục.") % {
                "k": key
            }
            continue
        if len(uploads) > MAX_FILES_PER_DOCUMENT:
            errors[f"files.{key}"] = _("Tối đa %(n)d tệp cho mỗi thành phần hồ sơ.") % {
                "n": MAX_FILES_PER_DOCUMENT
            }
        allowed = requirement.extensions if requirement is not None else None
        for upload in uploads:
            ext = _extension(getattr(upload, "name", ""))
            if allowed and ext not in allowed:
                errors[f"files.{key}"] = _(
                    "«%(d)s» chỉ nhận tệp %(t)s (tệp «%(f)s» không phù hợp)."
                ) % {
                    "d": requirement.name,
                    "t": ", ".join(f".{e}" for e in allowed),
                    "f": getattr(upload, "name", ""),
                }
    if complete:
        for requirement in requirements:
            if requirement.mandatory and not files.get(requirement.key):
                errors[f"files.{requirement.key}"] = _(
                    "Thiếu thành phần hồ sơ bắt buộc: %(d)s."
                ) % {"d": requirement.name}
    return files


def _store_files(*, actor, dossier: Dossier, files: dict, round: int, requirements) -> None:
    """Attach the uploads to the dossier; a file whose content is not what its name says is
    refused, and the whole filing with it (FieldErrors rolls the transaction back)."""
    by_key = {r.key: r for r in requirements}
    errors = {}
    now = clock.now()
    for key, uploads in files.items():
        requirement = by_key.get(key)
        for upload in uploads:
            try:
                attachment = attachment_create(
                    actor=actor,
                    agency=dossier.agency,
                    title=requirement.name if requirement else getattr(upload, "name", ""),
                    upload=upload,
                    owner=dossier,
                )
            except FileRejected as exc:
                errors[f"files.{key}"] = _("Tệp «%(f)s»: %(e)s") % {
                    "f": getattr(upload, "name", ""),
                    "e": exc.message,
                }
                continue
            DossierDocument.objects.create(
                dossier=dossier,
                requirement=requirement,
                attachment=attachment,
                round=round,
                added_at=now,
                added_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    if errors:
        raise FieldErrors(errors)


def _party_role(kind: str) -> str:
    return "enterprise" if kind == Dossier.ApplicantKind.ORGANISATION else "public"


def _procedure_for(procedure: Procedure, agency) -> None:
    if not procedure.active:
        raise DomainError(_("Thủ tục «%(p)s» không còn áp dụng.") % {"p": procedure.name})
    if procedure.agency_id is not None and procedure.agency_id != agency.pk:
        raise DomainError(_("Thủ tục này không thuộc cơ quan đã chọn."), status=404)


def _create(
    *,
    actor,
    procedure: Procedure,
    agency,
    applicant: dict,
    form_data: dict,
    files: dict,
    channel: str,
    applicant_user,
    received_at: dt.datetime,
    request,
) -> Dossier:
    errors: dict[str, str] = {}
    _procedure_for(procedure, agency)
    details = _clean_applicant(procedure, applicant or {}, errors)
    clean, form_errors = catalogue.clean_form(catalogue.field_specs(procedure), form_data or {})
    errors.update(form_errors)
    requirements = list(procedure.documents.all())
    files = _check_files(requirements, files, errors, complete=True)
    if errors:
        raise FieldErrors(errors)

    received_on = clock.today() if received_at is None else received_at.date()
    received_at = received_at or clock.now()
    code = dossier_code_next(agency, received_on.year)
    parties = []
    if applicant_user is not None:
        parties.append((applicant_user, _party_role(details["kind"])))
    process = process_start(
        actor=actor,
        agency=agency,
        ruleset=procedure.ruleset_code,
        title=f"{code} – {procedure.short_name or procedure.name}: {details['name']}"[:500],
        data={"received_on": received_on.isoformat()},
        parties=parties,
        reference=code,
        today=received_on,
    )
    dossier = Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        process=process,
        code=code,
        channel=channel,
        applicant=applicant_user,
        applicant_kind=details["kind"],
        applicant_name=details["name"],
        tax_code=details["tax_code"],
        citizen_id=details["citizen_id"],
        representative=details["representative"],
        address=details["address"],
        phone=details["phone"],
        email=details["email"],
        form_data=clean,
        received_at=received_at,
        received_on=received_on,
        received_by=actor if channel == Dossier.Channel.COUNTER else None,
        state=process.state,
    )
    process.subject = dossier
    process.save(update_fields=["subject_type", "subject_id"])
    dossier_sync(process, "_start")
    _store_files(actor=actor, dossier=dossier, files=files, round=0, requirements=requirements)
    dossier.refresh_from_db()
    _file_receipt(actor=actor, dossier=dossier)
    _notify_staff(
        dossier,
        _("Hồ sơ mới %(c)s: %(p)s")
        % {"c": dossier.code, "p": procedure.short_name or procedure.name},
    )
    return dossier


def _file_receipt(*, actor, dossier: Dossier) -> None:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 01/2018/TT-VPCP mẫu 01), kept on the dossier."""
    from khcn.procedures.documents import receipt_document

    title, filename, content = receipt_document(dossier)
    attachment = attachment_create(
        actor=actor,
        agency=dossier.agency,
        title=title,
        upload=NamedBytes(content, filename),
        owner=dossier,
    )
    dossier.receipt = attachment
    dossier.save(update_fields=["receipt"])


def _notify_staff(dossier: Dossier, title: str) -> None:
    from khcn.notifications.models import Kind
    from khcn.notifications.services import notify
    from khcn.workflow.engine import process_url, recipients

    notify(
        recipients=recipients(dossier.process, ["staff"]),
        kind=Kind.WORKFLOW_STEP,
        title=title,
        body=dossier.applicant_name,
        url=process_url(dossier.process),
        agency=dossier.agency,
    )


@transaction.atomic
def dossier_submit(
    *,
    actor,
    procedure: Procedure,
    agency,
    applicant: dict,
    form_data: dict,
    files: dict,
    request=None,
) -> Dossier:
    """An enterprise or citizen files a dossier online (NĐ 61/2018 Đ14; NĐ 45/2020).

    The fields of the procedure's form, the applicant's identifiers (tax code, citizen ID),
    the presence of every mandatory document and each file's content are checked; the
    dossier gets its code, its workflow record (clock running from today) and a receipt with
    the promised return date, all or nothing.
    """
    require(actor, "dossier.file", procedure)
    dossier = _create(
        actor=actor,
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        form_data=form_data,
        files=files,
        channel=Dossier.Channel.ONLINE,
        applicant_user=actor,
        received_at=None,
        request=request,
    )
    record(
        actor=actor,
        action=AuditAction.DOSSIER_SUBMITTED,
        obj=dossier,
        agency=agency,
        after={"code": dossier.code, "procedure": procedure.code, "due_date": dossier.due_date},
        request=request,
    )
    return dossier


@transaction.atomic
def dossier_register_counter(
    *,
    actor,
    procedure: Procedure,
    agency,
    applicant: dict,
    form_data: dict,
    files: dict,
    applicant_user=None,
    request=None,
) -> Dossier:
    """Staff of the one-stop counter register a paper dossier (scanned files attached) and hand
    over the receipt. `applicant_user`, when the applicant has an account, follows the dossier
    online."""
    require(actor, "dossier.process", agency)
    dossier = _create(
        actor=actor,
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        form_data=form_data,
        files=files,
        channel=Dossier.Channel.COUNTER,
        applicant_user=applicant_user,
        received_at=None,
        request=request,
    )
    record(
        actor=actor,
        action=AuditAction.DOSSIER_REGISTERED,
        obj=dossier,
        agency=agency,
        after={"code": dossier.code, "procedure": procedure.code, "due_date": dossier.due_date},
        request=request,
    )
    return dossier


# --- processing steps ----------------------------------------------------------------------------


def _refresh(dossier: Dossier) -> Dossier:
    dossier.refresh_from_db()
    dossier.process.refresh_from_db()
    return dossier


@transaction.atomic
def dossier_act(
    *,
    actor,
    dossier: Dossier,
    action: str,
    data: dict | None = None,
    remark: str = "",
    expected_state: str | None = None,
    request=None,
) -> Dossier:
    """Take one step of the dossier's rule set through the workflow engine (which checks the
    role, fields, guards and state, records the step and notifies the applicant).

    `issue_result` is refused here: the result is issued by `certificate_issue`, which makes
    the certificate first.
    """
    require(actor, "dossier.view", dossier)
    if action == "issue_result":
        raise DomainError(_("Hãy dùng chức năng «Cấp giấy chứng nhận» để ban hành kết quả."))
    perform(
        user=actor,
        process=dossier.process,
        action=action,
        data=data,
        remark=remark,
        expected_state=expected_state,
        request=request,
    )
    return _refresh(dossier)


def dossier_accept(*, actor, dossier: Dossier, remark: str = "", request=None) -> Dossier:
    """The dossier is complete and valid: it goes to appraisal (NĐ 61/2018 Đ18)."""
    return dossier_act(
        actor=actor, dossier=dossier, action="accept", remark=remark, request=request
    )


def dossier_request_supplement(
    *, actor, dossier: Dossier, items: str, remark: str = "", request=None
) -> Dossier:
    """Ask the applicant, once and in writing, for what is missing; the clock stops until they
    answer (NĐ 61/2018 Đ18; the engine pauses the `resolution` deadline)."""
    return dossier_act(
        actor=actor,
        dossier=dossier,
        action="request_supplement",
        data={"items": items},
        remark=remark,
        request=request,
    )


@transaction.atomic
def dossier_supplement(
    *, actor, dossier: Dossier, files: dict, remark: str = "", request=None
) -> Dossier:
    """The applicant (or the counter, for a paper answer) sends the missing documents; the
    clock starts again with the days already used."""
    require(actor, "dossier.view", dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.state != "SUPPLEMENT_REQUESTED":
        raise DomainError(_("Hồ sơ không ở bước chờ bổ sung."), status=409)
    errors: dict[str, str] = {}
    requirements = list(dossier.procedure.documents.all())
    files = _check_files(requirements, files, errors, complete=False)
    if not any(files.values()):
        errors.setdefault("files", _("Cần gửi kèm ít nhất một tệp bổ sung."))
    if errors:
        raise FieldErrors(errors)
    round_no = dossier.supplement_count
    _store_files(
        actor=actor, dossier=dossier, files=files, round=round_no, requirements=requirements
    )
    perform(
        user=actor, process=dossier.process, action="supplement", remark=remark, request=request
    )
    record(
        actor=actor,
        action=AuditAction.DOSSIER_SUPPLEMENTED,
        obj=dossier,
        agency=dossier.agency,
        after={
            "code": dossier.code,
            "round": round_no,
            "files": sum(len(v) for v in files.values()),
        },
        request=request,
    )
    return _refresh(dossier)


def dossier_appraise(
    *,
    actor,
    dossier: Dossier,
    recommendation: str,
    appraisal: str,
    experts: bool = False,
    remark: str = "",
    request=None,
) -> Dossier:
    """Record the appraisal and submit it to the leader. With `experts`, the dossier first goes
    to experts or a council, which lengthens the limit where the rule set says so (NĐ 13/2019:
    15 working days)."""
    if experts and dossier.state == "APPRAISING":
        dossier = dossier_act(
            actor=actor, dossier=dossier, action="consult_experts", request=request
        )
    return dossier_act(
        actor=actor,
        dossier=dossier,
        action="propose",
        data={"recommendation": recommendation, "appraisal": appraisal},
        remark=remark,
        request=request,
    )


def dossier_decide(
    *, actor, dossier: Dossier, approve: bool, reason: str = "", request=None
) -> Dossier:
    """The leader approves, or refuses with the reasons written (NĐ 61/2018 Đ19)."""
    return dossier_act(
        actor=actor,
        dossier=dossier,
        action="approve" if approve else "refuse",
        remark=reason,
        request=request,
    )


def dossier_return(*, actor, dossier: Dossier, remark: str = "", request=None) -> Dossier:
    """Hand the result (or the refusal) back; a late dossier needs its apology letter first."""
    action = "return_refusal" if dossier.state == "REFUSED" else "return"
    return dossier_act(actor=actor, dossier=dossier, action=action, remark=remark, request=request)


# --- apology letters -----------------------------------------------------------------------------


@transaction.atomic
def apology_letter_issue(
    *, actor, dossier: Dossier, new_date: dt.date, reason: str, request=None
) -> ApologyLetter:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (NĐ 61/2018 Đ19; TT 01/2018/TT-VPCP mẫu 04):
    for a dossier past its due date, or within `[rules.dossier] due_soon_days` of it; the new
    date is a later working day and becomes the date promised to the applicant."""
    require(actor, "dossier.process", dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    today = clock.today()
    cal = calendar_for(dossier.agency_id)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Cần ghi lý do chậm trả kết quả.")
    if not isinstance(new_date, dt.date):
        errors["new_date"] = _("Cần chọn ngày hẹn mới.")
    elif new_date <= max(today, dossier.promised_date or today):
        errors["new_date"] = _("Ngày hẹn mới phải sau hôm nay và sau ngày hẹn hiện tại.")
    elif not cal.is_working_day(new_date):
        errors["new_date"] = _("Ngày hẹn mới phải là ngày làm việc.")
    if errors:
        raise FieldErrors(errors)
    if dossier.returned_on is not None or dossier.outcome == Dossier.Outcome.WITHDRAWN:
        raise DomainError(_("Hồ sơ đã kết thúc."), status=409)
    soon = dossier_rules(dossier.process.rules).get("due_soon_days", 0)
    due = dossier.due_date
    if not dossier.late and (due is None or cal.add_working_days(today, soon) < due):
        raise DomainError(_("Hồ sơ chưa đến hạn hoặc sắp đến hạn, chưa cần phiếu xin lỗi."))
    number = dossier.apologies.count() + 1
    letter = ApologyLetter.objects.create(
        dossier=dossier,
        number=number,
        reason=reason,
        old_date=dossier.promised_date or due,
        new_date=new_date,
        issued_at=clock.now(),
        issued_by=actor,
    )
    from khcn.procedures.documents import apology_document

    title, filename, content = apology_document(letter)
    letter.attachment = attachment_create(
        actor=actor,
        agency=dossier.agency,
        title=title,
        upload=NamedBytes(content, filename),
        owner=dossier,
    )
    letter.save(update_fields=["attachment"])
    Dossier.objects.filter(pk=dossier.pk).update(promised_date=new_date)
    record(
        actor=actor,
        action=AuditAction.APOLOGY_ISSUED,
        obj=dossier,
        agency=dossier.agency,
        after={"code": dossier.code, "number": number, "new_date": new_date, "reason": reason},
        request=request,
    )
    if dossier.applicant_id:
        from khcn.notifications.models import Kind
        from khcn.notifications.services import notify
        from khcn.workflow.engine import process_url

        notify(
            recipients=[dossier.applicant],
            kind=Kind.WORKFLOW_STEP,
            title=_("Hồ sơ %(c)s: hẹn lại ngày trả kết quả %(d)s")
            % {"c": dossier.code, "d": f"{new_date:%d/%m/%Y}"},
            body=reason,
            url=process_url(dossier.process),
            agency=dossier.agency,
        )
    return letter


# --- certificates --------------------------------------------------------------------------------


def _valid_until(dossier: Dossier, issued_on: dt.date) -> dt.date | None:
    years = dossier_rules(dossier.process.rules).get("certificate_valid_years", 0)
    if not years:
        return None
    from khcn.core.calendar import shift_months

    return shift_months(issued_on, 12 * years) - dt.timedelta(days=1)


def certificate_number_next(agency, type_: str, year: int) -> str:
    """ "07/2026/DN-KHCN": the count of first issues of that type in the year, plus one."""
    suffix = {
        "dn_khcn": "DNKHCN",
        "dk_hoat_dong": "ĐK-KHCN",
        "dk_ket_qua": "ĐKKQ",
        "dk_cgcn": "ĐKCGCN",
        "sang_kien": "SK",
    }[type_]
    count = Certificate.objects.filter(
        agency=agency, type=type_, version=1, issued_on__year=year
    ).count()
    return f"{count + 1:02d}/{year}/{suffix}"


def _current_certificate(dossier: Dossier) -> Certificate:
    number = (dossier.form_data or {}).get("certificate_number", "").strip()
    certificate = (
        Certificate.objects.select_for_update()
        .filter(
            agency=dossier.agency,
            type=dossier.procedure.result_type,
            number=number,
            status=Certificate.Status.VALID,
        )
        .first()
    )
    if certificate is None:
        raise DomainError(
            _("Không tìm thấy giấy chứng nhận số «%(n)s» còn hiệu lực của Sở.") % {"n": number}
        )
    if (
        dossier.tax_code
        and certificate.holder_tax_code
        and dossier.tax_code != certificate.holder_tax_code
    ):
        raise DomainError(
            _("Giấy chứng nhận số «%(n)s» không cấp cho tổ chức này.") % {"n": number}
        )
    return certificate


def _new_version(
    *, actor, previous: Certificate, change: str, content: str, issued_on: dt.date, dossier
) -> Certificate:
    previous.status = Certificate.Status.SUPERSEDED
    previous.status_changed_on = issued_on
    previous.save(update_fields=["status", "status_changed_on"])
    return Certificate.objects.create(
        agency=previous.agency,
        type=previous.type,
        number=previous.number,
        version=previous.version + 1,
        change=change,
        previous=previous,
        dossier=dossier,
        issued_on=issued_on,
        holder_name=dossier.applicant_name if dossier else previous.holder_name,
        holder_tax_code=previous.holder_tax_code,
        holder_address=dossier.address if dossier else previous.holder_address,
        representative=(dossier.representative if dossier else "") or previous.representative,
        content=content or previous.content,
        valid_until=previous.valid_until,
        issued_by=actor,
    )


def _certificate_document(*, actor, certificate: Certificate) -> None:
    from khcn.procedures.documents import certificate_document

    title, filename, content = certificate_document(certificate)
    owner = certificate.dossier
    certificate.document = attachment_create(
        actor=actor,
        agency=certificate.agency,
        title=title,
        upload=NamedBytes(content, filename),
        owner=owner,
    )
    certificate.save(update_fields=["document"])


@transaction.atomic
def certificate_issue(
    *,
    actor,
    dossier: Dossier,
    content: str = "",
    issued_on: dt.date | None = None,
    remark: str = "",
    request=None,
) -> Certificate | None:
    """Issue the approved dossier's result and move it to "result issued".

    By the procedure's `result_action`: a new certificate (numbered "07/2026/DNKHCN", valid for
    `[rules.dossier] certificate_valid_years`), a new version of the holder's valid certificate
    (amended content or a re-issued copy; the old one is superseded), or the revocation of it
    (returns None). The content defaults to the S&T products the applicant declared.
    """
    require(actor, "dossier.process", dossier)
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
    if dossier.state != "APPROVED":
        raise DomainError(
            _("Chỉ ban hành kết quả cho hồ sơ đã được phê duyệt (hồ sơ đang ở bước «%(s)s»).")
            % {"s": dossier.process.state_label},
            status=409,
        )
    procedure = dossier.procedure
    issued_on = issued_on or clock.today()
    content = (content or "").strip() or (dossier.form_data or {}).get("st_products", "")
    action = procedure.result_action
    certificate = None
    if action == Procedure.ResultAction.ISSUE:
        if not content and procedure.result_type == "dn_khcn":
            raise FieldErrors({"content": _("Cần ghi sản phẩm KH&CN được chứng nhận.")})
        certificate = Certificate.objects.create(
            agency=dossier.agency,
            type=procedure.result_type,
            number=certificate_number_next(dossier.agency, procedure.result_type, issued_on.year),
            dossier=dossier,
            issued_on=issued_on,
            holder_name=dossier.applicant_name,
            holder_tax_code=dossier.tax_code,
            holder_address=dossier.address,
            representative=dossier.representative,
            content=content or procedure.name,
            valid_until=_valid_until(dossier, issued_on),
            issued_by=actor,
        )
        audit = AuditAction.CERTIFICATE_ISSUED
    elif action in (Procedure.ResultAction.AMEND, Procedure.ResultAction.REISSUE):
        previous = _current_certificate(dossier)
        certificate = _new_version(
            actor=actor,
            previous=previous,
            change=action,
            content=content if action == Procedure.ResultAction.AMEND else "",
            issued_on=issued_on,
            dossier=dossier,
        )
        audit = (
            AuditAction.CERTIFICATE_AMENDED
            if action == Procedure.ResultAction.AMEND
            else AuditAction.CERTIFICATE_REISSUED
        )
    else:
        previous = _current_certificate(dossier)
        _revoke(previous, reason=(dossier.form_data or {}).get("reason", ""), on=issued_on)
        audit = AuditAction.CERTIFICATE_REVOKED
    target = certificate or previous
    if certificate is not None:
        _certificate_document(actor=actor, certificate=certificate)
    process_data_record(process=dossier.process, values={"result_ref": f"certificate:{target.pk}"})
    perform(
        user=actor, process=dossier.process, action="issue_result", remark=remark, request=request
    )
    record(
        actor=actor,
        action=audit,
        obj=target,
        agency=dossier.agency,
        after={
            "number": target.number,
            "version": target.version,
            "type": target.type,
            "dossier": dossier.code,
            "status": target.status,
        },
        request=request,
    )
    return certificate


def _revoke(certificate: Certificate, *, reason: str, on: dt.date) -> None:
    certificate.status = Certificate.Status.REVOKED
    certificate.status_changed_on = on
    certificate.revoke_reason = reason
    certificate.save(update_fields=["status", "status_changed_on", "revoke_reason"])


@transaction.atomic
def certificate_revoke(
    *, actor, certificate: Certificate, reason: str, request=None
) -> Certificate:
    """The department revokes a certificate on its own decision (after an inspection finds the
    conditions no longer met, NĐ 13/2019), with the reason written."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    require(actor, "certificate.manage", certificate)
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": _("Cần ghi lý do thu hồi.")})
    if certificate.status != Certificate.Status.VALID:
        raise DomainError(_("Giấy chứng nhận này không còn hiệu lực."), status=409)
    _revoke(certificate, reason=reason, on=clock.today())
    record(
        actor=actor,
        action=AuditAction.CERTIFICATE_REVOKED,
        obj=certificate,
        agency=certificate.agency,
        after={"number": certificate.number, "reason": reason},
        request=request,
    )
    return certificate


def is_internal(user, agency_id) -> bool:
    return bool(user.roles_by_agency().get(agency_id, frozenset()) & INTERNAL_ROLES)
