"""Duplicates through the pages: the queue, the pair side by side, merge, undo, dismiss."""

import pytest

from khcn.registry import services
from khcn.registry.models import Affiliation, DuplicateFlag, Merge, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin(staff_a, agency_a, org, person):
    """A second record of the university (same tax code) with a person of its own."""
    twin = services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Trường ĐH Hải Phòng",
        kind="university",
        tax_code="0200167782",
        website="https://dhhp.edu.vn",
    )
    services.person_create(
        actor=staff_a, agency=agency_a, organisation=twin, full_name="Trần Văn Tú"
    )
    return twin


def test_merge_then_undo_through_the_pages(client_of, staff_a, org, twin):
    client = client_of(staff_a)
    flag = DuplicateFlag.objects.get(org_a=org, org_b=twin)

    html = client.get("/co-so-du-lieu/trung-lap/").content.decode()
    assert f'href="/co-so-du-lieu/trung-lap/{flag.pk}/"' in html
    html = client.get(f"/co-so-du-lieu/trung-lap/{flag.pk}/").content.decode()
    assert "Trường Đại học Hải Phòng" in html and "Trường ĐH Hải Phòng" in html
    assert "Trùng mã số thuế" in html

    response = client.post(f"/co-so-du-lieu/trung-lap/{flag.pk}/gop/", {"keep": "a"}, follow=True)
    assert (
        "Đã gộp «Trường ĐH Hải Phòng» vào «Trường Đại học Hải Phòng»" in response.content.decode()
    )
    twin.refresh_from_db()
    org.refresh_from_db()
    assert twin.merged_into_id == org.pk
    assert org.website == "https://dhhp.edu.vn"
    assert Affiliation.objects.filter(organisation=org, person__full_name="Trần Văn Tú").exists()
    assert client.get("/co-so-du-lieu/trung-lap/").content.decode().count("So sánh") == 0
    assert "Trường ĐH Hải Phòng" not in client.get("/co-so-du-lieu/to-chuc/").content.decode()

    merge = Merge.objects.get()
    html = client.get("/co-so-du-lieu/lich-su-gop/").content.decode()
    assert "Hoàn tác" in html
    response = client.post(f"/co-so-du-lieu/lich-su-gop/{merge.pk}/hoan-tac/", follow=True)
    assert "Đã hoàn tác" in response.content.decode()
    twin.refresh_from_db()
    org.refresh_from_db()
    assert twin.merged_into_id is None
    assert org.website == ""
    assert Affiliation.objects.filter(organisation=twin, person__full_name="Trần Văn Tú").exists()
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.OPEN
    # undoing twice is refused with a message, nothing changes
    response = client.post(f"/co-so-du-lieu/lich-su-gop/{merge.pk}/hoan-tac/", follow=True)
    assert "Lần gộp này đã được hoàn tác." in response.content.decode()


def test_keep_the_second_record(client_of, staff_a, org, twin):
    flag = DuplicateFlag.objects.get(org_a=org, org_b=twin)
    response = client_of(staff_a).post(f"/co-so-du-lieu/trung-lap/{flag.pk}/gop/", {"keep": "b"})

    assert response["Location"] == f"/co-so-du-lieu/to-chuc/{twin.pk}/"
    assert Organisation.objects.active().get() == twin


def test_merge_without_choice_and_dismiss(client_of, staff_a, org, twin):
    client = client_of(staff_a)
    flag = DuplicateFlag.objects.get(org_a=org, org_b=twin)

    response = client.post(f"/co-so-du-lieu/trung-lap/{flag.pk}/gop/", {}, follow=True)
    assert "Chọn bản ghi cần giữ lại." in response.content.decode()
    assert not Merge.objects.exists()

    client.post(f"/co-so-du-lieu/trung-lap/{flag.pk}/bo-qua/", {"note": "Hai cơ sở khác nhau"})
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.DISMISSED and flag.note == "Hai cơ sở khác nhau"


def test_other_agencies_cannot_reach_the_queue_items(client_of, staff_b, org, twin):
    flag = DuplicateFlag.objects.get(org_a=org, org_b=twin)
    client = client_of(staff_b)

    assert client.get(f"/co-so-du-lieu/trung-lap/{flag.pk}/").status_code == 404
    assert client.post(f"/co-so-du-lieu/trung-lap/{flag.pk}/gop/", {"keep": "a"}).status_code == 404
    assert not Merge.objects.exists()
