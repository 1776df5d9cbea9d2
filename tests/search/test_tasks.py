"""S&T tasks in search (khcn/projects/search.py): restricted until approved, kept current
on every save, state change and delete, rebuilt by `khcn reindex`."""

import io

from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from khcn.search.models import SearchEntry
from khcn.search.selectors import search
from tests.projects.steps import propose


def task_ids(q, user=None):
    return [hit.id for hit in search(q, user=user, types=["task"]).items]


def expected_url(pk):
    try:
        return reverse("public-task", args=[pk])
    except NoReverseMatch:
        return reverse("project-detail", args=[pk])


def test_a_task_is_found_by_its_staff_until_approved_then_by_everyone(
    rulesets, proposer, agency_a, staff_a, staff_b
):
    project = propose(proposer, agency_a)
    q = "thach cao phospho"
    assert task_ids(q) == []
    assert task_ids(q, staff_b) == []
    assert task_ids(q, staff_a) == [project.pk]

    # the engine saves the record when it takes a step; approval makes the task public
    process = project.process
    process.state = "APPROVED"
    process.save()
    assert task_ids(q) == [project.pk]
    hit = search("cong nghe xu ly ba thach cao", user=None, types=["task"]).items[0]
    assert hit.title.startswith("Nghiên cứu công nghệ xử lý bã thạch cao")
    assert hit.url == expected_url(project.pk)
    entry = SearchEntry.objects.get(type="task", object_id=project.pk)
    assert (entry.agency_id, entry.year, entry.field) == (agency_a.pk, 2026, "2")

    process.state = "REJECTED"  # not reachable from APPROVED: restricted again
    process.save()
    assert task_ids(q) == []


def test_saves_and_deletes_keep_the_index_current(rulesets, proposer, agency_a, staff_a):
    project = propose(proposer, agency_a)
    project.host_org = "Trường Đại học Hải Phòng"
    project.leader_name = "Lê Minh Tuấn"
    project.save()
    assert task_ids("dai hoc hai phong le minh tuan", staff_a) == [project.pk]
    assert task_ids(project.code, staff_a) == [project.pk]
    pk = project.pk
    project.delete()
    assert task_ids("thach cao", staff_a) == []
    assert not SearchEntry.objects.filter(type="task", object_id=pk).exists()


def test_reindex_command(rulesets, proposer, agency_a, staff_a):
    project = propose(proposer, agency_a)
    SearchEntry.objects.all().delete()
    assert task_ids("thach cao", staff_a) == []
    call_command("reindex", key="task", stdout=io.StringIO())
    assert task_ids("thach cao", staff_a) == [project.pk]
    call_command("reindex", stdout=io.StringIO())
    assert task_ids("thach cao", staff_a) == [project.pk]
