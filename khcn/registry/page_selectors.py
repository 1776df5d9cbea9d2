"""Reads for the register's pages: public tasks, an organisation's people and tasks, sorted
staff lists. Writes never happen here; visibility always comes from `permissions`.

A task (khcn.projects) is public once approved (QĐ phê duyệt): the same rule the search
index applies (`khcn.projects.search.public_states`; NĐ 11/2014/NĐ-CP Đ9–10 on publishing
information about S&T tasks and their results).
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from khcn.core.text import vietnamese_sort_key
from khcn.projects.models import Project, identity_key
from khcn.projects.search import public_states
from khcn.registry.models import (
    Access,
    Affiliation,
    DuplicateFlag,
    IPAsset,
    Organisation,
    Person,
    Result,
)
from khcn.registry.permissions import visible
from khcn.workflow.models import RuleSetVersion

# Above this many rows a list is sorted by the folded name in the database (đ after d
# rather than as its own letter) instead of the exact Vietnamese order computed in Python.
EXACT_SORT_LIMIT = 20_000


def public_task_q() -> Q:
    """Tasks whose workflow record is in a public state of its own rule set version."""
    q = Q(pk__in=[])
    for ruleset in RuleSetVersion.objects.all():
        states = public_states(ruleset)
        if states:
            q |= Q(process__ruleset=ruleset, process__state__in=states)
    return q


def public_tasks() -> QuerySet[Project]:
    return (
        Project.objects.filter(public_task_q())
        .select_related("process__ruleset", "agency")
        .defer("process__ruleset__definition")
    )


def task_is_public(project: Project) -> bool:
    return project.process.state in public_states(project.process.ruleset)


def organisation_tasks(org: Organisation, *, limit: int = 50) -> list[Project]:
    """Public tasks the organisation hosts (matched on the folded name, as task records keep
    the host as text) or that produced one of its results."""
    keys = {identity_key(org.name)}
    if org.abbreviation:
        keys.add(identity_key(org.abbreviation))
    from_results = Result.objects.filter(
        result_orgs__organisation=org, project__isnull=False
    ).values("project_id")
    return list(
        public_tasks()
        .filter(agency_id=org.agency_id)
        .filter(Q(host_key__in=keys) | Q(pk__in=from_results))
        .order_by("-year", "code")[:limit]
    )


def organisation_people(org: Organisation, *, user) -> list[Affiliation]:
    """Current affiliations of the people at `org` that `user` may see; for the public only
    people who are public records (their name, degree and position are public data)."""
    people = visible(user, Person.objects.active()).values("pk")
    return list(
        Affiliation.objects.filter(organisation=org, end__isnull=True, person__in=people)
        .select_related("person")
        .order_by("person__name_key", "pk")
    )


def organisation_results(org: Organisation, *, user, limit: int = 50) -> list[Result]:
    return list(
        visible(user, Result.objects.filter(result_orgs__organisation=org))
        .distinct()
        .select_related("field")
        .order_by("-year", "title")[:limit]
    )


def organisation_ip_assets(org: Organisation, *, user) -> list[IPAsset]:
    return list(visible(user, IPAsset.objects.filter(holder=org)).order_by("name"))


def person_results(person: Person, *, user, limit: int = 50) -> list[Result]:
    return list(
        visible(user, Result.objects.filter(authorships__person=person))
        .distinct()
        .select_related("field")
        .order_by("-year", "title")[:limit]
    )


def result_organisations(result: Result, *, user) -> list:
    """(link, shown) pairs: organisations the user may open are linked, others only named."""
    links = list(result.result_orgs.select_related("organisation").order_by("role", "pk"))
    ids = set(
        visible(user, Organisation.objects.active())
        .filter(pk__in=[link.organisation_id for link in links])
        .values_list("pk", flat=True)
    )
    return [(link, link.organisation_id in ids) for link in links]


def result_authors(result: Result, *, user) -> list:
    """(authorship, linkable) pairs in the printed order."""
    rows = list(result.authorships.select_related("person").order_by("order", "pk"))
    ids = set(
        visible(user, Person.objects.active())
        .filter(pk__in=[a.person_id for a in rows])
        .values_list("pk", flat=True)
    )
    return [(a, a.person_id in ids) for a in rows]


def task_results(project: Project, *, user) -> list[Result]:
    return list(visible(user, project.registry_results.all()).order_by("-year", "title"))


def recent_results(*, user, limit: int = 8) -> list[Result]:
    return list(
        visible(user, Result.objects.all())
        .select_related("field")
        .order_by("-created_at", "-pk")[:limit]
    )


def field_counts(*, user) -> dict[str, int]:
    """Public results per field of science, by second-level code and by group."""
    counts: dict[str, int] = {}
    rows = (
        visible(user, Result.objects.filter(field__isnull=False))
        .values_list("field_id")
        .annotate(n=Count("pk"))
    )
    for code, n in rows:
        counts[code] = counts.get(code, 0) + n
        counts[code[:1]] = counts.get(code[:1], 0) + n
    return counts


def with_duplicate_mark(qs: QuerySet, kind: str) -> QuerySet:
    """Annotate `has_duplicate`: the record is in an open duplicate flag."""
    if kind == "organisation":
        cond = Q(org_a=OuterRef("pk")) | Q(org_b=OuterRef("pk"))
    else:
        cond = Q(person_a=OuterRef("pk")) | Q(person_b=OuterRef("pk"))
    flags = DuplicateFlag.objects.filter(cond, status=DuplicateFlag.Status.OPEN)
    return qs.annotate(has_duplicate=Exists(flags))


def sorted_by_name(qs: QuerySet, attr: str, *, given_name_first: bool = False) -> QuerySet | list:
    """`qs` in Vietnamese alphabetical order of `attr`; people by given name (the last word),
    then the whole name, as Vietnamese lists of names are ordered. Large lists fall back to
    the folded name in the database."""
    if qs.count() > EXACT_SORT_LIMIT:
        return qs.order_by("name_key", "pk")
    rows = list(qs.values_list("pk", attr))

    def key(row):
        name = row[1] or ""
        if given_name_first:
            words = name.split()
            return (
                vietnamese_sort_key(words[-1] if words else ""),
                vietnamese_sort_key(name),
                row[0],
            )
        return (vietnamese_sort_key(name), row[0])

    return [pk for pk, _name in sorted(rows, key=key)]


def staff_records(model, *, agency, user) -> QuerySet:
    """Records of `agency` the user may read in the staff lists (confidential ones only for
    the agency's leaders), merged ones left out."""
    qs = model.objects.active() if hasattr(model.objects, "active") else model.objects.all()
    return visible(user, qs.filter(agency=agency))


def is_publicly_visible(obj) -> bool:
    merged = getattr(obj, "merged_into_id", None) is not None
    return obj.access == Access.PUBLIC and not merged
