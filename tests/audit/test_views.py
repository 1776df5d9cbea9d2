"""The audit list page: leaders and administrators read their agency's trail, filtered."""

import re

import pytest

from khcn.audit.models import AuditAction

pytestmark = pytest.mark.django_db

EVERYTHING = [5, 4, 3, 2, 1]


def seqs(response) -> list[int]:
    return [e.seq for e in response.context["page"].object_list]


def test_lists_own_agency_events_newest_first(leader, events):
    response = leader.get("/nhat-ky/")

    assert response.status_code == 200
    assert seqs(response) == EVERYTHING


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "Thu Hà"}, [4, 2]),
        ({"actor": "quantri.a"}, [3]),
        ({"actor": "không có ai"}, []),
        ({"action": AuditAction.ROLE_GRANTED.value}, [3]),
        ({"action": "9999"}, EVERYTHING),  # unknown code: ignored
        ({"object_type": "accounts.user"}, EVERYTHING),
        ({"object_type": "core.attachment"}, []),
        ({"from": "01/03/2025"}, [5, 4, 3]),
        ({"to": "31/03/2025"}, [4, 3, 2, 1]),
        ({"from": "01/03/2025", "to": "31/03/2025"}, [4, 3]),
        ({"from": "2025-03-01", "to": "2025-03-31"}, [4, 3]),
        ({"from": "01/04/2025", "to": "01/04/2025"}, [5]),
        ({"from": "31/02/2025"}, EVERYTHING),  # not a date: ignored
        ({"actor": "Thu Hà", "from": "01/03/2025", "to": "31/03/2025"}, [4]),
    ],
)
def test_filters(leader, events, query, expected):
    assert seqs(leader.get("/nhat-ky/", query)) == expected


def test_dates_are_local_and_rendered_dd_mm_yyyy(leader, events):
    html = leader.get("/nhat-ky/").content.decode()
    text = re.sub(r"<[^>]+>", "", html)

    assert "01/03/2025 00:30:00" in text
    assert "28/02/2025 23:30:00" in text
    assert "Giao vai trò" in html
    assert "Trần Thị Thu Hà" in html
    assert "Hệ thống" in html  # the event without an actor


def test_htmx_request_gets_only_the_table(leader, events):
    response = leader.get("/nhat-ky/", {"actor": "Thu Hà"}, HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "audit/partials/event_table.html"
    assert "<html" not in response.content.decode()
    assert seqs(response) == [4, 2]


def test_event_detail_shows_the_change(leader, events):
    response = leader.get("/nhat-ky/3/")

    assert response.status_code == 200
    assert response.context["event"].after == {"role": "staff"}


def test_other_agency_event_is_404(leader, events):
    assert leader.get("/nhat-ky/6/").status_code == 404


def test_admin_reads_the_trail_too(client_of, admin_a, events):
    client = client_of(admin_a)  # event 7: the administrator's login

    assert seqs(client.get("/nhat-ky/")) == [7, *EVERYTHING]


def test_staff_may_not_read_the_trail(client_of, staff_a, events):
    assert client_of(staff_a).get("/nhat-ky/").status_code == 403
