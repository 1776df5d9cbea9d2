"""The council rules through the services, with worked numbers (NĐ 08/2014 Đ32–33,
TT 06/2023, TT 20/2023, TT 11/2014).

The helpers at the top reach a task in the state each kind of council needs and run a
council; test_views and test_api use them too.
"""

import datetime as dt

import pytest

from khcn.accounts.models import Role
from khcn.core import clock
from khcn.core.errors import DomainError
from khcn.core.permissions import can
from khcn.councils.models import Ballot, Council, CouncilMember, MemberRole
from khcn.councils.services import (
    attendance_record,
    ballot_submit,
    conflict_declare,
    council_close,
    council_form,
    council_member_replace,
    council_open,
)
from khcn.notifications.models import Notification
from khcn.projects import services as project_services
from khcn.projects.models import Application, Project
from khcn.workflow.fields import FieldErrors
from tests.factories import pdf_bytes, upload, user_with_role
from tests.projects.steps import (
    ROLES_9,
    SCORES_HIGH,
    SCORES_LOW,
    D,
    act,
    apply,
    approve,
    contract,
    identify,
    open_call,
    propose,
    select,
)

pytestmark = pytest.mark.django_db

FORMED = D(2026, 1, 8)
MEETING = D(2026, 1, 15)
HOST_ORG = "Trường Đại học Hải Phòng"
RIVAL_ORG = "Viện Nghiên cứu Cơ khí"
# a sheet 34 points under the others: more than 20 % away from the mean of all sheets
SCORES_OUTLIER = {
    "prior": 6,
    "content": 12,
    "products": 8,
    "applicability": 8,
    "feasibility": 8,
    "capacity": 8,
}


# --- reaching a council ---------------------------------------------------------------------------


def seats(experts, n: int = 9, roles=None) -> list[tuple]:
    """n of the experts with the usual roles: chair, vice-chair, 2 reviewers, secretary,
    members."""
    roles = roles or [ROLES_9[i] if i < 9 else MemberRole.MEMBER for i in range(n)]
    return [(experts[i], roles[i], "TS.") for i in range(n)]


def form(staff, project: Project, kind: str, members, *, day=FORMED) -> Council:
    with clock.travel(day):
        return council_form(
            actor=staff,
            project=project,
            kind=kind,
            decision_no=f"{project.pk}{kind[:2]}/QĐ-SKHCN",
            decision_date=day,
            meeting_date=day + dt.timedelta(days=7),
            meeting_place="Phòng họp tầng 3, Sở KH&CN",
            members=members,
        )


def members_of(council: Council) -> list[CouncilMember]:
    return list(
        council.members.filter(removed_at__isnull=True).select_related("expert").order_by("pk")
    )


def open_and_declare(staff, council: Council) -> list[CouncilMember]:
    """Open the council on its meeting day; every member declares no conflict."""
    with clock.travel(council.meeting_date):
        council_open(actor=staff, council=council)
        for m in members_of(council):
            conflict_declare(actor=m.expert, member=m, has_conflict=False)
    return members_of(council)


def vote(member: CouncilMember, council: Council, payload: dict, application=None) -> Ballot:
    with clock.travel(council.meeting_date):
        return ballot_submit(
            actor=member.expert, council=council, payload=payload, application=application
        )


def roll_call(staff, council: Council, *, absent=(), authorised=None) -> None:
    members = members_of(council)
    attendance_record(
        actor=staff,
        council=council,
        present={m.pk: i not in absent for i, m in enumerate(members)},
        authorised=members[authorised].pk if authorised is not None else None,
    )


def close(staff, council: Council) -> Council:
    with clock.travel(council.meeting_date):
        council_close(actor=staff, council=council)
    council.refresh_from_db()
    return council


def identification_council(staff, proposer, agency, experts, *, n: int = 9) -> Council:
    """A proposed task and its identification council, formed and not yet open."""
    return form(staff, propose(proposer, agency), "identification", seats(experts, n))


def dossiers_opened(staff, leader, host, rival, proposer, agency, experts):
    """A task whose call closed with two complete applications (host's first)."""
    project = propose(proposer, agency)
    identify(staff, leader, project, experts)
    open_call(staff, project)
    project.refresh_from_db()
    winner = apply(host, project, HOST_ORG, "TS. Lê Minh Tuấn")
    other = apply(rival, project, RIVAL_ORG, "TS. Nguyễn Thị Bích")
    act(staff, project, "open_dossiers", D(2026, 3, 2), opened_date=D(2026, 3, 2))
    with clock.travel(D(2026, 3, 2)):
        for a in (winner, other):
            project_services.application_review(actor=staff, application=a, complete=True)
    return project, [winner, other]


def dossier_valid(staff, leader, host, proposer, agency, experts) -> Project:
    """A task carried out by Trường Đại học Hải Phòng with two products, whose acceptance
    dossier the department has found valid."""
    project = propose(proposer, agency)
    identify(staff, leader, project, experts)
    open_call(staff, project)
    project.refresh_from_db()
    application = apply(host, project, HOST_ORG, "TS. Lê Minh Tuấn")
    select(staff, project, experts, [application])
    approve(staff, leader, project)
    contract(staff, project)
    act(host, project, "start", D(2026, 4, 1))
    for name in ("Quy trình công nghệ sản xuất gạch không nung", "Gạch mẫu đạt TCVN 6477:2016"):
        project_services.product_add(actor=host, project=project, name=name, quantity=1)
    act(
        host,
        project,
        "internal_acceptance",
        D(2027, 3, 20),
        internal_acceptance_date=D(2027, 3, 18),
    )
    with clock.travel(D(2027, 3, 21)):
        from khcn.core.services import attachment_create

        attachment_create(
            actor=host,
            agency=agency,
            title="Báo cáo tổng hợp kết quả",
            upload=upload("bao-cao-tong-hop.pdf", pdf_bytes("Bao cao tong hop")),
            category="report",
            owner=project.process,
        )
    act(host, project, "submit_acceptance_dossier", D(2027, 3, 21))
    act(staff, project, "accept_dossier", D(2027, 3, 25))
    return project


def acceptance_council(staff, leader, host, proposer, agency, experts) -> Council:
    """An acceptance council formed, with the leader's decision recorded on the task."""
    project = dossier_valid(staff, leader, host, proposer, agency, experts)
    council = form(staff, project, "acceptance", seats(experts), day=D(2027, 3, 27))
    act(
        leader,
        project,
        "form_council",
        D(2027, 3, 28),
        council_decision_no="88/QĐ-SKHCN",
        council_decision_date=D(2027, 3, 28),
    )
    return council


def acceptance_payload(council: Council, rating: str) -> dict:
    products = council.project.products.all()
    return {
        "products": {
            str(p.pk): {"quantity": rating, "volume": rating, "quality": rating} for p in products
        },
        "report": rating,
    }


# --- forming: size, roles, who may sit --------------------------------------------------------


def test_a_selection_council_of_six_is_refused(
    rulesets, agency_a, staff_a, leader_a, host, rival, proposer, experts
):
    project, _apps = dossiers_opened(staff_a, leader_a, host, rival, proposer, agency_a, experts)

    with pytest.raises(FieldErrors) as error:
        form(staff_a, project, "selection", seats(experts, 6))

    assert error.value.errors["members"] == "Hội đồng cần từ 7 đến 9 thành viên (đang có 6)."
    assert not Council.objects.filter(project=project, kind="selection").exists()


def test_an_identification_council_of_twelve_is_refused(
    rulesets, agency_a, staff_a, proposer, experts
):
    twelfth = user_with_role(
        Role.EXPERT, agency_a, full_name="TS. Mai Văn Tùng", organisation="Viện Địa chất"
    )
    project = propose(proposer, agency_a)

    with pytest.raises(FieldErrors) as error:
        form(staff_a, project, "identification", seats([*experts, twelfth], 12))

    assert error.value.errors["members"] == "Hội đồng cần từ 7 đến 11 thành viên (đang có 12)."
    assert not Council.objects.exists()
    # eleven is the most an identification council may have
    assert form(staff_a, project, "identification", seats(experts, 11)).members.count() == 11


@pytest.mark.parametrize(
    ("swap", "message"),
    [
        ({4: MemberRole.MEMBER}, "Hội đồng cần 1 thư ký khoa học (đang có 0)."),
        ({3: MemberRole.MEMBER}, "Hội đồng cần 2 ủy viên phản biện (đang có 1)."),
        ({0: MemberRole.MEMBER}, "Hội đồng cần 1 chủ tịch (đang có 0)."),
        ({5: MemberRole.VICE_CHAIR}, "Hội đồng có nhiều nhất một phó chủ tịch."),
    ],
)
def test_the_roles_of_a_council_are_checked(
    rulesets, agency_a, staff_a, proposer, experts, swap, message
):
    roles = [swap.get(i, role) for i, role in enumerate(ROLES_9)]
    project = propose(proposer, agency_a)

    with pytest.raises(FieldErrors) as error:
        form(staff_a, project, "identification", seats(experts, 9, roles))

    assert error.value.errors["members"] == message
    assert not Council.objects.exists()


def test_an_expert_from_an_applicant_organisation_may_not_sit_on_its_selection_council(
    rulesets, agency_a, staff_a, leader_a, host, rival, proposer, experts
):
    project, _apps = dossiers_opened(staff_a, leader_a, host, rival, proposer, agency_a, experts)
    colleague = user_with_role(
        Role.EXPERT,
        agency_a,
        full_name="PGS.TS. Đặng Văn Sơn",
        organisation="Viện nghiên cứu cơ khí",
    )
    members = seats(experts, 7)
    members[6] = (colleague, MemberRole.MEMBER, "PGS.TS.")

    with pytest.raises(FieldErrors) as error:
        form(staff_a, project, "selection", members)

    assert error.value.errors["members"] == (
        "PGS.TS. Đặng Văn Sơn công tác tại Viện nghiên cứu cơ khí, là tổ chức có hồ sơ của nhiệm vụ."
    )
    assert not Council.objects.filter(kind="selection").exists()


def test_an_expert_from_the_host_may_not_sit_on_its_acceptance_council(
    rulesets, agency_a, staff_a, leader_a, host, proposer, experts
):
    project = dossier_valid(staff_a, leader_a, host, proposer, agency_a, experts)
    colleague = user_with_role(
        Role.EXPERT, agency_a, full_name="TS. Phan Thị Yến", organisation="Trường đại học Hải Phòng"
    )
    members = seats(experts)
    members[8] = (colleague, MemberRole.MEMBER, "TS.")

    with pytest.raises(FieldErrors, match="công tác tại Trường đại học Hải Phòng"):
        form(staff_a, project, "acceptance", members, day=D(2027, 3, 27))

    assert not Council.objects.filter(kind="acceptance").exists()


def test_an_expert_from_the_proposing_organisation_may_not_judge_its_proposal(
    rulesets, agency_a, staff_a, proposer, experts
):
    district = user_with_role(
        Role.EXPERT, agency_a, full_name="ThS. Vũ Văn Bình", organisation="UBND huyện Thủy Nguyên"
    )
    members = seats(experts)
    members[7] = (district, MemberRole.MEMBER, "ThS.")

    with pytest.raises(FieldErrors, match="UBND huyện Thủy Nguyên, là tổ chức có hồ sơ"):
        form(staff_a, propose(proposer, agency_a), "identification", members)


@pytest.mark.parametrize("who", ["staff", "other_agency_expert"])
def test_only_the_agency_experts_may_sit(
    rulesets, agency_a, agency_b, staff_a, proposer, experts, who
):
    outsider = (
        staff_a
        if who == "staff"
        else user_with_role(
            Role.EXPERT, agency_b, full_name="TS. Hà Văn Lâm", organisation="ĐH Thủy lợi"
        )
    )
    members = seats(experts)
    members[8] = (outsider, MemberRole.MEMBER, "")

    with pytest.raises(FieldErrors) as error:
        form(staff_a, propose(proposer, agency_a), "identification", members)

    assert error.value.errors["members"] == (
        f"{outsider.full_name} không có trong danh sách chuyên gia của Sở."
    )


def test_a_council_of_the_wrong_kind_for_the_task_state_is_refused(
    rulesets, agency_a, staff_a, proposer, experts
):
    project = propose(proposer, agency_a)

    with pytest.raises(DomainError) as error:
        form(staff_a, project, "selection", seats(experts, 7))

    assert error.value.status == 409
    assert "chưa lập hội đồng tư vấn tuyển chọn được" in error.value.message


# --- conflicts of interest ------------------------------------------------------------------------


def test_a_declared_conflict_removes_the_member_and_staff_put_another_in_the_seat(
    rulesets, agency_a, staff_a, proposer, experts
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    with clock.travel(MEETING):
        council_open(actor=staff_a, council=council)
    reviewer = members_of(council)[2]

    with pytest.raises(FieldErrors, match="Ghi rõ nội dung xung đột"):
        conflict_declare(actor=reviewer.expert, member=reviewer, has_conflict=True)
    conflict_declare(
        actor=reviewer.expert,
        member=reviewer,
        has_conflict=True,
        note="Tôi là cố vấn của UBND huyện Thủy Nguyên trong đề xuất này.",
    )

    reviewer.refresh_from_db()
    assert reviewer.conflict == CouncilMember.Conflict.DECLARED and reviewer.removed_at
    assert not can(reviewer.expert, "council.view", council)
    assert len(members_of(council)) == 8
    assert Notification.objects.filter(
        recipient=staff_a, title="Thành viên hội đồng khai báo xung đột lợi ích"
    ).exists()
    # a sitting member who has not declared a conflict cannot be swapped out once open
    with pytest.raises(DomainError, match="Chỉ thay thành viên đã khai báo xung đột"):
        council_member_replace(actor=staff_a, member=members_of(council)[5], expert=experts[9])
    with pytest.raises(FieldErrors, match="đã có trong hội đồng"):
        council_member_replace(actor=staff_a, member=reviewer, expert=experts[0])

    seat = council_member_replace(actor=staff_a, member=reviewer, expert=experts[9], degree="TS.")

    assert (seat.role, seat.expert, seat.conflict) == (
        MemberRole.REVIEWER,
        experts[9],
        CouncilMember.Conflict.PENDING,
    )
    assert len(members_of(council)) == 9
    assert Notification.objects.filter(recipient=experts[9]).exists()
    conflict_declare(actor=experts[9], member=seat, has_conflict=False)
    assert vote(seat, council, {"verdict": True}).member == seat


def test_a_member_who_has_not_declared_cannot_vote(rulesets, agency_a, staff_a, proposer, experts):
    council = identification_council(staff_a, proposer, agency_a, experts)
    with clock.travel(MEETING):
        council_open(actor=staff_a, council=council)
    member = members_of(council)[0]

    with pytest.raises(DomainError) as error:
        vote(member, council, {"verdict": True})

    assert error.value.status == 403
    assert error.value.message == "Hãy khai báo không có xung đột lợi ích trước khi đánh giá."
    assert not Ballot.objects.exists()


def test_someone_outside_the_council_cannot_vote(rulesets, agency_a, staff_a, proposer, experts):
    council = identification_council(staff_a, proposer, agency_a, experts)
    open_and_declare(staff_a, council)

    with pytest.raises(DomainError) as error:
        ballot_submit(actor=experts[10], council=council, payload={"verdict": True})

    assert error.value.status == 404


# --- quorum (NĐ 08/2014 Đ33) ----------------------------------------------------------------------


def test_five_of_nine_present_cannot_close_but_six_with_the_chair_can(
    rulesets, agency_a, staff_a, proposer, experts
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    for m in open_and_declare(staff_a, council):
        vote(m, council, {"verdict": True})
    # chair, two reviewers, the secretary and one member: 5 of 9
    roll_call(staff_a, council, absent=(1, 6, 7, 8))

    with pytest.raises(DomainError) as error:
        close(staff_a, council)

    assert error.value.message == (
        "Hội đồng chưa đủ điều kiện họp: Chưa đủ 2/3 số thành viên có mặt (5/9)."
    )
    council.refresh_from_db()
    assert council.state == Council.State.OPEN and council.outcome == ""

    roll_call(staff_a, council, absent=(1, 7, 8))  # 6 of 9, the chair among them
    council = close(staff_a, council)

    assert council.state == Council.State.CLOSED
    assert council.result["members_present"] == 6 and council.result["members_total"] == 9
    assert council.result["votes"] == {"yes": 6, "no": 0}  # absent members' ballots don't count


def test_the_chair_absent_needs_an_authorised_vice_chair(
    rulesets, agency_a, staff_a, proposer, experts
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    for m in open_and_declare(staff_a, council):
        vote(m, council, {"verdict": True})
    roll_call(staff_a, council, absent=(0, 7, 8))  # chair away, vice-chair not authorised

    with pytest.raises(DomainError, match="Vắng chủ tịch hội đồng và không có phó chủ tịch"):
        close(staff_a, council)

    roll_call(staff_a, council, absent=(0, 7, 8), authorised=1)
    council = close(staff_a, council)

    assert council.outcome == "RECOMMENDED"
    assert members_of(council)[1].authorised


@pytest.mark.parametrize(
    ("absent", "message"),
    [
        ((2,), "Vắng 1 ủy viên phản biện."),
        ((4,), "Vắng thư ký khoa học."),
    ],
)
def test_reviewers_and_secretary_must_be_present(
    rulesets, agency_a, staff_a, proposer, experts, absent, message
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    for m in open_and_declare(staff_a, council):
        vote(m, council, {"verdict": True})
    roll_call(staff_a, council, absent=absent)

    with pytest.raises(DomainError, match=message):
        close(staff_a, council)


def test_a_present_member_without_a_ballot_blocks_closing_by_name(
    rulesets, agency_a, staff_a, proposer, experts
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    members = open_and_declare(staff_a, council)
    for m in members[:6] + members[7:]:
        vote(m, council, {"verdict": True})
    roll_call(staff_a, council)

    with pytest.raises(DomainError) as error:
        close(staff_a, council)

    assert error.value.message == ("Còn thành viên có mặt chưa nộp phiếu: PGS.TS. Vũ Thị Hoa.")
    assert Council.objects.get(pk=council.pk).state == Council.State.OPEN


# --- identification (TT 06/2023 Đ12): more than 3/4 -----------------------------------------------


@pytest.mark.parametrize(
    ("yes", "absent", "outcome", "votes"),
    [
        (6, (8,), "NOT_RECOMMENDED", {"yes": 6, "no": 2}),  # 6/8 is exactly 3/4: not enough
        (7, (), "RECOMMENDED", {"yes": 7, "no": 2}),  # 7/9 > 3/4
    ],
)
def test_identification_needs_more_than_three_quarters(
    rulesets, agency_a, staff_a, leader_a, proposer, experts, yes, absent, outcome, votes
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    for i, m in enumerate(open_and_declare(staff_a, council)):
        vote(m, council, {"verdict": i < yes})
    roll_call(staff_a, council, absent=absent)

    council = close(staff_a, council)

    assert council.outcome == outcome
    assert council.result["votes"] == votes
    assert council.result["valid_ballots"] == sum(votes.values())
    project = council.project
    if outcome == "RECOMMENDED":
        act(
            leader_a,
            project,
            "order",
            D(2026, 1, 16),
            decision_no="12/QĐ-SKHCN",
            decision_date=D(2026, 1, 16),
        )
        assert project.process.state == "ORDERED"
    else:
        with pytest.raises(DomainError, match="chưa kết luận đề nghị đặt hàng"):
            act(
                leader_a,
                project,
                "order",
                D(2026, 1, 16),
                decision_no="12/QĐ-SKHCN",
                decision_date=D(2026, 1, 16),
            )


# --- selection (TT 20/2023 Đ10) -------------------------------------------------------------------


def test_selection_excludes_an_outlying_sheet_and_the_winner_goes_to_the_task_when_scored(
    rulesets, agency_a, staff_a, leader_a, host, rival, proposer, experts
):
    project, (winner, other) = dossiers_opened(
        staff_a, leader_a, host, rival, proposer, agency_a, experts
    )
    council = form(staff_a, project, "selection", seats(experts, 7), day=D(2026, 3, 3))
    for i, m in enumerate(open_and_declare(staff_a, council)):
        vote(m, council, {"scores": SCORES_OUTLIER if i == 6 else SCORES_HIGH}, winner)
        vote(m, council, {"scores": SCORES_LOW}, other)
    roll_call(staff_a, council)

    council = close(staff_a, council)

    # winner: 6 sheets of 84 and one of 50; mean of all 79.14, 50 is 29.14 away (> 20 %)
    result = council.result
    assert result["outcome"] == "WINNER" and result["winner"] == winner.pk
    assert (result["valid_ballots"], result["excluded_ballots"]) == (6, 1)
    assert result["mean"] == "84.00"
    first, second = result["ranking"]
    assert first["excluded_ballots"] == [members_of(council)[6].pk]
    assert (second["organisation"], second["mean"], second["eligible"]) == (
        RIVAL_ORG,
        "66.00",
        False,
    )
    assert second["reasons"] == ["Điểm trung bình 66,00 chưa đạt mức tối thiểu 70 điểm."]
    project.refresh_from_db()
    assert project.host_org == ""  # not yet: the staff's "score" step applies it

    act(staff_a, project, "score", D(2026, 3, 11))

    project.refresh_from_db()
    assert project.process.state == "SCORED"
    assert (project.host_org, project.leader_name) == (HOST_ORG, "TS. Lê Minh Tuấn")
    assert Application.objects.get(pk=winner.pk).status == Application.Status.SELECTED
    assert Application.objects.get(pk=other.pk).status == Application.Status.NOT_SELECTED


def test_a_score_sheet_is_checked_per_criterion(
    rulesets, agency_a, staff_a, leader_a, host, rival, proposer, experts
):
    project, (winner, _other) = dossiers_opened(
        staff_a, leader_a, host, rival, proposer, agency_a, experts
    )
    council = form(staff_a, project, "selection", seats(experts, 7), day=D(2026, 3, 3))
    member = open_and_declare(staff_a, council)[0]

    with pytest.raises(FieldErrors) as error:
        vote(
            member,
            council,
            {"scores": {**SCORES_HIGH, "prior": 13, "content": "20,3", "capacity": ""}},
            winner,
        )

    assert error.value.errors == {
        "scores.prior": "Điểm từ 0 đến 12, bước 0,5.",
        "scores.content": "Điểm từ 0 đến 24, bước 0,5.",
        "scores.capacity": "Chưa chấm tiêu chí này.",
    }
    with pytest.raises(FieldErrors, match="Chọn hồ sơ đăng ký được chấm"):
        vote(member, council, {"scores": SCORES_HIGH})
    # malformed input is a field error, not a crash
    for scores, field in (
        ({**SCORES_HIGH, "prior": "NaN"}, "scores.prior"),
        ({**SCORES_HIGH, "feasibility": "Infinity"}, "scores.feasibility"),
        ([10, 20, 14, 13, 13, 14], "scores.prior"),
    ):
        with pytest.raises(FieldErrors) as error:
            vote(member, council, {"scores": scores}, winner)
        assert field in error.value.errors
    assert not council.ballots.exists()
    assert (
        vote(member, council, {"scores": {**SCORES_HIGH, "prior": "9,5"}}, winner).payload[
            "scores"
        ]["prior"]
        == "9.5"
    )


# --- acceptance (TT 11/2014 Đ13) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "absent", "outcome"),
    [
        (["XUAT_SAC"] * 7 + ["DAT"] * 2, (), "XUAT_SAC"),  # 7/9 ≥ 3/4, none Không đạt
        (["XUAT_SAC"] * 6 + ["DAT"] * 3, (8,), "XUAT_SAC"),  # 6/8 is exactly 3/4
        (["XUAT_SAC"] * 6 + ["DAT"] * 3, (), "DAT"),  # 6/9 < 3/4
        (["XUAT_SAC"] * 8 + ["KHONG_DAT"], (), "DAT"),  # one Không đạt: not Xuất sắc
        (["KHONG_DAT"] * 4 + ["DAT"] * 5, (), "KHONG_DAT"),  # 4/9 > 1/3
    ],
)
def test_acceptance_rating(
    rulesets, agency_a, staff_a, leader_a, host, proposer, experts, ratings, absent, outcome
):
    council = acceptance_council(staff_a, leader_a, host, proposer, agency_a, experts)
    for i, m in enumerate(open_and_declare(staff_a, council)):
        if i not in absent:
            vote(m, council, acceptance_payload(council, ratings[i]))
    roll_call(staff_a, council, absent=absent)

    council = close(staff_a, council)

    assert council.outcome == outcome
    present = [r for i, r in enumerate(ratings) if i not in absent]
    assert council.result["votes"] == {
        r: present.count(r) for r in ("XUAT_SAC", "DAT", "KHONG_DAT")
    }
    council.project.process.refresh_from_db()
    assert council.project.process.data["rating"] == outcome


def test_an_acceptance_ballot_rates_every_product_on_every_aspect(
    rulesets, agency_a, staff_a, leader_a, host, proposer, experts
):
    council = acceptance_council(staff_a, leader_a, host, proposer, agency_a, experts)
    member = open_and_declare(staff_a, council)[0]
    first, second = council.project.products.all()
    payload = acceptance_payload(council, "DAT")
    del payload["products"][str(second.pk)]["quality"]
    payload["report"] = "TOT"

    with pytest.raises(FieldErrors) as error:
        vote(member, council, payload)

    assert error.value.errors == {
        f"products.{second.pk}.quality": f"Chưa đánh giá «{second.name}».",
        "report": "Chưa đánh giá báo cáo tổng hợp.",
    }
    for malformed in (
        {"products": ["DAT"], "report": "DAT"},
        {"products": {str(first.pk): "DAT"}, "report": ["DAT"]},
        {**acceptance_payload(council, "DAT"), "report": {"DAT": 1}},
    ):
        with pytest.raises(FieldErrors):
            vote(member, council, malformed)
    assert not council.ballots.exists()
    ballot = vote(member, council, acceptance_payload(council, "XUAT_SAC"))
    assert ballot.payload["verdict"] == "XUAT_SAC"


# --- ballots: corrections and closing ---------------------------------------------------------------


def test_a_ballot_corrected_before_closing_stays_one_row(
    rulesets, agency_a, staff_a, proposer, experts
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    member = open_and_declare(staff_a, council)[0]

    first = vote(member, council, {"verdict": True})
    second = ballot_submit(
        actor=member.expert, council=council, payload={"verdict": "khong_dat"}, comment="Trùng lặp"
    )

    assert second.pk == first.pk
    assert Ballot.objects.filter(member=member).count() == 1
    stored = Ballot.objects.get(member=member)
    assert (stored.payload, stored.comment) == ({"verdict": False}, "Trùng lặp")


def test_ballots_and_declarations_are_refused_after_closing(
    rulesets, agency_a, staff_a, proposer, experts
):
    council = identification_council(staff_a, proposer, agency_a, experts)
    members = open_and_declare(staff_a, council)
    for m in members:
        vote(m, council, {"verdict": True})
    roll_call(staff_a, council)
    close(staff_a, council)

    with pytest.raises(DomainError) as error:
        vote(members[0], council, {"verdict": False})

    assert error.value.status == 409
    assert Ballot.objects.get(member=members[0]).payload == {"verdict": True}
    with pytest.raises(DomainError) as error:
        close(staff_a, council)
    assert error.value.status == 409
