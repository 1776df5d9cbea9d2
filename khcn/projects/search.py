"""S&T tasks in the one search service (type `task`).

A task becomes public once it is approved (QĐ phê duyệt nhiệm vụ): from the state
APPROVED and every state reachable from it in the task's rule set (contracted, in
progress, accepted, closed, terminated…). Before that (proposals, calls, selection,
rejected proposals) it is restricted to the agency's staff. Information on S&T tasks
being carried out and their results is collected and published (NĐ 11/2014 Đ9–10,
TT 14/2014/TT-BKHCN).
"""

from collections import deque

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from khcn.projects.models import Project
from khcn.search.registry import SearchType, register
from khcn.workflow.models import Process

PUBLIC_FROM = "APPROVED"


_PUBLIC: dict[tuple[int, str], frozenset[str]] = {}  # a rule set version never changes


def public_states(ruleset) -> frozenset[str]:
    """APPROVED and every state reachable from it in this rule set version."""
    key = (ruleset.pk, ruleset.checksum)
    if key not in _PUBLIC:
        rules = ruleset.rules
        seen: set[str] = set()
        if PUBLIC_FROM in rules.states:
            seen, queue = {PUBLIC_FROM}, deque([PUBLIC_FROM])
            while queue:
                for transition in rules.transitions_from(queue.popleft()):
                    if transition.target not in seen:
                        seen.add(transition.target)
                        queue.append(transition.target)
        _PUBLIC[key] = frozenset(seen)
    return _PUBLIC[key]


def task_access(project: Project) -> str:
    process = project.process
    return "public" if process.state in public_states(process.ruleset) else "restricted"


def task_url(project: Project) -> str:
    """The public page of the task (registry), or the staff page until that exists."""
    try:
        return reverse("public-task", args=[project.pk])
    except NoReverseMatch:
        return reverse("project-detail", args=[project.pk])


TASK = register(
    SearchType(
        key="task",
        label=_("Nhiệm vụ KH&CN"),
        model=Project,
        title=lambda p: p.title,
        text=lambda p: [
            p.code,
            p.host_org,
            p.leader_name,
            p.proposer_org,
            p.objectives,
            p.expected_products,
        ],
        url=task_url,
        access=task_access,
        agency_id=lambda p: p.agency_id,
        facets=lambda p: {"field": p.field, "year": p.year, "org": None},
        queryset=lambda: Project.objects.select_related("process__ruleset"),
        watch=(
            (
                Process,
                lambda process: Project.objects.filter(process=process).select_related(
                    "process__ruleset"
                ),
            ),
        ),
        icon="clipboard2-data",
    )
)
