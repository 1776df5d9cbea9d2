"""Online filing by an enterprise or a citizen: the form with its uploads, a review page, the
submission and its confirmation; "Hồ sơ của tôi" and the answer to a supplement request.

Uploads survive the review step: each file is checked and stored when the form is first sent
(`khcn.core.files.store_upload`, content-addressed, outside the web root) and only its digest,
name and size are kept in the session; the submission hands the same bytes to
`services.dossier_submit`, which checks everything again and saves all or nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khcn.accounts.models import Agency
from khcn.core import clock
from khcn.core import files as core_files
from khcn.core.errors import DomainError
from khcn.core.permissions import can, get_visible
from khcn.procedures import page_selectors, selectors, services
from khcn.procedures.forms import FilingForm, SupplementForm
from khcn.procedures.models import Dossier, Procedure
from khcn.procedures.permissions import APPLICANT_ROLES
from khcn.workflow.fields import FieldErrors

SESSION_KEY = "tthc-draft"


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, active=True).first()
    if procedure is None:
        raise Http404
    return procedure


def _applicant_agencies(user, procedure: Procedure) -> list[Agency]:
    """The departments the user is registered with as an enterprise or citizen."""
    ids = [a for a, roles in user.roles_by_agency().items() if roles & APPLICANT_ROLES]
    agencies = Agency.objects.filter(pk__in=ids, is_active=True).order_by("name")
    if procedure.agency_id is not None:
        agencies = agencies.filter(pk=procedure.agency_id)
    return list(agencies)


def _drafts(request) -> dict:
    return request.session.setdefault(SESSION_KEY, {})


def _keep_uploads(request, procedure, form, kept: dict) -> dict:
    """Check and store the files sent with the form; add the problems to the form.
    Returns {document key: [file info]} with the new files replacing the kept ones per key."""
    result = {k: list(v) for k, v in kept.items()}
    for requirement in procedure.documents.all():
        uploads = request.FILES.getlist(f"file_{requirement.key}")
        if not uploads:
            continue
        stored, problems = [], []
        for upload in uploads[: services.MAX_FILES_PER_DOCUMENT]:
            ext = services._extension(upload.name)
            if ext not in requirement.extensions:
                problems.append(
                    _("Tệp «%(f)s»: «%(d)s» chỉ nhận tệp %(t)s.")
                    % {
                        "f": upload.name,
                        "d": requirement.name,
                        "t": ", ".join(f".{e}" for e in requirement.extensions),
                    }
                )
                continue
            try:
                info = core_files.store_upload(upload)
            except DomainError as exc:
                problems.append(_("Tệp «%(f)s»: %(e)s") % {"f": upload.name, "e": exc.message})
                continue
            stored.append(
                {
                    "sha": info.sha256,
                    "name": info.original_name,
                    "size": info.size,
                    "ext": info.extension,
                }
            )
        if problems:
            form.file_errors[requirement.key] = problems
        if stored:
            result[requirement.key] = stored
    for requirement in procedure.documents.all():
        if requirement.mandatory and not result.get(requirement.key):
            message = _("Thiếu thành phần hồ sơ bắt buộc: %(d)s.") % {"d": requirement.name}
            form.file_errors.setdefault(requirement.key, []).append(message)
    return result


def _known_applicant(user, procedure: Procedure) -> dict:
    """The details of the user's latest dossier of the same kind of applicant, else the
    account's: an enterprise does not type its tax code and address again each time."""
    kind = "individual" if procedure.applicants == "individual" else "organisation"
    last = (
        Dossier.objects.filter(applicant=user, applicant_kind=kind)
        .order_by("-received_at")
        .only("applicant_name", *FilingForm.APPLICANT_FIELDS[2:])
        .first()
    )
    if last is not None:
        return {
            "kind": kind,
            "name": last.applicant_name,
            **{k: getattr(last, k) for k in FilingForm.APPLICANT_FIELDS[2:]},
        }
    return {
        "kind": kind,
        "name": user.organisation if kind == "organisation" else user.get_full_name(),
        "representative": user.get_full_name(),
        "phone": user.phone,
        "email": user.email,
    }


def document_rows(procedure, kept: dict, file_errors: dict) -> list[dict]:
    return [
        {
            "doc": d,
            "kept": kept.get(d.key, []),
            "errors": file_errors.get(d.key, []),
            "accept": ",".join(f".{e}" for e in d.extensions),
        }
        for d in procedure.documents.all()
    ]


@login_required
def dossier_file(request, code: str):
    """Step 1: the applicant's details, the procedure's form and the documents."""
    procedure = _procedure(code)
    decision = can(request.user, "dossier.file", procedure)
    agencies = _applicant_agencies(request.user, procedure)
    if not decision or not agencies:
        messages.error(
            request,
            decision.reason or _("Tài khoản của bạn chưa đăng ký với Sở nào để nộp hồ sơ."),
        )
        return redirect("procedure-detail", code=code)
    drafts = _drafts(request)
    draft = drafts.get(code, {})
    user = request.user
    initial = draft.get("post") or _known_applicant(user, procedure)
    form = FilingForm(
        request.POST or None,
        procedure=procedure,
        agencies=agencies,
        initial=initial if request.method != "POST" else None,
    )
    form.file_errors = {}
    kept = draft.get("files", {})
    if request.method == "POST":
        valid = form.is_valid()
        kept = _keep_uploads(request, procedure, form, kept)
        post = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        drafts[code] = {"post": post, "files": kept}
        request.session.modified = True
        if valid and not form.file_errors:
            return redirect("dossier-review", code=code)
    return render(
        request,
        "procedures/file.html",
        {
            "procedure": procedure,
            "form": form,
            "documents": document_rows(procedure, kept, form.file_errors),
            "time_limit": procedure.time_limit(),
        },
    )


def _named_files(kept: dict) -> dict:
    files = {}
    for key, infos in kept.items():
        files[key] = [
            core_files.NamedBytes(core_files.blob_path(i["sha"]).read_bytes(), i["name"])
            for i in infos
            if core_files.blob_path(i["sha"]).exists()
        ]
    return files


@login_required
def dossier_review(request, code: str):
    """Step 2: everything the applicant entered and attached, then "Nộp hồ sơ"."""
    procedure = _procedure(code)
    agencies = _applicant_agencies(request.user, procedure)
    draft = _drafts(request).get(code)
    if not draft or not agencies or not can(request.user, "dossier.file", procedure):
        return redirect("dossier-file", code=code)
    form = FilingForm(draft["post"], procedure=procedure, agencies=agencies)
    if not form.is_valid():
        return redirect("dossier-file", code=code)
    kept = draft.get("files", {})
    if any(d.mandatory and not kept.get(d.key) for d in procedure.documents.all()):
        return redirect("dossier-file", code=code)
    agency = next(a for a in agencies if str(a.pk) == form.cleaned_data["agency"])
    errors = {}
    if request.method == "POST":
        try:
            dossier = services.dossier_submit(
                actor=request.user,
                procedure=procedure,
                agency=agency,
                applicant=form.applicant(),
                form_data=form.cleaned_data["form_data"],
                files=_named_files(kept),
                request=request,
            )
        except FieldErrors as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = {"": exc.message}
        else:
            _drafts(request).pop(code, None)
            request.session.modified = True
            return redirect("dossier-submitted", pk=dossier.pk)
    applicant = form.applicant()
    return render(
        request,
        "procedures/review.html",
        {
            "procedure": procedure,
            "agency": agency,
            "applicant": applicant,
            "kind_label": Dossier.ApplicantKind(applicant["kind"]).label,
            "form_rows": form.display_form_data(),
            "documents": document_rows(procedure, kept, {}),
            "errors": errors,
            "time_limit": procedure.time_limit(),
        },
    )


@login_required
def dossier_submitted(request, pk: int):
    """Step 3: the dossier code, the promised date and the receipt to download."""
    dossier = get_visible(
        request.user,
        "dossier.view",
        Dossier.objects.select_related("procedure", "receipt", "agency", "process__ruleset"),
        pk=pk,
    )
    return render(request, "procedures/submitted.html", {"dossier": dossier})


@login_required
def my_dossiers(request):
    """Hồ sơ của tôi: the applicant's dossiers, newest first, with their public status."""
    qs = selectors.dossiers_for_applicant(user=request.user).defer(
        "process__ruleset__definition", "form_data"
    )
    from khcn.web.utils import paginate

    page = paginate(request, qs, 25)
    page.object_list = page_selectors.with_remaining(page.object_list)
    return render(request, "procedures/mine.html", {"page": page, "today": clock.today()})


@login_required
def dossier_supplement(request, pk: int):
    """The applicant answers a supplement request: the missing documents and a note."""
    dossier = get_visible(
        request.user, "dossier.view", Dossier.objects.select_related("procedure", "process"), pk=pk
    )
    if dossier.state != "SUPPLEMENT_REQUESTED":
        messages.info(request, _("Hồ sơ không ở bước chờ bổ sung."))
        return redirect("dossier-detail", pk=pk)
    request_event = (
        dossier.process.events.filter(action="request_supplement").order_by("-seq").first()
    )
    form = SupplementForm(request.POST or None)
    form.file_errors = {}
    if request.method == "POST" and form.is_valid():
        files = {
            d.key: request.FILES.getlist(f"file_{d.key}")
            for d in dossier.procedure.documents.all()
            if request.FILES.getlist(f"file_{d.key}")
        }
        if request.FILES.getlist("file_other"):
            files[services.OTHER] = request.FILES.getlist("file_other")
        try:
            services.dossier_supplement(
                actor=request.user,
                dossier=dossier,
                files=files,
                remark=form.cleaned_data["remark"],
                request=request,
            )
        except FieldErrors as exc:
            for name, message in exc.errors.items():
                key = name.removeprefix("files.")
                form.file_errors.setdefault(key, []).append(message)
                form.add_error(None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Đã gửi hồ sơ bổ sung. Sở tiếp tục giải quyết hồ sơ của bạn.")
            )
            return redirect("dossier-detail", pk=pk)
    return render(
        request,
        "procedures/supplement.html",
        {
            "dossier": dossier,
            "form": form,
            "request_event": request_event,
            "documents": document_rows(dossier.procedure, {}, form.file_errors),
            "other_errors": form.file_errors.get(services.OTHER, [])
            + form.file_errors.get("files", []),
        },
    )
