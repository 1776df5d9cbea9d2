"""The registry's searchable types: organisations, people, results and IP assets.

A person's indexed text holds only what the public may see (name, degree, title,
organisations, fields, expertise) unless the person consented to more: the index serves
anonymous searches and must not leak personal data (NĐ 13/2023/NĐ-CP). Merged records are
not indexed (`include`).
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from khcn.registry.models import (
    Affiliation,
    Authorship,
    IPAsset,
    Organisation,
    Person,
    Result,
    ResultOrganisation,
)
from khcn.search.registry import SearchType, register


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the public page is not wired yet
        return ""


def _group(codes) -> str | None:
    codes = sorted(codes)
    return codes[0][:1] if codes else None


def _field_codes(obj, name: str) -> list[str]:
    cache = getattr(obj, "_prefetched_objects_cache", {})
    if name in cache:
        return [f.pk for f in cache[name]]
    return list(getattr(obj, name).values_list("pk", flat=True))


def _current_orgs(person) -> list[Affiliation]:
    cache = getattr(person, "_prefetched_objects_cache", {})
    affs = cache["affiliations"] if "affiliations" in cache else person.affiliations.all()
    return [a for a in affs if a.end is None]


def _org_text(o: Organisation):
    return [
        o.name,
        o.abbreviation,
        o.english_name,
        o.tax_code,
        o.full_address,
        o.description[:2000],
        o.st_enterprise_cert_no,
    ]


def _person_text(p: Person):
    parts = [
        p.full_name,
        p.display_name,
        p.get_degree_display() if p.degree else "",
        p.get_title_display() if p.title else "",
        p.keywords,
        *[a.organisation.name for a in _current_orgs(p)],
        *[a.position for a in _current_orgs(p)],
    ]
    if p.public_consent:
        parts += [p.orcid, p.cv_text[:2000]]
    return parts


def _person_org(p: Person):
    orgs = _current_orgs(p)
    return orgs[0].organisation_id if orgs else None


def _result_text(r: Result):
    authors = [a.name or a.person.full_name for a in r.authorships.all()]
    orgs = [link.organisation.name for link in r.result_orgs.all()]
    return [
        r.title,
        r.abstract[:4000],
        r.keywords,
        r.registration_no,
        r.doi,
        r.get_kind_display(),
        *authors,
        *orgs,
        r.project.code if r.project_id else "",
    ]


def _result_org(r: Result):
    links = list(r.result_orgs.all())
    host = [link for link in links if link.role == ResultOrganisation.Role.HOST]
    return (host or links)[0].organisation_id if links else None


register(
    SearchType(
        key="organisation",
        label=_("Tổ chức"),
        model=Organisation,
        title=lambda o: o.name,
        text=_org_text,
        url=lambda o: _url("public-organisation", o.pk),
        access=lambda o: o.access,
        agency_id=lambda o: o.agency_id,
        facets=lambda o: {"field": _group(_field_codes(o, "fields")), "year": None, "org": o.pk},
        queryset=lambda: Organisation.objects.active().prefetch_related("fields"),
        include=lambda o: o.merged_into_id is None,
        icon="building",
    )
)

register(
    SearchType(
        key="person",
        label=_("Nhà khoa học"),
        model=Person,
        title=lambda p: p.display_name,
        text=_person_text,
        url=lambda p: _url("public-person", p.pk),
        access=lambda p: p.access,
        agency_id=lambda p: p.agency_id,
        facets=lambda p: {
            "field": _group(_field_codes(p, "fields")),
            "year": None,
            "org": _person_org(p),
        },
        queryset=lambda: Person.objects.active().prefetch_related(
            "fields", "affiliations__organisation"
        ),
        watch=((Affiliation, lambda a: [a.person]),),
        include=lambda p: p.merged_into_id is None,
        icon="person",
    )
)

register(
    SearchType(
        key="result",
        label=_("Kết quả KH&CN"),
        model=Result,
        title=lambda r: r.title,
        text=_result_text,
        url=lambda r: _url("public-result", r.pk),
        access=lambda r: r.access,
        agency_id=lambda r: r.agency_id,
        facets=lambda r: {
            "field": r.field_id[:1] if r.field_id else None,
            "year": r.year,
            "org": _result_org(r),
        },
        queryset=lambda: Result.objects.select_related("project").prefetch_related(
            "authorships__person", "result_orgs__organisation"
        ),
        watch=(
            (Authorship, lambda a: [a.result]),
            (ResultOrganisation, lambda link: [link.result]),
        ),
        icon="journal-text",
    )
)

register(
    SearchType(
        key="ip_asset",
        label=_("Tài sản trí tuệ"),
        model=IPAsset,
        title=lambda a: a.name,
        text=lambda a: [
            a.name,
            a.product,
            a.get_kind_display(),
            a.region,
            a.province_name,
            a.holder.name if a.holder_id else "",
            a.certificate_no,
            a.description[:2000],
        ],
        url=lambda a: _url("public-ip-asset", a.pk),
        access=lambda a: a.access,
        agency_id=lambda a: a.agency_id,
        facets=lambda a: {
            "field": None,
            "year": a.certificate_date.year if a.certificate_date else None,
            "org": a.holder_id,
        },
        queryset=lambda: IPAsset.objects.select_related("holder"),
        icon="award",
    )
)
