"""/api/v1/workflow: rule sets, records, steps. The same engine as the pages: 404 out of
reach, 403 wrong role, 409 when someone acted first, 422 for bad fields, 400 failed guard."""

import datetime as dt

import pytest

from khcn.workflow.engine import process_start
from khcn.workflow.loader import BUILTIN_DIR
from khcn.workflow.models import Process, ProcessEvent
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

ORDER = {"decision_no": "15/QĐ-SKHCN", "decision_date": "2026-01-10"}


@pytest.fixture
def host(db):
    return UserFactory(username="chutri.api", full_name="Vũ Thị Lan Anh")


@pytest.fixture
def proposal(agency_a, staff_a, host):
    return process_start(
        actor=staff_a,
        agency=agency_a,
        ruleset="vn-2013",
        title="Nghiên cứu giống lúa chịu mặn cho vùng ven biển",
        parties=[(host, "host")],
        data={"identification_outcome": "RECOMMENDED"},  # the council's conclusion
        today=dt.date(2026, 1, 5),
    )


def test_rulesets_and_diagram(client, bearer, staff_a, proposal):
    listed = client.get("/api/v1/workflow/rulesets", **bearer(staff_a)).json()
    shipped = {path.stem for path in BUILTIN_DIR.glob("*.toml")}
    assert {r["code"] for r in listed} == shipped
    assert {"vn-2013", "hn-05-2021", "tthc-2018"} <= shipped

    detail = client.get("/api/v1/workflow/rulesets/hn-05-2021", **bearer(staff_a)).json()
    assert detail["version"] == 1
    assert detail["definition"]["extends"] == "vn-2013"

    diagram = client.get("/api/v1/workflow/rulesets/vn-2013/diagram", **bearer(staff_a)).json()
    assert diagram["mermaid"].startswith("stateDiagram-v2")
    assert "PROPOSED --> ORDERED: Phê duyệt đặt hàng" in diagram["mermaid"]


def test_outside_users_cannot_read_rulesets(client, bearer, host, proposal):
    response = client.get("/api/v1/workflow/rulesets", **bearer(host))
    assert response.status_code == 403


def test_actions_list_only_the_users_steps(client, bearer, leader_a, staff_a, proposal):
    url = f"/api/v1/workflow/processes/{proposal.pk}/actions"
    leader_actions = client.get(url, **bearer(leader_a)).json()
    assert [a["action"] for a in leader_actions] == ["order", "reject_proposal"]
    assert leader_actions[0]["fields"][0] == {
        "name": "decision_no",
        "label": "Số quyết định",
        "type": "text",
        "required": True,
        "choices": [],
    }
    assert client.get(url, **bearer(staff_a)).json() == []


def test_perform_moves_the_record_and_returns_it(client, bearer, leader_a, proposal):
    response = client.post(
        f"/api/v1/workflow/processes/{proposal.pk}/actions/order",
        {"data": ORDER, "expected_state": "PROPOSED"},
        content_type="application/json",
        **bearer(leader_a),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "ORDERED"
    assert body["state_label"] == "Được đặt hàng"
    assert [e["action"] for e in body["history"]] == ["_start", "order"]
    assert body["data"]["decision_no"] == "15/QĐ-SKHCN"


def test_second_request_on_a_moved_record_is_409(client, bearer, leader_a, proposal):
    url = f"/api/v1/workflow/processes/{proposal.pk}/actions/"
    first = client.post(url + "order", {"data": ORDER, "expected_state": "PROPOSED"},
                        content_type="application/json", **bearer(leader_a))  # fmt: skip
    second = client.post(
        url + "reject_proposal",
        {"remark": "Trùng nội dung", "expected_state": "PROPOSED"},
        content_type="application/json",
        **bearer(leader_a),
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert "Được đặt hàng" in second.json()["detail"]
    assert Process.objects.get(pk=proposal.pk).state == "ORDERED"


def test_wrong_role_is_403_and_changes_nothing(client, bearer, staff_a, proposal):
    response = client.post(
        f"/api/v1/workflow/processes/{proposal.pk}/actions/order",
        {"data": ORDER},
        content_type="application/json",
        **bearer(staff_a),
    )
    assert response.status_code == 403
    assert "Lãnh đạo" in response.json()["detail"]
    assert ProcessEvent.objects.filter(process=proposal).count() == 1


def test_bad_fields_are_422_with_field_errors(client, bearer, leader_a, proposal):
    response = client.post(
        f"/api/v1/workflow/processes/{proposal.pk}/actions/order",
        {"data": {"decision_no": "", "decision_date": "31/02/2026", "extra": 1}},
        content_type="application/json",
        **bearer(leader_a),
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields["decision_no"] == "Cần nhập «Số quyết định»."
    assert "dd/mm/yyyy" in fields["decision_date"]
    assert "extra" in fields
    assert Process.objects.get(pk=proposal.pk).state == "PROPOSED"


def test_failed_guard_is_400(client, bearer, leader_a, staff_a, proposal):
    url = f"/api/v1/workflow/processes/{proposal.pk}/actions/"
    client.post(url + "order", {"data": ORDER}, content_type="application/json",
                **bearer(leader_a))  # fmt: skip
    # TT 20/2023 Đ3: the call stays open at least 30 days.
    response = client.post(
        url + "open_call",
        {"data": {"call_open_date": "2026-02-01", "call_close_date": "2026-02-15"}},
        content_type="application/json",
        **bearer(staff_a),
    )
    assert response.status_code == 400
    assert "ít nhất 30 ngày" in response.json()["detail"]


def test_records_of_other_agencies_are_404(client, bearer, agency_b, proposal):
    stranger = user_with_role("leader", agency_b, username="lanhdao.b")
    for response in (
        client.get(f"/api/v1/workflow/processes/{proposal.pk}", **bearer(stranger)),
        client.post(
            f"/api/v1/workflow/processes/{proposal.pk}/actions/order",
            {"data": ORDER},
            content_type="application/json",
            **bearer(stranger),
        ),  # fmt: skip
    ):
        assert response.status_code == 404
    listed = client.get("/api/v1/workflow/processes", **bearer(stranger)).json()
    assert listed["count"] == 0


def test_host_sees_own_record_with_deadlines(client, bearer, host, proposal):
    listed = client.get("/api/v1/workflow/processes", **bearer(host)).json()
    assert [p["id"] for p in listed["items"]] == [proposal.pk]
    detail = client.get(f"/api/v1/workflow/processes/{proposal.pk}", **bearer(host)).json()
    assert detail["deadlines"][0]["key"] == "identification_conclusion"
    assert detail["deadlines"][0]["due"] == "2026-02-04"


def test_openapi_lists_the_workflow_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/workflow/processes/{pk}/actions/{action}" in paths
