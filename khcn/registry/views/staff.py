"""Staff pages of the S&T database (/co-so-du-lieu/): lists with filters and sorting, a
page per record, create and edit forms, access levels, a person's organisations over time
and consent. Thin views: every write is one registry service (validated, audited, atomic);
its Vietnamese messages go back on the form and nothing is saved on error.

Only the department's own people (staff, leaders, administrators of the current agency)
enter; anyone else gets 404 (confidential records: leaders only, `permissions.py`).
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.core.calendar import parse_date
from khcn.core.errors import DomainError
from khcn.core.permissions import can, get_visible
from khcn.projects.models import Project
from khcn.registry import dedupe, selectors, services, units, validation
from khcn.registry import page_selectors as ps
from khcn.registry.forms import AccessForm, AffiliationForm
from khcn.registry.interop.filters import staff_list
from khcn.registry.models import (
    Access,
    Affiliation,
    DuplicateFlag,
    IPAsset,
    Organisation,
    Person,
    Result,
)
from khcn.registry.permissions import can_set_access
from khcn.registry.views.common import KINDS, attempt, staff_only
from khcn.web.utils import paginate
from khcn.workflow.fields import FieldErrors

PER_PAGE = 30

# What a record's staff page lists, in order (labels come from the model's verbose names).
DETAIL_FIELDS = {
    "organisation": [
        "kind",
        "abbreviation",
        "english_name",
        "tax_code",
        "fields",
        "st_registration_no",
        "st_registration_date",
        "st_registration_issuer",
        "st_enterprise_cert_no",
        "st_enterprise_cert_date",
        "phone",
        "email",
        "website",
        "ror",
        "description",
    ],
    "person": [
        "title",
        "degree",
        "gender",
        "birth_year",
        "orcid",
        "email",
        "phone",
        "keywords",
        "fields",
        "is_expert",
        "expert_fields",
        "cv_text",
        "user",
    ],
    "result": [
        "kind",
        "year",
        "field",
        "project",
        "registration_no",
        "registration_date",
        "doi",
        "url",
        "keywords",
        "abstract",
    ],
    "ip_asset": [
        "kind",
        "product",
        "holder",
        "status",
        "region",
        "application_no",
        "application_date",
        "certificate_no",
        "certificate_date",
        "expiry_date",
        "project",
        "description",
    ],
}


def _display(obj, name: str):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return "; ".join(f"{o.pk}. {o.name}" for o in getattr(obj, name).order_by("pk")) or "—"
    value = getattr(obj, name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")() if value else "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value in (None, ""):
        return "—"
    return value


def detail_rows(obj, kind: str) -> list[tuple[str, object]]:
    rows = []
    for name in DETAIL_FIELDS[kind]:
        label = obj._meta.get_field(name).verbose_name
        rows.append((str(label)[:1].upper() + str(label)[1:], _display(obj, name)))
    if kind == "organisation":
        rows.insert(4, (_("Địa chỉ"), obj.full_address or "—"))
    if kind == "ip_asset":
        rows.insert(5, (_("Tỉnh/thành phố"), obj.province_name or "—"))
    return rows


def _record(request, kind: str, pk: int):
    spec = KINDS[kind]
    agency = request.registry_agency
    return get_visible(
        request.user, "registry.view", spec.model.objects.filter(agency=agency), pk=pk
    )


# --- home and lists ------------------------------------------------------------------------------


@staff_only
def home(request):
    agency = request.registry_agency
    counts = selectors.register_counts(user=request.user, agency=agency)
    flags = selectors.open_flags(agency=agency)
    return render(
        request,
        "registry/staff/home.html",
        {
            "agency": agency,
            "counts": counts,
            "kinds": KINDS.values(),
            "open_flags": flags.count(),
            "recent_flags": list(flags[:5]),
            "recent_merges": list(selectors.merges(agency=agency)[:5]),
            "can_import": _has_url("registry-import-list"),
            "can_national": _has_url("registry-national-export"),
        },
    )


def _has_url(name: str, args=()) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


@staff_only
def record_list(request, kind: str):
    """A filtered, sorted, paginated list; the same GET parameters drive the export
    (`interop.filters.staff_list`), so a downloaded file holds exactly these rows."""
    spec = KINDS[kind]
    params = request.GET
    qs = staff_list(kind, user=request.user, params=params)
    qs = qs.filter(agency=request.registry_agency)
    sort = params.get("sort", "")
    if kind in ("organisation", "person"):
        qs = ps.with_duplicate_mark(qs, kind)
    if sort in ("", "name") and kind in ("organisation", "person"):
        ordered = ps.sorted_by_name(
            qs, "full_name" if kind == "person" else "name", given_name_first=kind == "person"
        )
    else:
        ordered = qs
    page = paginate(request, ordered, PER_PAGE)
    if page.object_list and not hasattr(page.object_list[0], "pk"):
        found = qs.in_bulk(list(page.object_list))
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
    years = []
    if kind == "result":
        years = list(
            Result.objects.filter(agency=request.registry_agency)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
    return render(
        request,
        "registry/staff/list.html",
        {
            "spec": spec,
            "kind": kind,
            "page": page,
            "filters": {name: params.get(name, "") for name in FILTERS},
            "field_choices": selectors.field_choices(),
            "kind_choices": spec.model.Kind.choices if hasattr(spec.model, "Kind") else [],
            "access_choices": Access.choices,
            "province_choices": units.province_choices() if kind == "organisation" else [],
            "status_choices": IPAsset.Status.choices if kind == "ip_asset" else [],
            "years": years,
            "export": _has_url("registry-export", [kind, "xlsx"]),
            "querystring": params.urlencode(),
        },
    )


FILTERS = (
    "q",
    "kind",
    "field",
    "province",
    "access",
    "year",
    "status",
    "expert",
    "st_enterprise",
    "duplicate",
    "sort",
)


@staff_only
def ward_options(request):
    """htmx: the ward select for the chosen province (organisation forms)."""
    from khcn.registry.forms import OrganisationForm

    form = OrganisationForm(initial={"province_code": request.GET.get("province_code") or None})
    return render(request, "registry/staff/partials/wards.html", {"field": form["ward_code"]})


# --- create and edit -----------------------------------------------------------------------------


def _project(agency, code: str):
    code = (code or "").strip()
    if not code:
        return None
    project = Project.objects.filter(agency=agency, code__iexact=code).first()
    if project is None:
        raise FieldErrors(
            {"project": _("Không có nhiệm vụ mã %(c)s trong cơ sở dữ liệu của Sở.") % {"c": code}}
        )
    return project


def _org(agency, pk):
    if not pk:
        return None
    org = Organisation.objects.active().filter(agency=agency, pk=pk).first()
    if org is None:
        raise FieldErrors({"organisation": _("Tổ chức không có trong cơ sở dữ liệu của Sở.")})
    return org


def _people(agency, ids) -> list[Person]:
    found = Person.objects.active().filter(agency=agency).in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _result_links(agency, data: dict, keep_order=()):
    authors_ids = list(dict.fromkeys(data.pop("authors", []) or []))
    # authors already on the result keep their order; new ones follow in the list's order
    ordered = [i for i in keep_order if i in authors_ids] + [
        i for i in authors_ids if i not in keep_order
    ]
    host = data.pop("host", None)
    partners = [p for p in data.pop("partners", []) or [] if p != host]
    orgs = (
        Organisation.objects.active()
        .filter(agency=agency)
        .in_bulk([*partners, *([host] if host else [])])
    )
    links = ([(orgs[host], "host")] if host in orgs else []) + [
        (orgs[p], "partner") for p in partners if p in orgs
    ]
    return _people(agency, ordered), links


def _candidates(kind: str, agency, data: dict, exclude=None) -> list:
    """Likely duplicates of the record about to be created (shown before it is saved)."""
    if kind == "organisation":
        cleaned = validation.clean_organisation(data)
        return dedupe.organisation_candidates(
            agency=agency, name=cleaned["name"], tax_code=cleaned["tax_code"], exclude=exclude
        )
    if kind == "person":
        person_data = {k: v for k, v in data.items() if k not in ("organisation", "position")}
        cleaned = validation.clean_person(person_data)
        org = data.get("organisation")
        return dedupe.person_candidates(
            agency=agency,
            full_name=cleaned["full_name"],
            orcid=cleaned["orcid"],
            organisation_ids=[org] if org else [],
            exclude=exclude,
        )
    return []


def _create(request, kind: str, agency, form):
    data = form.data_for_service()
    actor = request.user
    if kind == "organisation":
        return services.organisation_create(actor=actor, agency=agency, request=request, **data)
    if kind == "person":
        org = _org(agency, form.cleaned_data.get("organisation"))
        return services.person_create(
            actor=actor,
            agency=agency,
            organisation=org,
            position=form.cleaned_data.get("position", ""),
            request=request,
            **data,
        )
    if kind == "result":
        authors, links = _result_links(agency, data)
        data["project"] = _project(agency, data.get("project"))
        return services.result_create(
            actor=actor,
            agency=agency,
            authors=authors,
            organisations=links,
            request=request,
            **data,
        )
    data["project"] = _project(agency, data.get("project"))
    data["holder"] = _org(agency, data.get("holder"))
    return services.ip_asset_create(actor=actor, agency=agency, request=request, **data)


def _update(request, kind: str, obj, form):
    data = form.data_for_service()
    actor, agency = request.user, obj.agency
    if kind == "organisation":
        return services.organisation_update(actor=actor, organisation=obj, request=request, **data)
    if kind == "person":
        return services.person_update(actor=actor, person=obj, request=request, **data)
    if kind == "result":
        current = [a.person_id for a in obj.authorships.order_by("order", "pk")]
        authors, links = _result_links(agency, data, keep_order=current)
        data["project"] = _project(agency, data.get("project"))
        return services.result_update(
            actor=actor, result=obj, authors=authors, organisations=links, request=request, **data
        )
    data["project"] = _project(agency, data.get("project"))
    data["holder"] = _org(agency, data.get("holder"))
    return services.ip_asset_update(actor=actor, asset=obj, request=request, **data)


FIELD_MAP = {"organisations": "host", "field_id": "field", "holder": "holder"}


def _form(kind, request, *, creating, instance=None, data=None):
    spec = KINDS[kind]
    kwargs = {"creating": creating, "instance": instance}
    if kind != "organisation":
        kwargs["agency"] = request.registry_agency
    return spec.form(data, **kwargs)


@staff_only
def record_create(request, kind: str):
    spec = KINDS[kind]
    agency = request.registry_agency
    if not can(request.user, "registry.manage", agency):
        raise Http404(_("Không tìm thấy."))
    candidates = []
    if request.method == "POST":
        form = _form(kind, request, creating=True, data=request.POST)
        if form.is_valid():
            try:
                if not request.POST.get("confirm_duplicate"):
                    candidates = _candidates(
                        kind,
                        agency,
                        form.data_for_service()
                        | {
                            k: form.cleaned_data[k]
                            for k in ("organisation",)
                            if k in form.cleaned_data
                        },
                    )
            except FieldErrors as exc:
                for name, message in exc.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            if form.is_valid() and not candidates:
                obj = attempt(
                    request, form, lambda: _create(request, kind, agency, form), None, FIELD_MAP
                )
                if obj is not None:
                    messages.success(request, _("Đã thêm «%(name)s».") % {"name": obj})
                    flags = getattr(obj, "duplicate_flags", [])
                    if flags:
                        messages.warning(
                            request,
                            _("Bản ghi đã được đưa vào danh sách nghi trùng lặp để xử lý."),
                        )
                    return redirect(f"registry-{kind}", obj.pk)
    else:
        form = _form(kind, request, creating=True)
    return render(
        request,
        "registry/staff/form.html",
        {
            "spec": spec,
            "kind": kind,
            "form": form,
            "title": _("Thêm %(what)s") % {"what": str(spec.label).lower()},
            "candidates": candidates,
            "creating": True,
        },
    )


@staff_only
def record_edit(request, kind: str, pk: int):
    spec = KINDS[kind]
    obj = _record(request, kind, pk)
    if not can(request.user, "registry.manage", obj):
        raise PermissionDenied(_("Bạn không có quyền sửa bản ghi này."))
    if getattr(obj, "merged_into_id", None):
        messages.warning(request, _("Bản ghi này đã được gộp; hãy sửa bản ghi giữ lại."))
        return redirect(f"registry-{kind}", obj.merged_into_id)
    if request.method == "POST":
        form = _form(kind, request, creating=False, instance=obj, data=request.POST)
        if form.is_valid():
            saved = attempt(
                request,
                form,
                lambda: _update(request, kind, obj, form),
                _("Đã lưu thay đổi."),
                FIELD_MAP,
            )
            if saved is not None:
                if getattr(saved, "duplicate_flags", None):
                    messages.warning(
                        request,
                        _(
                            "Sau khi sửa, bản ghi trùng với bản ghi khác; xem danh sách nghi trùng lặp."
                        ),
                    )
                return redirect(f"registry-{kind}", obj.pk)
    else:
        form = _form(kind, request, creating=False, instance=obj)
    return render(
        request,
        "registry/staff/form.html",
        {
            "spec": spec,
            "kind": kind,
            "form": form,
            "obj": obj,
            "title": _("Sửa: %(name)s") % {"name": obj},
            "creating": False,
        },
    )


# --- one record ----------------------------------------------------------------------------------


@staff_only
def record_detail(request, kind: str, pk: int):
    spec = KINDS[kind]
    obj = _record(request, kind, pk)
    user, agency = request.user, request.registry_agency
    context = {
        "spec": spec,
        "kind": kind,
        "obj": obj,
        "rows": detail_rows(obj, kind),
        "can_manage": bool(can(user, "registry.manage", obj)),
        "access_form": AccessForm(initial={"access": obj.access}),
        "access_choices": [
            (value, label) for value, label in Access.choices if can_set_access(user, obj, value)
        ],
        "public_visible": ps.is_publicly_visible(obj),
        "merged_into": None,
    }
    if getattr(obj, "merged_into_id", None):
        context["merged_into"] = type(obj).objects.filter(pk=obj.merged_into_id).first()
    if kind in ("organisation", "person"):
        flag_q = {"org_a": obj} if kind == "organisation" else {"person_a": obj}
        other_q = {"org_b": obj} if kind == "organisation" else {"person_b": obj}
        flags = DuplicateFlag.objects.filter(status=DuplicateFlag.Status.OPEN).filter(
            _q(flag_q) | _q(other_q)
        )
        context["flags"] = list(flags.select_related("org_a", "org_b", "person_a", "person_b"))
    if kind == "organisation":
        context["people"] = ps.organisation_people(obj, user=user)
        context["results"] = ps.organisation_results(obj, user=user)
        context["ip_assets"] = ps.organisation_ip_assets(obj, user=user)
    elif kind == "person":
        context["affiliations"] = list(
            obj.affiliations.select_related("organisation").order_by("end", "-start", "pk")
        )
        context["affiliation_form"] = AffiliationForm(agency=agency)
        context["results"] = ps.person_results(obj, user=user)
        context["today"] = dt.date.today()
    elif kind == "result":
        context["authors"] = ps.result_authors(obj, user=user)
        context["organisations"] = ps.result_organisations(obj, user=user)
    return render(request, "registry/staff/detail.html", context)


def _q(lookup: dict):
    from django.db.models import Q

    return Q(**lookup)


@staff_only
@require_POST
def access_change(request, kind: str, pk: int):
    """Change who may read the record (NĐ 11/2014 Đ12); leaders only for Mật."""
    obj = _record(request, kind, pk)
    form = AccessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Mức truy cập không hợp lệ."))
    else:
        try:
            services.access_set(
                actor=request.user, obj=obj, access=form.cleaned_data["access"], request=request
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Mức truy cập: %(a)s.") % {"a": Access(form.cleaned_data["access"]).label},
            )
    return redirect(f"registry-{kind}", obj.pk)


# --- a person's organisations and consent --------------------------------------------------------


@staff_only
def affiliation_add(request, pk: int):
    person = _record(request, "person", pk)
    if request.method != "POST":
        return redirect("registry-person", person.pk)
    form = AffiliationForm(request.POST, agency=request.registry_agency)
    if form.is_valid():

        def add():
            data = form.cleaned_data
            org = _org(request.registry_agency, data["organisation"])
            return services.affiliation_add(
                actor=request.user,
                person=person,
                organisation=org,
                position=data["position"],
                start=_date(data["start"], "start"),
                end=_date(data["end"], "end"),
                request=request,
            )

        if attempt(request, form, add, _("Đã thêm quá trình công tác.")) is not None:
            return redirect(f"{reverse('registry-person', args=[person.pk])}#cong-tac")
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(f"{reverse('registry-person', args=[person.pk])}#cong-tac")


def _date(text: str, name: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except (ValueError, TypeError):
        raise FieldErrors({name: _("Ngày không hợp lệ (dạng dd/mm/yyyy).")}) from None


@staff_only
@require_POST
def affiliation_end(request, pk: int):
    affiliation = Affiliation.objects.select_related("person").filter(pk=pk).first()
    if affiliation is None:
        raise Http404(_("Không tìm thấy."))
    person = _record(request, "person", affiliation.person_id)
    try:
        end = _date(request.POST.get("end", ""), "end") or dt.date.today()
        services.affiliation_end(
            actor=request.user, affiliation=affiliation, end=end, request=request
        )
    except FieldErrors as exc:
        messages.error(request, " ".join(exc.errors.values()))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi ngày kết thúc công tác."))
    return redirect(f"{reverse('registry-person', args=[person.pk])}#cong-tac")


@staff_only
@require_POST
def consent(request, pk: int):
    """Record the person's consent to publish personal data, or its withdrawal (NĐ 13/2023 Đ11–12)."""
    person = _record(request, "person", pk)
    given = request.POST.get("consent") == "1"
    try:
        services.person_consent_set(
            actor=request.user, person=person, consent=given, request=request
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã ghi nhận sự đồng ý công khai thông tin cá nhân.")
            if given
            else _("Đã ghi nhận việc rút lại đồng ý: thông tin cá nhân không còn công khai."),
        )
    return redirect("registry-person", person.pk)
