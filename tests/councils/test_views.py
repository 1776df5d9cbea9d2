"""The council pages: staff form, open, call the roll and conclude; an expert declares, reads,
votes and sees the result; everyone else gets a 404. Wrong input is answered in Vietnamese
and changes nothing."""

import datetime as dt
import re

import pytest

from khcn.accounts.models import Role
from khcn.core import clock
from khcn.councils.models import Ballot, Council, CouncilMember
from khcn.projects.models import Project
from tests.councils.test_services import (
    MEETING,
    SCORES_HIGH,
    acceptance_council,
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
from tests.factories import UserFactory, user_with_role
from tests.projects.steps import propose

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def create_data(experts, rows: int = 9, **overrides) -> dict:
    data = {
        "kind": "identification",
        "decision_no": "05/QĐ-SKHCN",
        "decision_date": "08/01/2026",
        "meeting_date": "15/01/2026",
        "meeting_place": "Phòng họp tầng 3",
    }
    for i, (user, role, degree) in enumerate(seats(experts, rows)):
        data |= {f"m{i}_expert": str(user.pk), f"m{i}_role": role, f"m{i}_degree": degree}
    return data | overrides


@pytest.fixture
def project(rulesets, proposer, agency_a) -> Project:
    return propose(proposer, agency_a)


@pytest.fixture
def council(rulesets, staff_a, proposer, agency_a, experts) -> Council:
    with clock.travel(dt.date(2026, 1, 8)):
        return identification_council(staff_a, proposer, agency_a, experts)


# --- forming --------------------------------------------------------------------------------------


def test_the_form_offers_eleven_rows_of_the_agency_experts_in_vietnamese_order(
    client_of, staff_a, project, experts, agency_b
):
    user_with_role(Role.EXPERT, agency_b, full_name="TS. An Văn Ngoại")

    page = html(client_of(staff_a).get(f"/nhiem-vu/{project.pk}/hoi-dong/moi/?loai=identification"))

    assert "Lập hội đồng tư vấn xác định nhiệm vụ" in page
    assert 'name="m10_expert"' in page and 'name="m11_expert"' not in page
    assert "TS. An Văn Ngoại" not in page  # another agency's expert
    first_row = page.split('name="m0_expert"')[1].split("</select>")[0]
    names = [e.full_name for e in experts]
    positions = [first_row.index(n) for n in names]
    # Vietnamese order of the whole name: "GS.TS. …" < "PGS.TS. …" < "TS. …" < "ThS. …"
    assert [n for _p, n in sorted(zip(positions, names, strict=True))][:2] == [
        "GS.TS. Nguyễn Văn Hải",
        "PGS.TS. Trần Thị Mai",
    ]
    for role in ("Chủ tịch", "Phó Chủ tịch", "Ủy viên phản biện", "Thư ký khoa học", "Ủy viên"):
        assert role in page


def test_staff_form_a_council_and_land_on_its_page(client_of, staff_a, project, experts):
    client = client_of(staff_a)

    response = client.post(
        f"/nhiem-vu/{project.pk}/hoi-dong/moi/?loai=identification", create_data(experts)
    )

    council = Council.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == f"/hoi-dong/{council.pk}/"
    assert (council.decision_no, council.meeting_date) == ("05/QĐ-SKHCN", dt.date(2026, 1, 15))
    assert council.members.count() == 9
    page = html(client.get(response["Location"]))
    assert "Đã lập hội đồng tư vấn xác định nhiệm vụ với 9 thành viên." in page
    assert "Mở phiên đánh giá" in page


@pytest.mark.parametrize(
    ("overrides", "rows", "message"),
    [
        ({}, 6, "Hội đồng cần từ 7 đến 11 thành viên (đang có 6)."),
        ({"m4_role": "member"}, 9, "Hội đồng cần 1 thư ký khoa học (đang có 0)."),
        ({"decision_no": " "}, 9, "Cần số quyết định thành lập."),
        ({"meeting_date": "05/01/2026"}, 9, "Ngày họp không thể trước ngày quyết định."),
        ({"meeting_date": "2026-13-45"}, 9, "Nhập ngày theo dạng dd/mm/yyyy."),
        ({"m2_role": ""}, 9, "Chọn vai trò của thành viên."),
        ({"m8_expert": "999999"}, 9, "Chuyên gia này không có trong danh sách của Sở."),
    ],
)
def test_a_wrong_council_is_explained_and_not_saved(
    client_of, staff_a, project, experts, overrides, rows, message
):
    response = client_of(staff_a).post(
        f"/nhiem-vu/{project.pk}/hoi-dong/moi/", create_data(experts, rows, **overrides)
    )

    assert message in html(response)
    assert not Council.objects.exists()


def test_an_expert_of_the_proposer_is_refused_on_the_form(
    client_of, staff_a, project, experts, agency_a
):
    district = user_with_role(
        Role.EXPERT, agency_a, full_name="ThS. Vũ Văn Bình", organisation="UBND huyện Thủy Nguyên"
    )
    data = create_data(experts) | {"m8_expert": str(district.pk)}

    page = html(client_of(staff_a).post(f"/nhiem-vu/{project.pk}/hoi-dong/moi/", data))

    assert "ThS. Vũ Văn Bình công tác tại UBND huyện Thủy Nguyên" in page
    assert not Council.objects.exists()


def test_a_selection_council_cannot_be_formed_for_a_proposal(client_of, staff_a, project, experts):
    data = create_data(experts, 7, kind="selection")

    page = html(client_of(staff_a).post(f"/nhiem-vu/{project.pk}/hoi-dong/moi/", data))

    assert "chưa lập hội đồng tư vấn tuyển chọn được" in page
    assert not Council.objects.exists()


# --- staff: open, roll call, conclude -------------------------------------------------------------


def test_staff_open_the_council_and_the_decision_is_filed(client_of, staff_a, council):
    client = client_of(staff_a)

    response = client.post(f"/hoi-dong/{council.pk}/mo-phien/")

    assert response.status_code == 302
    council.refresh_from_db()
    assert council.state == Council.State.OPEN
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Quyết định thành lập hội đồng" in page  # the generated decision, among the documents
    assert "/tai-lieu/" in page
    assert "Điểm danh tại cuộc họp" in page and "Kết luận" in page
    assert "0/9" in page  # nobody has voted yet


def test_closing_without_quorum_shows_why_and_the_council_stays_open(client_of, staff_a, council):
    for m in open_and_declare(staff_a, council):
        vote(m, council, {"verdict": True})
    members = members_of(council)
    client = client_of(staff_a)
    client.post(
        f"/hoi-dong/{council.pk}/diem-danh/",
        {f"present_{m.pk}": "on" for m in members[:5]},
    )

    page = html(client.post(f"/hoi-dong/{council.pk}/ket-luan/"))

    assert "Chưa kết luận được" in page
    assert "Chưa đủ 2/3 số thành viên có mặt (5/9)." in page
    assert Council.objects.get(pk=council.pk).state == Council.State.OPEN


def test_a_missing_ballot_is_named_when_closing(client_of, staff_a, council):
    members = open_and_declare(staff_a, council)
    for m in members[1:]:
        vote(m, council, {"verdict": True})
    roll_call(staff_a, council)

    page = html(client_of(staff_a).post(f"/hoi-dong/{council.pk}/ket-luan/"))

    assert "Còn thành viên có mặt chưa nộp phiếu: GS.TS. Nguyễn Văn Hải." in page


def test_roll_call_with_an_authorised_vice_chair_then_conclude(client_of, staff_a, council):
    for m in open_and_declare(staff_a, council):
        vote(m, council, {"verdict": True})
    members = members_of(council)
    client = client_of(staff_a)
    present = {f"present_{m.pk}": "on" for m in members[1:7]}  # chair away

    client.post(f"/hoi-dong/{council.pk}/diem-danh/", present)
    assert "Vắng chủ tịch hội đồng" in html(client.get(f"/hoi-dong/{council.pk}/"))
    client.post(f"/hoi-dong/{council.pk}/diem-danh/", present | {"authorised": str(members[1].pk)})
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Đủ điều kiện họp: 6/9 thành viên có mặt." in page
    assert "chủ trì thay chủ tịch" in page

    response = client.post(f"/hoi-dong/{council.pk}/ket-luan/")

    assert response.status_code == 302
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Hội đồng đã kết luận: Đề nghị đặt hàng." in page
    assert "Biên bản họp hội đồng tư vấn" in page


def test_a_roll_call_naming_someone_else_as_vice_chair_is_refused(client_of, staff_a, council):
    open_and_declare(staff_a, council)
    members = members_of(council)

    page = html(
        client_of(staff_a).post(
            f"/hoi-dong/{council.pk}/diem-danh/", {"authorised": str(members[0].pk)}
        )
    )

    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert not CouncilMember.objects.filter(present__isnull=False).exists()


def test_staff_replace_a_member_who_declared_a_conflict(client_of, staff_a, council, experts):
    with clock.travel(MEETING):
        from khcn.councils.services import conflict_declare, council_open

        council_open(actor=staff_a, council=council)
        leaving = members_of(council)[3]
        conflict_declare(
            actor=leaving.expert, member=leaving, has_conflict=True, note="Người thân làm ở huyện."
        )
    client = client_of(staff_a)
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "1 thành viên đã rút do xung đột lợi ích" in page
    assert "Người thân làm ở huyện." in page

    url = f"/hoi-dong/{council.pk}/thay-thanh-vien/"
    sitting = client.post(url, {"member": str(leaving.pk), "expert": str(experts[0].pk)})
    assert "Chọn một chuyên gia trong danh sách" in html(sitting)  # already sitting: not offered
    not_vacant = members_of(council)[0]
    wrong_seat = client.post(url, {"member": str(not_vacant.pk), "expert": str(experts[9].pk)})
    assert "Chọn thành viên được thay trong danh sách." in html(wrong_seat)
    assert len(members_of(council)) == 8
    response = client.post(
        url, {"member": str(leaving.pk), "expert": str(experts[9].pk), "degree": "TS."}
    )

    assert response.status_code == 302
    seat = members_of(council)[-1]
    assert (seat.expert, seat.role) == (experts[9], "reviewer")
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Người thay: TS. Đinh Văn Khoa" in page
    assert "đã rút do xung đột lợi ích; chọn" not in page
    assert "Thay thành viên đã rút" not in page


def test_before_opening_staff_may_swap_any_member(client_of, staff_a, council, experts):
    client = client_of(staff_a)
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Thay thành viên trước khi mở phiên" in page
    chair = members_of(council)[0]

    response = client.post(
        f"/hoi-dong/{council.pk}/thay-thanh-vien/",
        {"member": str(chair.pk), "expert": str(experts[10].pk), "degree": "TS."},
    )

    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.removed_at is not None
    assert members_of(council)[-1].expert == experts[10]
    assert members_of(council)[-1].role == "chair"
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "TS. Lý Thị Hạnh thay GS.TS. Nguyễn Văn Hải (chủ tịch)." in page


def test_the_rows_start_with_the_roles_every_council_needs(client_of, staff_a, project):
    page = html(client_of(staff_a).get(f"/nhiem-vu/{project.pk}/hoi-dong/moi/"))

    for i, role in enumerate(
        ["chair", "vice_chair", "reviewer", "reviewer", "secretary", "member"]
    ):
        row = page.split(f'name="m{i}_role"')[1].split("</select>")[0]
        assert re.search(rf'value="{role}"[^>]*selected', row), (i, role)


# --- the expert -----------------------------------------------------------------------------------


def test_an_expert_declares_then_reads_votes_corrects_and_sees_the_result(
    client_of, staff_a, council, experts
):
    with clock.travel(MEETING):
        from khcn.councils.services import council_open

        council_open(actor=staff_a, council=council)
    client = client_of(experts[0])

    listing = html(client.get("/hoi-dong/"))
    assert "Hội đồng tôi tham gia" in listing and "Cần khai báo xung đột lợi ích" in listing
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Gửi khai báo" in page
    assert "Hồ sơ đánh giá" not in page and "Bãi thải thạch cao phospho" not in page
    assert client.get(f"/hoi-dong/{council.pk}/phieu/").status_code == 302

    missing = html(client.post(f"/hoi-dong/{council.pk}/khai-bao/", {"has_conflict": "1"}))
    assert "Ghi rõ nội dung xung đột lợi ích." in missing
    assert members_of(council)[0].conflict == "pending"

    response = client.post(f"/hoi-dong/{council.pk}/khai-bao/", {"has_conflict": "0"})
    assert response.status_code == 302
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Hồ sơ đánh giá" in page and "Bãi thải thạch cao phospho" in page
    assert "Cần chấm điểm / bỏ phiếu" in page

    ballot_page = html(client.get(f"/hoi-dong/{council.pk}/phieu/"))
    assert "Đạt yêu cầu" in ballot_page and "Không đạt yêu cầu" in ballot_page
    empty = html(client.post(f"/hoi-dong/{council.pk}/phieu/", {"comment": "Cần bổ sung"}))
    assert "Chọn «Đạt yêu cầu» hoặc «Không đạt yêu cầu»." in empty
    assert not Ballot.objects.exists()

    client.post(f"/hoi-dong/{council.pk}/phieu/", {"verdict": "dat", "comment": "Cấp thiết."})
    client.post(f"/hoi-dong/{council.pk}/phieu/", {"verdict": "khong_dat", "comment": "Trùng"})
    stored = Ballot.objects.get()
    assert (stored.payload, stored.comment) == ({"verdict": False}, "Trùng")
    again = html(client.get(f"/hoi-dong/{council.pk}/phieu/"))
    assert re.search(r'value="khong_dat"[^>]*checked', again)

    for m in members_of(council)[1:]:
        with clock.travel(MEETING):
            from khcn.councils.services import conflict_declare

            conflict_declare(actor=m.expert, member=m, has_conflict=False)
        vote(m, council, {"verdict": True})
    roll_call(staff_a, council)
    close(staff_a, council)

    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Kết luận của hội đồng" in page and "Đề nghị đặt hàng" in page
    assert html(client.get("/hoi-dong/")).count("Đã kết luận") >= 1
    response = client.get(f"/hoi-dong/{council.pk}/phieu/")
    assert response.status_code == 302
    assert "phiếu không sửa được nữa" in html(client.get(response["Location"]))


def test_an_expert_who_declares_a_conflict_leaves_the_council(client_of, staff_a, council, experts):
    with clock.travel(MEETING):
        from khcn.councils.services import council_open

        council_open(actor=staff_a, council=council)
    client = client_of(experts[2])

    response = client.post(
        f"/hoi-dong/{council.pk}/khai-bao/",
        {"has_conflict": "1", "note": "Tôi là cố vấn của đơn vị đề xuất."},
    )

    assert response.status_code == 302 and response["Location"] == "/"
    assert "rút khỏi hội đồng" in html(client.get("/"))
    assert client.get(f"/hoi-dong/{council.pk}/").status_code == 404


def test_a_selection_score_sheet_per_application(
    client_of, staff_a, leader_a, host, rival, proposer, agency_a, experts
):
    project, (winner, other) = dossiers_opened(
        staff_a, leader_a, host, rival, proposer, agency_a, experts
    )
    council = form(staff_a, project, "selection", seats(experts, 7), day=dt.date(2026, 3, 3))
    open_and_declare(staff_a, council)
    client = client_of(experts[0])
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Trường Đại học Hải Phòng" in page and "Viện Nghiên cứu Cơ khí" in page
    assert "Thuyết minh nhiệm vụ – Trường Đại học Hải Phòng" in page

    response = client.get(f"/hoi-dong/{council.pk}/phieu/")
    assert response["Location"] == f"/hoi-dong/{council.pk}/phieu/?ho_so={winner.pk}"
    sheet = html(client.get(response["Location"]))
    assert "Nội dung và phương pháp nghiên cứu" in sheet and 'step="0.5"' in sheet
    assert 'max="24"' in sheet

    url = f"/hoi-dong/{council.pk}/phieu/?ho_so={winner.pk}"
    scores = {f"score_{k}": str(v) for k, v in SCORES_HIGH.items()}
    wrong = html(client.post(url, scores | {"score_prior": "12,5", "score_content": ""}))
    assert "Điểm từ 0 đến 12, bước 0,5." in wrong and "Chưa chấm tiêu chí này." in wrong
    assert "Điểm phải là số." in html(client.post(url, scores | {"score_products": "NaN"}))
    assert not council.ballots.exists()

    response = client.post(url, scores | {"score_prior": "9,5"})

    assert response["Location"] == f"/hoi-dong/{council.pk}/phieu/?ho_so={other.pk}"
    assert council.ballots.get(application=winner).payload["scores"]["prior"] == "9.5"
    again = html(client.get(url))
    assert 'value="9.5"' in again and "83,5" in again  # the total, before any script runs


def test_an_acceptance_ballot_rates_products_by_aspect(
    client_of, staff_a, leader_a, host, proposer, agency_a, experts
):
    council = acceptance_council(staff_a, leader_a, host, proposer, agency_a, experts)
    open_and_declare(staff_a, council)
    first, second = council.project.products.all()
    client = client_of(experts[0])
    url = f"/hoi-dong/{council.pk}/phieu/"
    page = html(client.get(url))
    for label in ("Số lượng", "Khối lượng", "Chất lượng", "Báo cáo tổng hợp kết quả", "Xuất sắc"):
        assert label in page

    data = {
        f"p{p.pk}_{a}": "XUAT_SAC"
        for p in (first, second)
        for a in ("quantity", "volume", "quality")
    }
    wrong = html(client.post(url, data | {f"p{second.pk}_quality": ""}))
    assert f"Chưa đánh giá «{second.name}»." in wrong
    assert "Chưa đánh giá báo cáo tổng hợp." in wrong
    assert not council.ballots.exists()

    assert client.post(url, data | {"report": "DAT"}).status_code == 302
    assert council.ballots.get().payload["verdict"] == "XUAT_SAC"


# --- who sees what --------------------------------------------------------------------------------


def test_staff_list_filters_by_kind_and_state(client_of, staff_a, council):
    client = client_of(staff_a)

    page = html(client.get("/hoi-dong/"))
    assert council.decision_no in page and "Đang thành lập" in page
    assert council.decision_no not in html(client.get("/hoi-dong/?loai=acceptance"))
    assert council.decision_no not in html(client.get("/hoi-dong/?trang_thai=open"))
    partial = html(client.get("/hoi-dong/?loai=identification", HTTP_HX_REQUEST="true"))
    assert council.decision_no in partial and "<html" not in partial


@pytest.mark.parametrize("who", ["staff_b", "stranger", "other_expert"])
def test_outsiders_get_a_404(client_of, council, staff_b, experts, who, project):
    user = {"staff_b": staff_b, "stranger": UserFactory(), "other_expert": experts[10]}[who]
    client = client_of(user)

    for url in (
        f"/hoi-dong/{council.pk}/",
        f"/hoi-dong/{council.pk}/phieu/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/hoi-dong/{council.pk}/mo-phien/",
        f"/hoi-dong/{council.pk}/ket-luan/",
        f"/hoi-dong/{council.pk}/khai-bao/",
        f"/hoi-dong/{council.pk}/diem-danh/",
    ):
        assert client.post(url).status_code == 404, url
    assert client.get(f"/nhiem-vu/{project.pk}/hoi-dong/moi/").status_code == 404
    assert council.decision_no not in client.get("/hoi-dong/").content.decode()
    assert Council.objects.get(pk=council.pk).state == Council.State.FORMING


def test_a_member_cannot_run_the_council(client_of, staff_a, council, experts):
    client = client_of(experts[0])

    assert client.post(f"/hoi-dong/{council.pk}/mo-phien/").status_code == 403
    assert client.get(f"/nhiem-vu/{council.project.pk}/hoi-dong/moi/").status_code == 404
    page = html(client.get(f"/hoi-dong/{council.pk}/"))
    assert "Chờ mở phiên đánh giá" in page and "Mở phiên đánh giá</button>" not in page


def test_staff_do_not_vote(client_of, staff_a, council):
    open_and_declare(staff_a, council)

    assert client_of(staff_a).get(f"/hoi-dong/{council.pk}/phieu/").status_code == 403
