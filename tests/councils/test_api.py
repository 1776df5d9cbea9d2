"""The councils API contract: GET a council, POST a member's conflict declaration and ballot,
GET the result; 401/403/404/409/422 as khcn.api documents them."""

import datetime as dt

import pytest

from khcn.accounts.services import token_create
from khcn.core import clock
from khcn.councils.models import Ballot, Council
from khcn.councils.services import council_open
from tests.councils.test_services import (
    MEETING,
    SCORES_HIGH,
    SCORES_LOW,
    acceptance_council,
    acceptance_payload,
    close,
    dossiers_opened,
    form,
    identification_council,
    members_of,
    open_and_declare,
    roll_call,
    seats,
    vote,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    def headers(user) -> dict[str, str]:
        _token, key = token_create(actor=user, user=user, name="Kiểm thử")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return headers


@pytest.fixture
def api(client, bearer):
    """`api(user)` -> (get, post) calling /api/v1/councils with the user's token."""

    def as_user(user):
        headers = bearer(user)

        def get(path):
            return client.get(f"/api/v1/councils{path}", **headers)

        def post(path, body):
            return client.post(
                f"/api/v1/councils{path}", body, content_type="application/json", **headers
            )

        return get, post

    return as_user


@pytest.fixture
def council(rulesets, staff_a, proposer, agency_a, experts) -> Council:
    return identification_council(staff_a, proposer, agency_a, experts)


def opened(staff, council) -> Council:
    with clock.travel(MEETING):
        council_open(actor=staff, council=council)
    return council


def test_a_council_with_its_members_and_criteria(api, staff_a, council, experts):
    get, _post = api(staff_a)

    response = get(f"/{council.pk}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"id", "kind", "state", "project", "meeting_date", "members", "criteria"}
    assert (body["id"], body["kind"], body["state"]) == (council.pk, "identification", "forming")
    assert body["project"] == {
        "id": council.project.pk,
        "code": council.project.code,
        "title": council.project.title,
    }
    assert body["meeting_date"] == "2026-01-15"
    assert body["members"][0] == {
        "id": members_of(council)[0].pk,
        "name": "GS.TS. Nguyễn Văn Hải",
        "role": "chair",
        "conflict": "pending",
        "present": None,
    }
    assert [m["role"] for m in body["members"]][:5] == [
        "chair",
        "vice_chair",
        "reviewer",
        "reviewer",
        "secretary",
    ]
    assert body["criteria"] == [{"code": "verdict", "label": "Đạt yêu cầu", "max": 1}]


def test_selection_and_acceptance_criteria(
    api, staff_a, leader_a, host, rival, proposer, agency_a, experts
):
    project, (winner, other) = dossiers_opened(
        staff_a, leader_a, host, rival, proposer, agency_a, experts
    )
    selection = form(staff_a, project, "selection", seats(experts, 7), day=dt.date(2026, 3, 3))
    get, _post = api(staff_a)

    body = get(f"/{selection.pk}").json()

    assert [(c["code"], c["max"]) for c in body["criteria"]] == [
        ("prior", 12),
        ("content", 24),
        ("products", 16),
        ("applicability", 16),
        ("feasibility", 16),
        ("capacity", 16),
    ]
    assert body["criteria"][1]["label"] == "Nội dung và phương pháp nghiên cứu"
    assert [a["id"] for a in body["applications"]] == [winner.pk, other.pk]
    # before declaring, a member is not shown the applications
    assert api(experts[0])[0](f"/{selection.pk}").json()["applications"] == []


def test_acceptance_criteria_are_the_aspects(
    api, staff_a, leader_a, host, proposer, agency_a, experts
):
    council = acceptance_council(staff_a, leader_a, host, proposer, agency_a, experts)

    body = api(staff_a)[0](f"/{council.pk}").json()

    assert body["criteria"] == [
        {"code": "quantity", "label": "Số lượng", "max": None},
        {"code": "volume", "label": "Khối lượng", "max": None},
        {"code": "quality", "label": "Chất lượng", "max": None},
    ]
    assert [p["name"] for p in body["products"]] == [
        "Quy trình công nghệ sản xuất gạch không nung",
        "Gạch mẫu đạt TCVN 6477:2016",
    ]


@pytest.mark.parametrize("who", ["staff_b", "stranger", "other_expert"])
def test_a_council_out_of_reach_is_a_404(api, council, staff_a, staff_b, experts, who):
    opened(staff_a, council)
    user = {"staff_b": staff_b, "stranger": UserFactory(), "other_expert": experts[10]}[who]
    get, post = api(user)

    for response in (
        get(f"/{council.pk}"),
        get(f"/{council.pk}/result"),
        post(f"/{council.pk}/conflict", {"has_conflict": False}),
        post(f"/{council.pk}/ballots", {"payload": {"verdict": True}}),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Không tìm thấy."}
    assert get("/999999").status_code == 404


def test_without_a_token_the_api_answers_401(client, council):
    response = client.get(f"/api/v1/councils/{council.pk}")

    assert response.status_code == 401


def test_a_member_declares_then_votes_and_corrects(api, staff_a, council, experts):
    opened(staff_a, council)
    get, post = api(experts[0])

    early = post(f"/{council.pk}/ballots", {"payload": {"verdict": True}})
    assert early.status_code == 403
    assert early.json() == {"detail": "Hãy khai báo không có xung đột lợi ích trước khi đánh giá."}

    declared = post(f"/{council.pk}/conflict", {"has_conflict": False, "note": ""})
    assert declared.status_code == 200
    assert declared.json()["conflict"] == "none"
    twice = post(f"/{council.pk}/conflict", {"has_conflict": False})
    assert twice.status_code == 409 and twice.json() == {"detail": "Bạn đã khai báo rồi."}

    created = post(
        f"/{council.pk}/ballots",
        {"application": None, "payload": {"verdict": True}, "comment": "Cấp thiết"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["payload"] == {"verdict": True} and body["comment"] == "Cấp thiết"
    assert (body["council"], body["member"], body["application"]) == (
        council.pk,
        members_of(council)[0].pk,
        None,
    )
    corrected = post(f"/{council.pk}/ballots", {"payload": {"verdict": False}})
    assert corrected.status_code == 201 and corrected.json()["id"] == body["id"]
    assert Ballot.objects.filter(council=council).count() == 1
    assert get(f"/{council.pk}").json()["members"][0]["conflict"] == "none"


def test_a_wrong_ballot_is_a_422_naming_the_field(api, staff_a, council, experts):
    opened(staff_a, council)
    _get, post = api(experts[0])
    post(f"/{council.pk}/conflict", {"has_conflict": False})

    response = post(f"/{council.pk}/ballots", {"payload": {"verdict": "maybe"}})

    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {"field": "verdict", "message": "Chọn «Đạt yêu cầu» hoặc «Không đạt yêu cầu»."}
    ]
    assert "detail" in body
    shapeless = post(f"/{council.pk}/ballots", {"payload": "yes"})
    assert shapeless.status_code == 422
    assert not Ballot.objects.filter(council=council).exists()


def test_a_conflict_needs_its_note_and_removes_the_member(api, staff_a, council, experts):
    opened(staff_a, council)
    get, post = api(experts[3])

    missing = post(f"/{council.pk}/conflict", {"has_conflict": True})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "note", "message": "Ghi rõ nội dung xung đột lợi ích."}
    ]

    response = post(
        f"/{council.pk}/conflict", {"has_conflict": True, "note": "Anh ruột làm ở huyện."}
    )

    assert response.status_code == 200 and response.json()["conflict"] == "declared"
    assert get(f"/{council.pk}").status_code == 404  # no longer a member
    assert len(api(staff_a)[0](f"/{council.pk}").json()["members"]) == 8


def test_staff_are_not_members(api, staff_a, council):
    opened(staff_a, council)
    _get, post = api(staff_a)

    response = post(f"/{council.pk}/ballots", {"payload": {"verdict": True}})

    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không phải thành viên hội đồng này."}


def test_the_result_is_a_409_until_closed_and_ballots_after_closing_are_409(
    api, staff_a, council, experts
):
    members = open_and_declare(staff_a, council)
    get, post = api(experts[0])
    early = get(f"/{council.pk}/result")
    assert early.status_code == 409
    assert early.json() == {"detail": "Hội đồng chưa kết luận."}
    for i, m in enumerate(members):
        vote(m, council, {"verdict": i < 7})
    roll_call(staff_a, council)
    close(staff_a, council)

    response = get(f"/{council.pk}/result")

    assert response.status_code == 200
    assert response.json() == {
        "outcome": "RECOMMENDED",
        "outcome_label": "Đề nghị đặt hàng",
        "mean": None,
        "valid_ballots": 9,
        "excluded_ballots": 0,
        "votes": {"yes": 7, "no": 2},
        "members_present": 9,
        "members_total": 9,
    }
    late = post(f"/{council.pk}/ballots", {"payload": {"verdict": False}})
    assert late.status_code == 409
    assert late.json() == {"detail": "Hội đồng chưa mở hoặc đã kết luận."}


def test_selection_ballots_and_ranking(
    api, staff_a, leader_a, host, rival, proposer, agency_a, experts
):
    project, (winner, other) = dossiers_opened(
        staff_a, leader_a, host, rival, proposer, agency_a, experts
    )
    council = form(staff_a, project, "selection", seats(experts, 7), day=dt.date(2026, 3, 3))
    members = open_and_declare(staff_a, council)
    _get, post = api(experts[0])

    no_application = post(f"/{council.pk}/ballots", {"payload": {"scores": SCORES_HIGH}})
    assert no_application.status_code == 422
    assert no_application.json()["errors"][0]["field"] == "application"
    foreign = post(
        f"/{council.pk}/ballots", {"application": 999999, "payload": {"scores": SCORES_HIGH}}
    )
    assert foreign.status_code == 422
    wrong = post(
        f"/{council.pk}/ballots",
        {"application": winner.pk, "payload": {"scores": {**SCORES_HIGH, "content": 30}}},
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [
        {"field": "scores.content", "message": "Điểm từ 0 đến 24, bước 0,5."}
    ]
    created = post(
        f"/{council.pk}/ballots", {"application": winner.pk, "payload": {"scores": SCORES_HIGH}}
    )
    assert created.status_code == 201
    assert created.json()["application"] == winner.pk
    assert created.json()["payload"]["scores"]["content"] == "20"

    for m in members[1:]:
        vote(m, council, {"scores": SCORES_HIGH}, winner)
    for m in members:
        vote(m, council, {"scores": SCORES_LOW}, other)
    roll_call(staff_a, council)
    close(staff_a, council)

    body = api(staff_a)[0](f"/{council.pk}/result").json()

    assert (body["outcome"], body["mean"], body["valid_ballots"]) == ("WINNER", "84.00", 7)
    assert [(r["application"], r["rank"], r["eligible"]) for r in body["ranking"]] == [
        (winner.pk, 1, True),
        (other.pk, 2, False),
    ]
    assert body["ranking"][1]["reasons"] == [
        "Điểm trung bình 66,00 chưa đạt mức tối thiểu 70 điểm."
    ]


def test_acceptance_ballot_through_the_api(
    api, staff_a, leader_a, host, proposer, agency_a, experts
):
    council = acceptance_council(staff_a, leader_a, host, proposer, agency_a, experts)
    open_and_declare(staff_a, council)
    _get, post = api(experts[0])
    payload = acceptance_payload(council, "XUAT_SAC")

    response = post(f"/{council.pk}/ballots", {"payload": payload})

    assert response.status_code == 201
    assert response.json()["payload"]["verdict"] == "XUAT_SAC"
    assert "ranking" not in api(staff_a)[0](f"/{council.pk}").json()
