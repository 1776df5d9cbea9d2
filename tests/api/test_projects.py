"""The task API contract: lists with filters, one task with its deadlines, the caller's
actions, taking a step (and every refusal), sending a proposal."""

import pytest

from tests.factories import UserFactory, user_with_role
from tests.projects.steps import D, act, identify, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(rulesets, proposer, agency_a):
    return propose(proposer, agency_a)


@pytest.fixture
def ordered(proposed, staff_a, leader_a, experts):
    identify(staff_a, leader_a, proposed, experts)
    return proposed


def test_list_filters_and_shape(client, bearer, proposed, staff_a, leader_a, agency_a, proposer):
    other = propose(proposer, agency_a, title="Nghiên cứu giống lúa chịu mặn ST25 cho Tiên Lãng")
    act(leader_a, other, "reject_proposal", D(2026, 1, 10), remark="Trùng nhiệm vụ năm trước")
    body = client.get("/api/v1/projects", **bearer(staff_a)).json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["id"] == proposed.pk)
    assert set(item) >= {
        "id",
        "code",
        "title",
        "kind",
        "level",
        "state",
        "year",
        "host",
        "leader",
        "budget_total",
        "next_due",
    }
    assert item["state"] == "PROPOSED" and item["kind"] == "du_an_sxtn"
    assert client.get("/api/v1/projects?state=REJECTED", **bearer(staff_a)).json()["count"] == 1
    assert client.get("/api/v1/projects?kind=de_tai", **bearer(staff_a)).json()["count"] == 0
    assert client.get("/api/v1/projects?year=2026&q=lúa", **bearer(staff_a)).json()["count"] == 1
    assert client.get("/api/v1/projects?year=2025", **bearer(staff_a)).json()["count"] == 0
    # the proposal's identification deadline (30 days) has passed by now
    overdue = client.get("/api/v1/projects?overdue=true", **bearer(staff_a)).json()
    assert [i["id"] for i in overdue["items"]] == [proposed.pk]


def test_detail_has_the_contract_fields_and_deadlines(client, bearer, proposed, staff_a):
    body = client.get(f"/api/v1/projects/{proposed.pk}", **bearer(staff_a)).json()
    for key in (
        "code",
        "title",
        "kind",
        "level",
        "state",
        "host",
        "leader",
        "start_date",
        "end_date",
        "budget_total",
        "rule_set",
        "deadlines",
    ):
        assert key in body, key
    assert body["rule_set"].startswith("vn-2013@")
    assert body["deadlines"] == [
        {
            "key": "identification_conclusion",
            "label": "Kết luận xác định nhiệm vụ",
            "due_date": "2026-02-04",
            "status": "open",
            "working_days_left": body["deadlines"][0]["working_days_left"],
        }
    ]


def test_out_of_reach_is_404(client, bearer, proposed, staff_b):
    stranger = UserFactory(username="nguoila")
    for user in (staff_b, stranger):
        assert client.get(f"/api/v1/projects/{proposed.pk}", **bearer(user)).status_code == 404
        assert (
            client.post(
                f"/api/v1/projects/{proposed.pk}/actions/order",
                {},
                content_type="application/json",
                **bearer(user),
            ).status_code
            == 404
        )
    assert client.get("/api/v1/projects", **bearer(stranger)).status_code == 403


def test_actions_and_perform(client, bearer, ordered, staff_a, leader_a):
    actions = client.get(f"/api/v1/projects/{ordered.pk}/actions", **bearer(staff_a)).json()
    assert {a["action"] for a in actions} == {"open_call"}
    leader_actions = client.get(f"/api/v1/projects/{ordered.pk}/actions", **bearer(leader_a)).json()
    assert {a["action"] for a in leader_actions} == {"assign_directly"}
    url = f"/api/v1/projects/{ordered.pk}/actions/"
    # 403: the staff may not assign directly
    assert (
        client.post(
            url + "assign_directly",
            {"data": {"decision_no": "1"}, "remark": "x"},
            content_type="application/json",
            **bearer(staff_a),
        ).status_code
        == 403
    )
    # 422: fields badly filled, each named
    bad = client.post(
        url + "open_call",
        {"data": {"call_open_date": "31/02/2026"}},
        content_type="application/json",
        **bearer(staff_a),
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {
        "call_open_date",
        "call_close_date",
    }
    # 400: a rule (the call stays open at least 30 days, TT 20/2023 Đ3)
    short = client.post(
        url + "open_call",
        {"data": {"call_open_date": "01/02/2026", "call_close_date": "15/02/2026"}},
        content_type="application/json",
        **bearer(staff_a),
    )
    assert short.status_code == 400 and "30 ngày" in short.json()["detail"]
    # 200: the updated task comes back
    done = client.post(
        url + "assign_directly",
        {
            "data": {"decision_no": "25/QĐ-SKHCN"},
            "remark": "Nhiệm vụ cấp bách",
            "expected_state": "ORDERED",
        },
        content_type="application/json",
        **bearer(leader_a),
    )
    assert done.status_code == 200 and done.json()["state"] == "DIRECT_ASSIGNMENT"
    # 409: someone else already moved it
    late = client.post(
        url + "open_call",
        {
            "data": {"call_open_date": "01/02/2026", "call_close_date": "15/03/2026"},
            "expected_state": "ORDERED",
        },
        content_type="application/json",
        **bearer(staff_a),
    )
    assert late.status_code == 409 and "detail" in late.json()


def test_anyone_registered_proposes_through_the_api(client, bearer, rulesets, agency_a):
    district = user_with_role(
        "public", agency_a, username="huyen.anduong", organisation="UBND huyện An Dương"
    )
    payload = {
        "agency": agency_a.pk,
        "title": "Mô hình nuôi cá lồng bè thông minh",
        "problem": "Cá chết do thiếu oxy",
        "objectives": "Cảnh báo sớm",
        "expected_products": "Hệ thống cảm biến",
        "application_place": "Sông Lạch Tray",
        "proposer_org": "UBND huyện An Dương",
        "year": 2027,
        "kind": "de_tai",
    }
    created = client.post(
        "/api/v1/projects", payload, content_type="application/json", **bearer(district)
    )
    assert created.status_code == 201 and created.json()["state"] == "PROPOSED"
    bad = client.post(
        "/api/v1/projects",
        {**payload, "title": " ", "year": 1990},
        content_type="application/json",
        **bearer(district),
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {
        "title",
        "year",
    }
    assert (
        client.get(f"/api/v1/projects/{created.json()['id']}", **bearer(district)).status_code
        == 200
    )
