"""Reads of the S&T database for pages, the API, exports and search.

Every list starts from `visible(user, …)` (anonymous allowed: public records only) and
leaves out merged records unless asked; person data for the public go through
`person_public_data`, which honours consent (NĐ 13/2023/NĐ-CP).
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from khcn.core.text import fold
from khcn.registry.models import (
    Affiliation,
    Authorship,
    DuplicateFlag,
    FieldOfScience,
    IPAsset,
    Merge,
    Organisation,
    Person,
    Result,
)
from khcn.registry.permissions import can_see_personal, visible


def field_tree() -> list[tuple[FieldOfScience, list[FieldOfScience]]]:
    """[(group, [second-level fields…]), …] in code order."""
    nodes = list(FieldOfScience.objects.order_by("code"))
    groups = [n for n in nodes if n.parent_id is None]
    return [(g, [n for n in nodes if n.parent_id == g.code]) for g in groups]


def field_choices() -> list[tuple[str, str]]:
    """Flat choices for a select: groups and, indented, their fields."""
    out = []
    for group, children in field_tree():
        out.append((group.code, f"{group.code}. {group.name}"))
        out.extend((c.code, f"\u2003{c.code}. {c.name}") for c in children)
    return out


def _field_filter(prefix: str, field: str | None) -> Q:
    """A group code ("4") matches every field of the group; a field code matches itself."""
    if not field:
        return Q()
    return Q(**{f"{prefix}__startswith": str(field)})


def organisation_list(
    *,
    user,
    agency=None,
    q: str = "",
    kind: str = "",
    province_code: int | None = None,
    field: str = "",
    st_enterprise: bool | None = None,
    include_merged: bool = False,
) -> QuerySet[Organisation]:
    qs = Organisation.objects.all() if include_merged else Organisation.objects.active()
    qs = visible(user, qs)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if q:
        key = " ".join(fold(q).split())
        qs = qs.filter(
            Q(name_key__contains=key)
            | Q(tax_code__startswith=q.strip())
            | Q(abbreviation__iexact=q.strip())
        )
    if kind:
        qs = qs.filter(kind=kind)
    if province_code:
        qs = qs.filter(province_code=province_code)
    if field:
        qs = qs.filter(_field_filter("fields__code", field)).distinct()
    if st_enterprise is True:
        qs = qs.exclude(st_enterprise_cert_no="")
    elif st_enterprise is False:
        qs = qs.filter(st_enterprise_cert_no="")
    return qs.select_related("agency")


def person_list(
    *,
    user,
    agency=None,
    q: str = "",
    organisation=None,
    field: str = "",
    expert: bool | None = None,
    expert_field: str = "",
    include_merged: bool = False,
) -> QuerySet[Person]:
    qs = Person.objects.all() if include_merged else Person.objects.active()
    qs = visible(user, qs)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if q:
        qs = qs.filter(name_key__contains=" ".join(fold(q).split()))
    if organisation is not None:
        qs = qs.filter(affiliations__organisation=organisation, affiliations__end__isnull=True)
    if field:
        qs = qs.filter(_field_filter("fields__code", field))
    if expert is not None:
        qs = qs.filter(is_expert=expert)
    if expert_field:
        qs = qs.filter(_field_filter("expert_fields__code", expert_field))
    current = Affiliation.objects.filter(end__isnull=True).select_related("organisation")
    return qs.distinct().prefetch_related(
        Prefetch("affiliations", queryset=current, to_attr="current_affiliations")
    )


def result_list(
    *,
    user,
    agency=None,
    q: str = "",
    kind: str = "",
    year: int | None = None,
    field: str = "",
    project=None,
    organisation=None,
    person=None,
) -> QuerySet[Result]:
    qs = visible(user, Result.objects.all())
    if agency is not None:
        qs = qs.filter(agency=agency)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    if field:
        qs = qs.filter(_field_filter("field__code", field))
    if project is not None:
        qs = qs.filter(project=project)
    if organisation is not None:
        qs = qs.filter(result_orgs__organisation=organisation).distinct()
    if person is not None:
        qs = qs.filter(authorships__person=person).distinct()
    return qs.select_related("field", "project")


def ip_asset_list(
    *, user, agency=None, q: str = "", kind: str = "", status: str = "", holder=None
) -> QuerySet[IPAsset]:
    qs = visible(user, IPAsset.objects.all())
    if agency is not None:
        qs = qs.filter(agency=agency)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(product__icontains=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if holder is not None:
        qs = qs.filter(holder=holder)
    return qs.select_related("holder")


def current_affiliations(person: Person) -> list[Affiliation]:
    return list(
        person.affiliations.filter(end__isnull=True)
        .select_related("organisation")
        .order_by("-start", "pk")
    )


def person_public_data(person: Person, *, user=None) -> dict:
    """What a page or export may show about `person` to `user` (anonymous by default):
    always name, degree, title, organisations, fields and expertise; the rest only with
    consent or for the agency's own people (NĐ 13/2023/NĐ-CP Đ11)."""
    data = {
        "id": person.pk,
        "full_name": person.full_name,
        "display_name": person.display_name,
        "degree": person.degree,
        "title": person.title,
        "fields": [f"{f.code}. {f.name}" for f in person.fields.all()],
        "keywords": person.keywords,
        "organisations": [
            {"id": a.organisation_id, "name": a.organisation.name, "position": a.position}
            for a in current_affiliations(person)
        ],
        "is_expert": person.is_expert,
        "personal_data_shown": False,
    }
    if can_see_personal(user, person):
        data |= {
            "email": person.email,
            "phone": person.phone,
            "birth_year": person.birth_year,
            "gender": person.get_gender_display() if person.gender else "",
            "orcid": person.orcid,
            "cv_text": person.cv_text,
            "cv_attachment_id": person.cv_attachment_id,
            "personal_data_shown": True,
        }
    return data


def result_authors(result: Result) -> list[Authorship]:
    return list(result.authorships.select_related("person").order_by("order", "pk"))


def open_flags(*, agency, kind: str = "") -> QuerySet[DuplicateFlag]:
    """Open duplicate flags of an agency whose two records are both still shown."""
    qs = DuplicateFlag.objects.filter(agency=agency, status=DuplicateFlag.Status.OPEN)
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.exclude(org_a__merged_into__isnull=False).exclude(org_b__merged_into__isnull=False)
    qs = qs.exclude(person_a__merged_into__isnull=False).exclude(
        person_b__merged_into__isnull=False
    )
    return qs.select_related("org_a", "org_b", "person_a", "person_b")


def merges(*, agency) -> QuerySet[Merge]:
    return Merge.objects.filter(agency=agency).select_related("actor", "undone_by")


def register_counts(*, user, agency=None) -> dict[str, int]:
    """How many records of each kind `user` can see (the public register's front page)."""

    def count(qs):
        qs = visible(user, qs)
        return qs.filter(agency=agency).count() if agency is not None else qs.count()

    return {
        "organisations": count(Organisation.objects.active()),
        "st_enterprises": count(Organisation.objects.active().exclude(st_enterprise_cert_no="")),
        "people": count(Person.objects.active()),
        "experts": count(Person.objects.active().filter(is_expert=True)),
        "results": count(Result.objects.all()),
        "ip_assets": count(IPAsset.objects.all()),
    }


def results_by_year(*, user, agency=None) -> list[tuple[int, int]]:
    qs = visible(user, Result.objects.all())
    if agency is not None:
        qs = qs.filter(agency=agency)
    return list(qs.values_list("year").annotate(n=Count("pk")).order_by("year"))
