"""The export to the national S&T database and platform (schema `khcn-national-export/1.0`).

The province stays the system of record and sends its records grouped as the national S&T
database groups its information (TT 10/2017/TT-BKHCN on the national S&T database and
TT 05/2021/TT-BKHCN amending it; NĐ 11/2014/NĐ-CP on S&T information): S&T organisations,
researchers, S&T tasks, publications, other results, S&T enterprises and industrial property.
Every field is documented in docs/national-export.md.

What is sent: the agency's PUBLIC records (access level "public"; merged records never),
tasks from approval on (the same rule as the public register), and for researchers the
public fields always and personal data only where the person consented (NĐ 13/2023/NĐ-CP
Đ11). `since` keeps the records created or changed from that day on (incremental sends).
"""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.core import clock
from khcn.core.calendar import parse_date
from khcn.core.errors import DomainError
from khcn.core.permissions import require
from khcn.registry.models import (
    Access,
    Affiliation,
    Authorship,
    IPAsset,
    Organisation,
    Person,
    Result,
    ResultOrganisation,
)

SCHEMA = "khcn-national-export/1.0"
LEGAL_BASIS = ["TT 10/2017/TT-BKHCN", "TT 05/2021/TT-BKHCN", "NĐ 11/2014/NĐ-CP"]
PUBLICATION_KINDS = {Result.Kind.PUBLICATION, Result.Kind.BOOK}
IP_KINDS = {Result.Kind.PATENT, Result.Kind.UTILITY, Result.Kind.VARIETY}
GROUPS = (
    "organisations",
    "researchers",
    "tasks",
    "publications",
    "results",
    "st_enterprises",
    "industrial_property",
)


def parse_since(value) -> dt.date | None:
    """The `since` argument: dd/mm/yyyy or yyyy-mm-dd; DomainError 422 otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise DomainError(str(exc), status=422) from None


def _since_at(since: dt.date | None) -> dt.datetime | None:
    if since is None:
        return None
    return timezone.make_aware(dt.datetime.combine(since, dt.time.min))


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _stamp(value) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _org(o: Organisation) -> dict:
    return {
        "id": o.pk,
        "name": o.name,
        "abbreviation": o.abbreviation,
        "english_name": o.english_name,
        "type": o.kind,
        "tax_code": o.tax_code,
        "ror": o.ror,
        "fields": [f.code for f in o.fields.all()],
        "address": {
            "street": o.address,
            "ward_code": o.ward_code,
            "ward_name": o.ward_name,
            "province_code": o.province_code,
            "province_name": o.province_name,
            "units_version": o.units_version,
        },
        "st_registration": {
            "number": o.st_registration_no,
            "date": _d(o.st_registration_date),
            "issuer": o.st_registration_issuer,
        }
        if o.st_registration_no
        else None,
        "phone": o.phone,
        "email": o.email,
        "website": o.website,
        "updated_at": _stamp(o.updated_at),
    }


def _person(p: Person) -> dict:
    current = [a for a in p.affiliations.all() if a.end is None]
    data = {
        "id": p.pk,
        "full_name": p.full_name,
        "degree": p.degree,
        "academic_title": p.title,
        "fields": [f.code for f in p.fields.all()],
        "keywords": p.keywords,
        "affiliations": [
            {
                "organisation_id": a.organisation_id,
                "organisation_name": a.organisation.name,
                "position": a.position,
                "start": _d(a.start),
            }
            for a in current
        ],
        "is_expert": p.is_expert,
        "expert_fields": [f.code for f in p.expert_fields.all()],
        "personal_data_consent": p.public_consent,
        "updated_at": _stamp(p.updated_at),
    }
    if p.public_consent:  # NĐ 13/2023/NĐ-CP Đ11: only with the person's consent
        data |= {
            "orcid": p.orcid,
            "gender": p.gender,
            "birth_year": p.birth_year,
            "email": p.email,
            "phone": p.phone,
        }
    return data


def _result(r: Result) -> dict:
    return {
        "id": r.pk,
        "type": r.kind,
        "title": r.title,
        "abstract": r.abstract,
        "year": r.year,
        "field": r.field_id,
        "registration_number": r.registration_no,
        "registration_date": _d(r.registration_date),
        "doi": r.doi,
        "url": r.url,
        "keywords": r.keywords,
        "task_code": r.project.code if r.project_id else None,
        "authors": [
            {"order": a.order, "name": a.name or a.person.full_name, "researcher_id": a.person_id}
            for a in r.authorships.all()
        ],
        "organisations": [
            {
                "organisation_id": link.organisation_id,
                "name": link.organisation.name,
                "role": link.role,
            }
            for link in r.result_orgs.all()
        ],
        "updated_at": _stamp(r.updated_at),
    }


def _ip_asset(a: IPAsset) -> dict:
    return {
        "id": f"ip-{a.pk}",
        "type": a.kind,
        "name": a.name,
        "product": a.product,
        "region": a.region,
        "province_code": a.province_code,
        "holder_id": a.holder_id,
        "holder_name": a.holder.name if a.holder_id else None,
        "status": a.status,
        "application_number": a.application_no,
        "application_date": _d(a.application_date),
        "certificate_number": a.certificate_no,
        "certificate_date": _d(a.certificate_date),
        "expiry_date": _d(a.expiry_date),
        "updated_at": _stamp(a.updated_at),
    }


def _money(value) -> int:
    return int(Decimal(value or 0))


def _task(p, state_label: str) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "type": p.kind,
        "level": p.level,
        "field_group": p.field,
        "year": p.year,
        "host_organisation": p.host_org,
        "leader": p.leader_name,
        "start_date": _d(p.start_date),
        "end_date": _d(p.end_date),
        "budget_state_vnd": _money(p.budget_state),
        "budget_other_vnd": _money(p.budget_other),
        "state": p.process.state,
        "state_label": state_label,
        "rating": p.rating or None,
        "results": [r.pk for r in p.registry_results.all() if r.access == Access.PUBLIC],
        "updated_at": _stamp(max(p.created_at, p.process.state_entered_at)),
    }


def _task_queryset(agency, since_at):
    """Tasks from approval on (the public register's rule), created or moved since."""
    from khcn.projects.models import Project
    from khcn.projects.search import public_states
    from khcn.workflow.models import RuleSetVersion

    public = Q(pk__in=[])
    for ruleset in RuleSetVersion.objects.all():
        states = public_states(ruleset)
        if states:
            public |= Q(process__ruleset=ruleset, process__state__in=states)
    qs = Project.objects.filter(public, agency=agency)
    if since_at:
        qs = qs.filter(Q(created_at__gte=since_at) | Q(process__state_entered_at__gte=since_at))
    return qs


def _tasks(agency, since_at):
    qs = _task_queryset(agency, since_at)
    qs = qs.select_related("process__ruleset").prefetch_related("registry_results").order_by("code")
    out = []
    for project in qs:
        rules = project.process.ruleset.rules
        state = rules.states.get(project.process.state) if hasattr(rules.states, "get") else None
        label = str(
            getattr(state, "public_label", "")
            or getattr(state, "label", "")
            or project.process.state
        )
        out.append(_task(project, label))
    return out


def counts(*, agency, since: dt.date | None = None) -> dict[str, int]:
    """How many items each group of the export would hold (count queries only)."""
    since_at = _since_at(since)

    def changed(qs):
        return qs.filter(updated_at__gte=since_at) if since_at else qs

    orgs = changed(Organisation.objects.active().filter(agency=agency, access=Access.PUBLIC))
    results = changed(Result.objects.filter(agency=agency, access=Access.PUBLIC))
    assets = changed(IPAsset.objects.filter(agency=agency, access=Access.PUBLIC))
    return {
        "organisations": orgs.count(),
        "researchers": changed(
            Person.objects.active().filter(agency=agency, access=Access.PUBLIC)
        ).count(),
        "tasks": _task_queryset(agency, since_at).count(),
        "publications": results.filter(kind__in=PUBLICATION_KINDS).count(),
        "results": results.exclude(kind__in=PUBLICATION_KINDS | IP_KINDS).count(),
        "st_enterprises": orgs.exclude(st_enterprise_cert_no="").count(),
        "industrial_property": results.filter(kind__in=IP_KINDS).count() + assets.count(),
    }


def build(*, agency, since: dt.date | None = None) -> dict:
    """The export document of `agency` (a dict ready for JSON)."""
    since_at = _since_at(since)

    def changed(qs):
        return qs.filter(updated_at__gte=since_at) if since_at else qs

    orgs = (
        changed(Organisation.objects.active().filter(agency=agency, access=Access.PUBLIC))
        .prefetch_related("fields")
        .order_by("pk")
    )
    current = Affiliation.objects.filter(end__isnull=True).select_related("organisation")
    people = (
        changed(Person.objects.active().filter(agency=agency, access=Access.PUBLIC))
        .prefetch_related("fields", "expert_fields", Prefetch("affiliations", queryset=current))
        .order_by("pk")
    )
    results = (
        changed(Result.objects.filter(agency=agency, access=Access.PUBLIC))
        .select_related("project")
        .prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person")),
            Prefetch(
                "result_orgs", queryset=ResultOrganisation.objects.select_related("organisation")
            ),
        )
        .order_by("pk")
    )
    assets = (
        changed(IPAsset.objects.filter(agency=agency, access=Access.PUBLIC))
        .select_related("holder")
        .order_by("pk")
    )

    org_rows = [_org(o) for o in orgs]
    enterprises = [
        {
            "organisation_id": o.pk,
            "name": o.name,
            "tax_code": o.tax_code,
            "certificate_number": o.st_enterprise_cert_no,
            "certificate_date": _d(o.st_enterprise_cert_date),
        }
        for o in orgs
        if o.st_enterprise_cert_no
    ]
    all_results = [_result(r) for r in results]
    doc = {
        "schema": SCHEMA,
        "legal_basis": LEGAL_BASIS,
        "generated_at": _stamp(clock.now()),
        "agency": {"code": agency.code, "name": agency.name},
        "since": _d(since),
        "organisations": org_rows,
        "researchers": [_person(p) for p in people],
        "tasks": _tasks(agency, since_at),
        "publications": [r for r in all_results if r["type"] in PUBLICATION_KINDS],
        "results": [r for r in all_results if r["type"] not in PUBLICATION_KINDS | IP_KINDS],
        "st_enterprises": enterprises,
        "industrial_property": [
            {"category": "result", **r} for r in all_results if r["type"] in IP_KINDS
        ]
        + [{"category": "asset", **_ip_asset(a)} for a in assets],
    }
    doc["counts"] = {group: len(doc[group]) for group in GROUPS}
    return doc


def _to_xml(parent: ET.Element, key: str, value) -> None:
    if isinstance(value, dict):
        node = ET.SubElement(parent, key)
        for k, v in value.items():
            _to_xml(node, k, v)
    elif isinstance(value, list):
        node = ET.SubElement(parent, key)
        item_tag = ITEM_TAGS.get(key, "item")
        for v in value:
            _to_xml(node, item_tag, v)
    elif value is None:
        ET.SubElement(parent, key, {"nil": "true"})
    else:
        node = ET.SubElement(parent, key)
        node.text = str(value).lower() if isinstance(value, bool) else str(value)


ITEM_TAGS = {
    "organisations": "organisation",
    "researchers": "researcher",
    "tasks": "task",
    "publications": "publication",
    "results": "result",
    "st_enterprises": "st_enterprise",
    "industrial_property": "ip_record",
    "authors": "author",
    "affiliations": "affiliation",
    "legal_basis": "document",
    "fields": "field",
    "expert_fields": "field",
}


def to_xml(doc: dict) -> bytes:
    root = ET.Element("national_export", {"schema": SCHEMA})
    for key, value in doc.items():
        if key != "schema":
            _to_xml(root, key, value)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def national_export(
    *, actor, agency, since=None, fmt: str = "json", request=None
) -> tuple[dict, bytes]:
    """Build the export for staff of `agency`, audited (REGISTRY_NATIONAL_EXPORTED).
    Returns the document and its bytes in `fmt` ("json" or "xml")."""
    import json

    require(actor, "registry.manage", agency)
    if fmt not in ("json", "xml"):
        raise DomainError(_("Định dạng phải là json hoặc xml."), status=422)
    since = parse_since(since)
    doc = build(agency=agency, since=since)
    record(
        actor=actor,
        action=AuditAction.REGISTRY_NATIONAL_EXPORTED,
        agency=agency,
        after={"since": _d(since), "format": fmt, "counts": doc["counts"]},
        request=request,
        object_repr=SCHEMA,
    )
    if fmt == "xml":
        return doc, to_xml(doc)
    return doc, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
