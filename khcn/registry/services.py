"""Every write to the S&T database: records, affiliations, access levels, duplicates, merges.

Each service checks the actor's permission, validates its input (`validation.py`, Vietnamese
messages, nothing saved on error), writes in one transaction and records one audit event.
Organisations and people are checked for likely duplicates when created or renamed
(`dedupe.py`); staff merge them with `organisation_merge`/`person_merge` and can undo a
merge exactly with `merge_undo` (the merge keeps a snapshot of every reference it moved).
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from khcn.audit.models import AuditAction
from khcn.audit.services import record, snapshot
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.permissions import require
from khcn.registry import dedupe
from khcn.registry.models import (
    Access,
    Affiliation,
    Authorship,
    DuplicateFlag,
    IPAsset,
    Merge,
    Organisation,
    Person,
    Result,
    ResultOrganisation,
)
from khcn.registry.permissions import can_set_access
from khcn.registry.validation import (
    clean_ip_asset,
    clean_organisation,
    clean_person,
    clean_result,
)
from khcn.workflow.fields import FieldErrors

ORG_AUDIT = [
    "name",
    "abbreviation",
    "kind",
    "tax_code",
    "address",
    "province_code",
    "ward_code",
    "st_registration_no",
    "st_enterprise_cert_no",
    "email",
    "access",
]
PERSON_AUDIT = ["full_name", "degree", "title", "orcid", "is_expert", "access", "public_consent"]
RESULT_AUDIT = ["kind", "title", "year", "field", "registration_no", "project", "access"]
IP_AUDIT = ["kind", "name", "holder", "status", "certificate_no", "project", "access"]


def _search_unindex(key: str, ids: list[int]) -> None:
    try:
        from khcn.search.services import unindex
    except ImportError:  # search not installed yet
        return
    unindex(key=key, ids=ids)


def _search_index(key: str, objects: list) -> None:
    try:
        from khcn.search.services import index_objects
    except ImportError:
        return
    index_objects(key=key, objects=objects)


def _reindex_linked(model, records) -> None:
    """Rows of other types whose text or facets name these organisations or people."""
    ids = [r.pk for r in records]
    results = Result.objects.filter(
        models.Q(result_orgs__organisation_id__in=ids)
        if model is Organisation
        else models.Q(authorships__person_id__in=ids)
    ).distinct()
    _search_index("result", list(results))
    if model is Organisation:
        _search_index("ip_asset", list(IPAsset.objects.filter(holder_id__in=ids)))
        people = Person.objects.active().filter(affiliations__organisation_id__in=ids).distinct()
        _search_index("person", list(people))


def _require_agency(actor, agency) -> None:
    require(actor, "registry.manage", agency)


def _check_access_on_create(actor, agency, access: str) -> None:
    probe = Organisation(agency=agency, access=Access.PUBLIC)
    decision = can_set_access(actor, probe, access)
    if not decision:
        raise PermissionDenied(decision.reason)


def _set_m2m(obj, name: str, codes) -> None:
    if codes is not None:
        getattr(obj, name).set(codes)


def _flag(obj, actor, request) -> list[DuplicateFlag]:
    flags = dedupe.flag_duplicates(obj, actor=actor)
    for flag in flags:
        record(
            actor=actor,
            action=AuditAction.REGISTRY_DUPLICATE_FLAGGED,
            obj=flag,
            agency=obj.agency,
            after={"a": str(flag.a), "b": str(flag.b), "reason": flag.reason},
            request=request,
        )
    obj.duplicate_flags = flags
    return flags


# --- organisations -------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor, agency, request=None, **data) -> Organisation:
    """Add an organisation to the database (TT 10/2017/TT-BKHCN, nhóm thông tin tổ chức KH&CN).

    Likely duplicates (same tax code, same folded name) are flagged, not refused: staff
    decide. `organisation.duplicate_flags` lists the flags raised."""
    _require_agency(actor, agency)
    cleaned = clean_organisation(data)
    _check_access_on_create(actor, agency, cleaned["access"])
    fields = cleaned.pop("fields")
    org = Organisation(agency=agency, created_by=actor, **cleaned)
    org.save()
    org.fields.set(fields)
    _search_index("organisation", [org])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_ORGANISATION_CREATED,
        obj=org,
        after=snapshot(org, ORG_AUDIT) | {"fields": fields},
        request=request,
    )
    _flag(org, actor, request)
    return org


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, request=None, **changes
) -> Organisation:
    """Change an organisation's fields (not its access level: `access_set`)."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require(actor, "registry.manage", org)
    if org.merged_into_id:
        raise DomainError(_("Tổ chức này đã được gộp vào bản ghi khác; hãy sửa bản ghi giữ lại."))
    changes.pop("access", None)
    cleaned = clean_organisation(changes, partial=True)
    before = snapshot(org, ORG_AUDIT)
    fields = cleaned.pop("fields", None)
    for name, value in cleaned.items():
        setattr(org, name, value)
    org.save()
    _set_m2m(org, "fields", fields)
    _search_index("organisation", [org])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_ORGANISATION_UPDATED,
        obj=org,
        before=before,
        after=snapshot(org, ORG_AUDIT),
        request=request,
    )
    if {"name", "tax_code"} & set(cleaned):
        _flag(org, actor, request)
    else:
        org.duplicate_flags = []
    return org


# --- people --------------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor,
    agency,
    organisation: Organisation | None = None,
    position: str = "",
    user=None,
    request=None,
    **data,
) -> Person:
    """Add a researcher or expert (nhóm thông tin cán bộ nghiên cứu, TT 10/2017/TT-BKHCN).

    Consent to publish personal data is recorded with its time (NĐ 13/2023/NĐ-CP Đ11).
    Likely duplicates (same ORCID; same folded name at the same organisation) are flagged."""
    _require_agency(actor, agency)
    cleaned = clean_person(data)
    _check_access_on_create(actor, agency, cleaned["access"])
    if organisation is not None and organisation.agency_id != agency.pk:
        raise FieldErrors({"organisation": _("Tổ chức phải thuộc cùng cơ quan quản lý.")})
    if organisation is not None and organisation.merged_into_id:
        raise FieldErrors({"organisation": _("Tổ chức này đã được gộp vào bản ghi khác.")})
    if user is not None and Person.objects.active().filter(user=user).exists():
        raise FieldErrors({"user": _("Tài khoản này đã gắn với một nhà khoa học khác.")})
    fields, expert_fields = cleaned.pop("fields"), cleaned.pop("expert_fields")
    person = Person(agency=agency, created_by=actor, user=user, **cleaned)
    if person.public_consent:
        person.consent_at = clock.now()
    person.save()
    person.fields.set(fields)
    person.expert_fields.set(expert_fields)
    if organisation is not None:
        Affiliation.objects.create(
            person=person, organisation=organisation, position=(position or "").strip()[:255]
        )
    _search_index("person", [person])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_PERSON_CREATED,
        obj=person,
        after=snapshot(person, PERSON_AUDIT)
        | {
            "fields": fields,
            "expert_fields": expert_fields,
            "organisation": organisation.pk if organisation else None,
        },
        request=request,
    )
    _flag(person, actor, request)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, request=None, **changes) -> Person:
    """Change a person's fields (consent: `person_consent_set`; access: `access_set`)."""
    obj = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, "registry.manage", obj)
    if obj.merged_into_id:
        raise DomainError(
            _("Nhà khoa học này đã được gộp vào bản ghi khác; hãy sửa bản ghi giữ lại.")
        )
    changes.pop("access", None)
    changes.pop("public_consent", None)
    cleaned = clean_person(changes, partial=True)
    before = snapshot(obj, PERSON_AUDIT)
    fields, expert_fields = cleaned.pop("fields", None), cleaned.pop("expert_fields", None)
    for name, value in cleaned.items():
        setattr(obj, name, value)
    obj.save()
    _set_m2m(obj, "fields", fields)
    _set_m2m(obj, "expert_fields", expert_fields)
    _search_index("person", [obj])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_PERSON_UPDATED,
        obj=obj,
        before=before,
        after=snapshot(obj, PERSON_AUDIT),
        request=request,
    )
    if {"full_name", "orcid"} & set(cleaned):
        _flag(obj, actor, request)
    else:
        obj.duplicate_flags = []
    return obj


@transaction.atomic
def person_consent_set(*, actor, person: Person, consent: bool, request=None) -> Person:
    """Record the person's consent to publish personal data, or its withdrawal
    (NĐ 13/2023/NĐ-CP Đ11, Đ12: consent is explicit and may be withdrawn at any time).

    The agency's staff record it, or the person through their own account."""
    obj = Person.objects.select_for_update().get(pk=person.pk)
    if not (actor.is_authenticated and obj.user_id == actor.pk):
        require(actor, "registry.manage", obj)
    before = {"public_consent": obj.public_consent}
    obj.public_consent = bool(consent)
    obj.consent_at = clock.now() if consent else None
    obj.save(update_fields=["public_consent", "consent_at", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_CONSENT_CHANGED,
        obj=obj,
        before=before,
        after={"public_consent": obj.public_consent},
        request=request,
    )
    return obj


@transaction.atomic
def affiliation_add(
    *,
    actor,
    person: Person,
    organisation: Organisation,
    position: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    request=None,
) -> Affiliation:
    """Record that a person works (or worked) at an organisation."""
    require(actor, "registry.manage", person)
    if organisation.agency_id != person.agency_id:
        raise FieldErrors({"organisation": _("Tổ chức phải thuộc cùng cơ quan quản lý.")})
    if person.merged_into_id or organisation.merged_into_id:
        raise DomainError(_("Không thêm quá trình công tác cho bản ghi đã được gộp."))
    if start and end and end < start:
        raise FieldErrors({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    position = (position or "").strip()
    if len(position) > 255:
        raise FieldErrors({"position": _("Dài quá %(n)d ký tự.") % {"n": 255}})
    aff = Affiliation.objects.create(
        person=person, organisation=organisation, position=position, start=start, end=end
    )
    record(
        actor=actor,
        action=AuditAction.REGISTRY_AFFILIATION_ADDED,
        obj=person,
        after={"organisation": organisation.pk, "position": position, "start": start, "end": end},
        request=request,
    )
    _flag(person, actor, request)
    return aff


@transaction.atomic
def affiliation_end(*, actor, affiliation: Affiliation, end: dt.date, request=None) -> Affiliation:
    """Close a current affiliation on `end`."""
    aff = Affiliation.objects.select_for_update().select_related("person").get(pk=affiliation.pk)
    require(actor, "registry.manage", aff.person)
    if aff.end is not None:
        raise DomainError(_("Quá trình công tác này đã kết thúc."))
    if aff.start and end < aff.start:
        raise FieldErrors({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    aff.end = end
    aff.save(update_fields=["end"])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_AFFILIATION_ENDED,
        obj=aff.person,
        after={"organisation": aff.organisation_id, "end": end},
        request=request,
    )
    return aff


# --- results -------------------------------------------------------------------------------------


def _check_project(actor, agency_id, project) -> None:
    if project is not None and project.agency_id != agency_id:
        raise FieldErrors({"project": _("Nhiệm vụ phải thuộc cùng cơ quan quản lý.")})


def _check_people(agency_id, authors) -> list[Person]:
    authors = list(authors)
    if len({p.pk for p in authors}) != len(authors):
        raise FieldErrors({"authors": _("Một tác giả được nhập hai lần.")})
    for person in authors:
        if person.agency_id != agency_id or person.merged_into_id:
            raise FieldErrors(
                {"authors": _("Tác giả %(n)s không thuộc cơ sở dữ liệu của Sở.") % {"n": person}}
            )
    return authors


def _check_orgs(agency_id, organisations) -> list[tuple[Organisation, str]]:
    pairs = []
    for item in organisations:
        org, role = item if isinstance(item, tuple) else (item, ResultOrganisation.Role.HOST)
        if role not in ResultOrganisation.Role.values:
            raise FieldErrors({"organisations": _("Vai trò tổ chức không hợp lệ.")})
        if org.agency_id != agency_id or org.merged_into_id:
            raise FieldErrors(
                {"organisations": _("Tổ chức %(n)s không thuộc cơ sở dữ liệu của Sở.") % {"n": org}}
            )
        pairs.append((org, role))
    if len({(o.pk, r) for o, r in pairs}) != len(pairs):
        raise FieldErrors({"organisations": _("Một tổ chức được nhập hai lần.")})
    return pairs


def _write_links(result: Result, authors, orgs) -> None:
    if authors is not None:
        result.authorships.all().delete()
        Authorship.objects.bulk_create(
            [
                Authorship(result=result, person=p, order=i, name=p.full_name)
                for i, p in enumerate(authors, 1)
            ]
        )
    if orgs is not None:
        result.result_orgs.all().delete()
        ResultOrganisation.objects.bulk_create(
            [ResultOrganisation(result=result, organisation=o, role=r) for o, r in orgs]
        )


@transaction.atomic
def result_create(
    *,
    actor,
    agency,
    authors: Iterable[Person] = (),
    organisations: Iterable = (),
    request=None,
    **data,
) -> Result:
    """Register a result of S&T activity (NĐ 11/2014 Đ22; TT 14/2014/TT-BKHCN).

    `authors` in the order printed; `organisations` as Organisation or (Organisation, role)."""
    _require_agency(actor, agency)
    cleaned = clean_result(data)
    _check_access_on_create(actor, agency, cleaned["access"])
    _check_project(actor, agency.pk, cleaned.get("project"))
    authors = _check_people(agency.pk, authors)
    orgs = _check_orgs(agency.pk, organisations)
    result = Result.objects.create(agency=agency, created_by=actor, **cleaned)
    _write_links(result, authors, orgs)
    _search_index("result", [result])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_RESULT_CREATED,
        obj=result,
        after=snapshot(result, RESULT_AUDIT)
        | {"authors": [p.pk for p in authors], "organisations": [[o.pk, r] for o, r in orgs]},
        request=request,
    )
    return result


@transaction.atomic
def result_update(
    *,
    actor,
    result: Result,
    authors: Iterable[Person] | None = None,
    organisations: Iterable | None = None,
    request=None,
    **changes,
) -> Result:
    """Change a result; `authors`/`organisations` given replace the lists."""
    obj = Result.objects.select_for_update().get(pk=result.pk)
    require(actor, "registry.manage", obj)
    changes.pop("access", None)
    cleaned = clean_result(changes, partial=True)
    if "project" in cleaned:
        _check_project(actor, obj.agency_id, cleaned["project"])
    authors = _check_people(obj.agency_id, authors) if authors is not None else None
    orgs = _check_orgs(obj.agency_id, organisations) if organisations is not None else None
    before = snapshot(obj, RESULT_AUDIT) | {
        "authors": list(obj.authorships.values_list("person_id", flat=True))
    }
    for name, value in cleaned.items():
        setattr(obj, name, value)
    obj.save()
    _write_links(obj, authors, orgs)
    _search_index("result", [obj])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_RESULT_UPDATED,
        obj=obj,
        before=before,
        after=snapshot(obj, RESULT_AUDIT)
        | {"authors": list(obj.authorships.values_list("person_id", flat=True))},
        request=request,
    )
    return obj


# --- IP assets -----------------------------------------------------------------------------------


def _check_holder(agency_id, holder) -> None:
    if holder is not None and (holder.agency_id != agency_id or holder.merged_into_id):
        raise FieldErrors({"holder": _("Chủ thể phải là tổ chức trong cơ sở dữ liệu của Sở.")})


@transaction.atomic
def ip_asset_create(*, actor, agency, request=None, **data) -> IPAsset:
    """Add an IP asset of the province: geographical indication, collective or certification
    mark (Luật SHTT Đ4 khoản 17–22; programme supporting IP development)."""
    _require_agency(actor, agency)
    cleaned = clean_ip_asset(data)
    _check_access_on_create(actor, agency, cleaned["access"])
    _check_holder(agency.pk, cleaned.get("holder"))
    _check_project(actor, agency.pk, cleaned.get("project"))
    asset = IPAsset.objects.create(agency=agency, created_by=actor, **cleaned)
    record(
        actor=actor,
        action=AuditAction.REGISTRY_IP_ASSET_CREATED,
        obj=asset,
        after=snapshot(asset, IP_AUDIT),
        request=request,
    )
    return asset


@transaction.atomic
def ip_asset_update(*, actor, asset: IPAsset, request=None, **changes) -> IPAsset:
    obj = IPAsset.objects.select_for_update().get(pk=asset.pk)
    require(actor, "registry.manage", obj)
    changes.pop("access", None)
    cleaned = clean_ip_asset(changes, partial=True)
    if "holder" in cleaned:
        _check_holder(obj.agency_id, cleaned["holder"])
    if "project" in cleaned:
        _check_project(actor, obj.agency_id, cleaned["project"])
    before = snapshot(obj, IP_AUDIT)
    for name, value in cleaned.items():
        setattr(obj, name, value)
    if obj.status == IPAsset.Status.PROTECTED and not obj.certificate_no:
        raise FieldErrors({"certificate_no": _("Tài sản đã được bảo hộ phải có số văn bằng.")})
    obj.save()
    record(
        actor=actor,
        action=AuditAction.REGISTRY_IP_ASSET_UPDATED,
        obj=obj,
        before=before,
        after=snapshot(obj, IP_AUDIT),
        request=request,
    )
    return obj


# --- access levels -------------------------------------------------------------------------------


@transaction.atomic
def access_set(*, actor, obj, access: str, request=None):
    """Set who may read a record: public, restricted (the department's people) or
    confidential (its leaders). Only leaders and administrators set or lift Mật."""
    if access not in Access.values:
        raise FieldErrors({"access": _("Mức truy cập không hợp lệ.")})
    model = type(obj)
    if model not in (Organisation, Person, Result, IPAsset):
        raise DomainError(_("Bản ghi này không có mức truy cập."))
    locked = model.objects.select_for_update().get(pk=obj.pk)
    require(actor, "registry.view", locked)
    decision = can_set_access(actor, locked, access)
    if not decision:
        raise PermissionDenied(decision.reason)
    before = {"access": locked.access}
    if locked.access == access:
        return locked
    locked.access = access
    locked.save(update_fields=["access", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_ACCESS_CHANGED,
        obj=locked,
        before=before,
        after={"access": access},
        request=request,
    )
    return locked


# --- duplicates and merges -----------------------------------------------------------------------


@transaction.atomic
def duplicate_dismiss(*, actor, flag: DuplicateFlag, note: str = "", request=None) -> DuplicateFlag:
    """Staff decide that two flagged records are different (the pair is not flagged again)."""
    obj = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    require(actor, "registry.merge", obj)
    if obj.status != DuplicateFlag.Status.OPEN:
        raise DomainError(_("Cặp bản ghi này đã được xử lý."), status=409)
    obj.status = DuplicateFlag.Status.DISMISSED
    obj.note = (note or "").strip()[:500]
    obj.resolved_by = actor
    obj.resolved_at = clock.now()
    obj.save()
    record(
        actor=actor,
        action=AuditAction.REGISTRY_DUPLICATE_DISMISSED,
        obj=obj,
        after={"a": str(obj.a), "b": str(obj.b), "note": obj.note},
        request=request,
    )
    return obj


# References moved by hand because a unique constraint may clash: (model, fk, other key)
_UNIQUE_LINKS = {
    Organisation: [(ResultOrganisation, "organisation", ("result", "role"))],
    Person: [(Authorship, "person", ("result",))],
}
# References a merge leaves alone: flags (handled separately) and the merge chain itself.
_SKIP = {(DuplicateFlag, "org_a"), (DuplicateFlag, "org_b")}
_SKIP |= {(DuplicateFlag, "person_a"), (DuplicateFlag, "person_b")}
# Blank fields of the kept record filled from the removed one.
_FILL = {
    Organisation: [
        "abbreviation",
        "english_name",
        "tax_code",
        "description",
        "address",
        "province_code",
        "ward_code",
        "st_registration_no",
        "st_registration_date",
        "st_registration_issuer",
        "st_enterprise_cert_no",
        "st_enterprise_cert_date",
        "phone",
        "email",
        "website",
        "ror",
    ],
    Person: [
        "degree",
        "title",
        "gender",
        "birth_year",
        "orcid",
        "keywords",
        "cv_text",
        "cv_attachment",
        "email",
        "phone",
        "is_expert",
        "user",
    ],
}
_M2M = {Organisation: ["fields"], Person: ["fields", "expert_fields"]}


def _fk_relations(model):
    """Every (related model, FK field name) pointing at `model`, found at run time so that
    references added by other modules move too."""
    out = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.field.model._meta.auto_created:
            continue
        related, name = rel.related_model, rel.field.name
        if (related, name) in _SKIP or (related is model and name == "merged_into"):
            continue
        if any(m is related and f == name for m, f, _k in _UNIQUE_LINKS.get(model, [])):
            continue
        out.append((related, name))
    return out


def _label(model) -> str:
    return model._meta.label


def _row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _merge(*, actor, keep, remove, kind: str, request) -> Merge:
    model = type(keep)
    keep = model.objects.select_for_update().get(pk=keep.pk)
    remove = model.objects.select_for_update().get(pk=remove.pk)
    require(actor, "registry.merge", keep)
    require(actor, "registry.merge", remove)
    if keep.pk == remove.pk:
        raise DomainError(_("Chọn hai bản ghi khác nhau để gộp."))
    if keep.agency_id != remove.agency_id:
        raise DomainError(_("Chỉ gộp được hai bản ghi của cùng một cơ quan quản lý."))
    if keep.merged_into_id or remove.merged_into_id:
        raise DomainError(_("Một trong hai bản ghi đã được gộp trước đó."), status=409)
    moved: dict = {"fk": {}, "deleted": {}, "filled": {}, "m2m": {}, "chain": [], "flags": {}}

    for rel_model, fk, others in _UNIQUE_LINKS[model]:
        taken = set(rel_model.objects.filter(**{fk: keep}).values_list(*others))
        move, drop = [], []
        for row in rel_model.objects.filter(**{fk: remove}).order_by("pk"):
            key = tuple(getattr(row, f"{o}_id" if o != "role" else o) for o in others)
            (drop if key in taken else move).append(row)
        if move:
            rel_model.objects.filter(pk__in=[r.pk for r in move]).update(**{fk: keep})
            moved["fk"][f"{_label(rel_model)}.{fk}"] = [r.pk for r in move]
        if drop:
            moved["deleted"][_label(rel_model)] = [_row(r) for r in drop]
            rel_model.objects.filter(pk__in=[r.pk for r in drop]).delete()

    for rel_model, fk in _fk_relations(model):
        ids = list(rel_model.objects.filter(**{fk: remove}).values_list("pk", flat=True))
        if ids:
            rel_model.objects.filter(pk__in=ids).update(**{fk: keep})
            moved["fk"][f"{_label(rel_model)}.{fk}"] = ids

    # attachments owned by the removed record (generic owner)
    from khcn.core.models import Attachment

    ct = ContentType.objects.get_for_model(model)
    att = list(
        Attachment.objects.filter(owner_type=ct, owner_id=str(remove.pk)).values_list(
            "pk", flat=True
        )
    )
    if att:
        Attachment.objects.filter(pk__in=att).update(owner_id=str(keep.pk))
        moved["fk"]["core.Attachment.owner_id"] = att

    chain = list(model.objects.filter(merged_into=remove).values_list("pk", flat=True))
    if chain:
        model.objects.filter(pk__in=chain).update(merged_into=keep)
        moved["chain"] = chain

    flags = DuplicateFlag.objects.filter(
        **(
            {"org_a__in": [keep, remove], "org_b__in": [keep, remove]}
            if kind == "organisation"
            else {"person_a__in": [keep, remove], "person_b__in": [keep, remove]}
        )
    )
    moved["flags"] = {str(f.pk): f.status for f in flags}

    remove.merged_into = keep
    remove.save(update_fields=["merged_into", "updated_at"])

    for name in _FILL[model]:
        field = model._meta.get_field(name)
        mine, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
        if not mine and theirs:
            moved["filled"][name] = mine
            setattr(keep, field.attname, theirs)
    for name in _M2M[model]:
        have = set(getattr(keep, name).values_list("pk", flat=True))
        extra = sorted(set(getattr(remove, name).values_list("pk", flat=True)) - have)
        if extra:
            getattr(keep, name).add(*extra)
            moved["m2m"][name] = extra
    try:
        with transaction.atomic():
            keep.save()
    except IntegrityError:
        raise DomainError(_("Không gộp được: dữ liệu của hai bản ghi xung đột.")) from None

    merge = Merge.objects.create(
        agency_id=keep.agency_id,
        kind=kind,
        keep_id=keep.pk,
        remove_id=remove.pk,
        keep_repr=str(keep)[:500],
        remove_repr=str(remove)[:500],
        moved=moved,
        actor=actor,
        created_at=clock.now(),
    )
    flags.update(
        status=DuplicateFlag.Status.MERGED, merge=merge, resolved_by=actor, resolved_at=clock.now()
    )
    record(
        actor=actor,
        action=AuditAction.REGISTRY_MERGED,
        obj=keep,
        before={"remove": remove.pk, "remove_repr": str(remove)},
        after={"merge": merge.pk, "keep": keep.pk, "moved": moved},
        request=request,
    )
    key = "organisation" if kind == "organisation" else "person"
    _search_unindex(key, [remove.pk, *chain])
    _search_index(key, [keep])
    _reindex_linked(model, [keep])
    return merge


@transaction.atomic
def organisation_merge(*, actor, keep: Organisation, remove: Organisation, request=None) -> Merge:
    """Merge a duplicate organisation into `keep`: affiliations, results, IP assets and any
    other reference move to `keep`, blank fields of `keep` are filled from `remove`, and
    `remove` is hidden (never deleted). One audited event keeps the snapshot; `merge_undo`
    reverses it exactly."""
    return _merge(actor=actor, keep=keep, remove=remove, kind="organisation", request=request)


@transaction.atomic
def person_merge(*, actor, keep: Person, remove: Person, request=None) -> Merge:
    """Merge a duplicate person into `keep` (affiliations, authorships, account, fields…);
    reversible with `merge_undo`. Consent is not carried over: it is the person's own act."""
    return _merge(actor=actor, keep=keep, remove=remove, kind="person", request=request)


@transaction.atomic
def merge_undo(*, actor, merge: Merge, request=None) -> Merge:
    """Reverse a merge exactly: every moved reference goes back, deleted duplicate links are
    restored, filled fields are emptied again and the removed record reappears.

    Merges touching the same records are undone newest first."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    require(actor, "registry.merge", merge)
    if merge.is_undone:
        raise DomainError(_("Lần gộp này đã được hoàn tác."), status=409)
    model = Organisation if merge.kind == Merge.Kind.ORGANISATION else Person
    ids = {merge.keep_id, merge.remove_id}
    later = Merge.objects.filter(kind=merge.kind, undone_at__isnull=True, pk__gt=merge.pk).filter(
        models.Q(keep_id__in=ids) | models.Q(remove_id__in=ids)
    )
    if later.exists():
        raise DomainError(
            _("Bản ghi đã được gộp tiếp sau lần này; hãy hoàn tác lần gộp sau trước."), status=409
        )
    keep = model.objects.select_for_update().get(pk=merge.keep_id)
    remove = model.objects.select_for_update().get(pk=merge.remove_id)
    moved = merge.moved

    # the kept record gives back what it took, before the removed one reappears
    for name, old in moved.get("filled", {}).items():
        setattr(keep, model._meta.get_field(name).attname, old)
    keep.save()
    for name, extra in moved.get("m2m", {}).items():
        getattr(keep, name).remove(*extra)

    remove.merged_into = None
    remove.save(update_fields=["merged_into", "updated_at"])
    if moved.get("chain"):
        model.objects.filter(pk__in=moved["chain"]).update(merged_into=remove)

    from django.apps import apps

    from khcn.core.models import Attachment

    for path, pks in moved.get("fk", {}).items():
        if path == "core.Attachment.owner_id":
            Attachment.objects.filter(pk__in=pks).update(owner_id=str(remove.pk))
            continue
        label, fk = path.rsplit(".", 1)
        apps.get_model(label).objects.filter(pk__in=pks).update(**{fk: remove})
    for label, rows in moved.get("deleted", {}).items():
        rel_model = apps.get_model(label)
        rel_model.objects.bulk_create([rel_model(**row) for row in rows])
    for pk, status in moved.get("flags", {}).items():
        reset = {"status": status, "merge": None}
        if status == DuplicateFlag.Status.OPEN:
            reset |= {"resolved_by": None, "resolved_at": None}
        DuplicateFlag.objects.filter(pk=int(pk)).update(**reset)

    merge.undone_at = clock.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    record(
        actor=actor,
        action=AuditAction.REGISTRY_MERGE_UNDONE,
        obj=keep,
        before={"merge": merge.pk},
        after={"restored": remove.pk, "restored_repr": str(remove)},
        request=request,
    )
    key = "organisation" if model is Organisation else "person"
    restored = list(model.objects.filter(pk__in=[remove.pk, *moved.get("chain", [])]))
    _search_index(key, [keep, *restored])
    _reindex_linked(model, [keep, remove])
    return merge
