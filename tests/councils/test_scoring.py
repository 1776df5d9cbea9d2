"""Council aggregation rules (khcn.councils.scoring), worked by hand.

No database: every test is a plain function over the rule tables below, which are parsed
from TOML exactly as a rule set would carry them.
"""

import copy
import tomllib
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from khcn.councils.scoring import (
    RULE_CHECKS,
    Candidate,
    Presence,
    Rating,
    Sheet,
    acceptance_result,
    check_rules,
    display_score,
    identification_result,
    member_verdict,
    parse_share,
    quorum,
    selection_result,
)

RULES_TOML = """
[rules.quorum]
min_present = "2/3"
reviewers = 2
secretary = true
chair_or_authorised_vice = true

[rules.identification]
members_min = 7
members_max = 11
recommend_share_above = "3/4"

[rules.selection]
members_min = 7
members_max = 9
criteria = [
  { code = "prior", label = "Tổng quan tình hình nghiên cứu", max = 12 },
  { code = "content", label = "Nội dung và phương pháp nghiên cứu", max = 24 },
  { code = "products", label = "Sản phẩm và kết quả", max = 16 },
  { code = "applicability", label = "Khả năng ứng dụng", max = 16 },
  { code = "feasibility", label = "Tính khả thi và kinh phí", max = 16 },
  { code = "capacity", label = "Năng lực tổ chức, cá nhân", max = 16 },
]
outlier_pct = 20
pass_mean = 70
proposer_bonus_pct = 10
proposer_bonus_min_mean = 70
zero_criterion_max_share = "1/4"
content_criterion = "content"
tie_breakers = ["state_budget", "recent_excellent", "content_method"]

[rules.acceptance]
members_min = 7
members_max = 9
aspects = ["quantity", "volume", "quality"]
member_excellent_share = "1/2"
excellent_share_min = "3/4"
fail_share_above = "1/3"
"""

RULES = tomllib.loads(RULES_TOML)["rules"]
QUORUM = RULES["quorum"]
IDENTIFICATION = RULES["identification"]
SELECTION = RULES["selection"]
ACCEPTANCE = RULES["acceptance"]

XS, DAT, KD = "XUAT_SAC", "DAT", "KHONG_DAT"


def rules_with(section: str, **changes) -> dict:
    """A deep copy of RULES with some keys of one section changed (None deletes the key)."""
    rules = copy.deepcopy(RULES)
    for key, value in changes.items():
        if value is None:
            del rules[section][key]
        else:
            rules[section][key] = value
    return rules


# ---------------------------------------------------------------------------
# parse_share
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3/4", F(3, 4)),
        ("2/3", F(2, 3)),
        ("1/3", F(1, 3)),
        ("6/8", F(3, 4)),
        (" 1/2 ", F(1, 2)),
        ("0/1", F(0)),
        (1, F(1)),
        (0, F(0)),
    ],
)
def test_parse_share_accepts_fractions_and_ints(value, expected):
    assert parse_share(value) == expected
    assert isinstance(parse_share(value), F)


@pytest.mark.parametrize(
    "value",
    ["0.75", 0.75, D("0.75"), F(3, 4), True, "3/0", "3/4/5", "", "-1/2", -1, None, "ba phần tư"],
)
def test_parse_share_refuses_everything_else_in_vietnamese(value):
    with pytest.raises(ValueError, match="Tỷ lệ|Mẫu số"):
        parse_share(value)


# ---------------------------------------------------------------------------
# check_rules
# ---------------------------------------------------------------------------


def test_the_reference_rules_are_sound():
    assert check_rules(RULES) == []
    assert set(RULE_CHECKS) == {"quorum", "identification", "selection", "acceptance"}


def test_other_sections_of_rules_are_not_ours_to_judge():
    assert check_rules({**RULES, "deadlines": {"anything": 1}}) == []


def test_criteria_must_sum_to_100():
    rules = copy.deepcopy(RULES)
    rules["selection"]["criteria"][0]["max"] = 10  # 10 + 24 + 16 × 4 = 98
    assert check_rules(rules) == [
        "Tổng điểm tối đa của các tiêu chí là 98, phải bằng 100.",
    ]


@pytest.mark.parametrize("bad", ["0.75", 0.75, "3/0", "ba phần tư"])
def test_a_share_written_as_a_decimal_is_refused(bad):
    errors = check_rules(rules_with("identification", recommend_share_above=bad))
    assert len(errors) == 1
    assert "«recommend_share_above» trong [rules.identification]" in errors[0]


def test_a_share_above_one_is_refused():
    errors = check_rules(rules_with("acceptance", excellent_share_min="4/3"))
    assert errors == [
        "«excellent_share_min» trong [rules.acceptance] phải là tỷ lệ từ lớn hơn 0 đến 1."
    ]


def test_an_unknown_tie_breaker_is_refused():
    errors = check_rules(rules_with("selection", tie_breakers=["state_budget", "coin_toss"]))
    assert len(errors) == 1
    assert "«coin_toss»" in errors[0]


def test_a_repeated_tie_breaker_is_refused():
    errors = check_rules(rules_with("selection", tie_breakers=["state_budget", "state_budget"]))
    assert errors == ["Tiêu chí phân định «state_budget» được khai báo hai lần."]


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("quorum", "min_present"),
        ("quorum", "secretary"),
        ("identification", "recommend_share_above"),
        ("selection", "pass_mean"),
        ("selection", "criteria"),
        ("acceptance", "aspects"),
        ("acceptance", "fail_share_above"),
    ],
)
def test_a_missing_key_is_named(section, key):
    errors = check_rules(rules_with(section, **{key: None}))
    assert f"Thiếu khóa «{key}» trong [rules.{section}]." in errors


def test_a_missing_section_is_named():
    rules = copy.deepcopy(RULES)
    del rules["acceptance"]
    assert check_rules(rules) == ["Thiếu mục [rules.acceptance]."]


def test_a_misspelt_key_is_refused():
    rules = rules_with("selection", pass_mean=None)
    rules["selection"]["pass_mea"] = 70
    assert check_rules(rules) == [
        "Khóa «pass_mea» trong [rules.selection] không được hỗ trợ.",
        "Thiếu khóa «pass_mean» trong [rules.selection].",
    ]


@pytest.mark.parametrize(
    ("section", "changes", "fragment"),
    [
        ("quorum", {"reviewers": True}, "«reviewers» trong [rules.quorum] phải là số nguyên."),
        (
            "quorum",
            {"secretary": "có"},
            "«secretary» trong [rules.quorum] phải là true hoặc false.",
        ),
        (
            "selection",
            {"outlier_pct": 20.0},
            "«outlier_pct» trong [rules.selection] phải là số nguyên.",
        ),
        (
            "selection",
            {"outlier_pct": 120},
            "«outlier_pct» trong [rules.selection] phải từ 0 đến 100.",
        ),
        ("selection", {"content_criterion": "method"}, "content_criterion «method»"),
        ("selection", {"tie_breakers": "state_budget"}, "phải là danh sách chuỗi"),
        ("identification", {"members_min": 12}, "members_min (12) lớn hơn members_max (11)"),
        ("acceptance", {"aspects": []}, "aspects trong [rules.acceptance]"),
    ],
)
def test_wrong_types_and_ranges_are_refused(section, changes, fragment):
    errors = check_rules(rules_with(section, **changes))
    assert len(errors) == 1
    assert fragment in errors[0]


def test_criteria_codes_must_be_unique():
    rules = copy.deepcopy(RULES)
    rules["selection"]["criteria"][1]["code"] = "prior"
    errors = check_rules(rules)
    assert "Mã tiêu chí «prior» được khai báo hai lần." in errors


def test_rules_that_are_not_a_table():
    assert check_rules([]) == ["[rules] phải là một bảng (table)."]
    assert check_rules({**RULES, "quorum": "2/3"}) == ["[rules.quorum] phải là một bảng (table)."]


def test_each_rule_refuses_to_run_on_bad_rules():
    with pytest.raises(ValueError, match="min_present"):
        quorum([], {**QUORUM, "min_present": "0.66"})
    with pytest.raises(ValueError, match="recommend_share_above"):
        identification_result([True], {**IDENTIFICATION, "recommend_share_above": 0.75})
    with pytest.raises(ValueError, match="coin_toss"):
        selection_result([], 7, {**SELECTION, "tie_breakers": ["coin_toss"]})
    with pytest.raises(ValueError, match="fail_share_above"):
        acceptance_result([], 9, {**ACCEPTANCE, "fail_share_above": None})


# ---------------------------------------------------------------------------
# Quorum — NĐ 08/2014 Đ33: ≥ 2/3 present, chair (or authorised vice), 2 reviewers, secretary
# ---------------------------------------------------------------------------

# A council of nine: 1 chair, 2 vice-chair, 3–4 reviewers, 5 secretary, 6–9 members.
COUNCIL = [
    (1, "chair"),
    (2, "vice_chair"),
    (3, "reviewer"),
    (4, "reviewer"),
    (5, "secretary"),
    (6, "member"),
    (7, "member"),
    (8, "member"),
    (9, "member"),
]


def council(present: set[int], *, authorised: set[int] = frozenset(), roles=COUNCIL):
    return [
        Presence(member_id=i, role=role, present=i in present, authorised=i in authorised)
        for i, role in roles
    ]


def test_quorum_exactly_two_thirds_present():
    # 9 × 2/3 = 6: chair, both reviewers, secretary and two members.
    result = quorum(council({1, 3, 4, 5, 6, 7}), QUORUM)
    assert result.ok
    assert (result.present, result.total, result.reasons) == (6, 9, ())


def test_quorum_one_short_of_two_thirds():
    result = quorum(council({1, 3, 4, 5, 6}), QUORUM)
    assert not result.ok
    assert result.reasons == ("Chưa đủ 2/3 số thành viên có mặt (5/9).",)


@pytest.mark.parametrize(("present", "ok"), [(6, True), (5, False)])
def test_quorum_rounds_the_required_number_up(present, ok):
    # 8 × 2/3 = 5.33…, so 6 must be present.
    roles = COUNCIL[:8]
    result = quorum(council(set(range(1, 1 + present)) | {3, 4, 5}, roles=roles), QUORUM)
    assert result.present == max(present, 5)
    assert result.ok is ok


def test_quorum_everyone_present():
    assert quorum(council(set(range(1, 10))), QUORUM).ok


def test_quorum_authorised_vice_chair_replaces_the_chair():
    result = quorum(council({2, 3, 4, 5, 6, 7}, authorised={2}), QUORUM)
    assert result.ok


def test_quorum_unauthorised_vice_chair_does_not_replace_the_chair():
    result = quorum(council({2, 3, 4, 5, 6, 7}), QUORUM)
    assert not result.ok
    assert result.reasons == ("Vắng chủ tịch hội đồng và không có phó chủ tịch được ủy quyền.",)


def test_quorum_authorised_but_absent_vice_chair_does_not_count():
    result = quorum(council({3, 4, 5, 6, 7, 8}, authorised={2}), QUORUM)
    assert result.reasons == ("Vắng chủ tịch hội đồng và không có phó chủ tịch được ủy quyền.",)


def test_quorum_missing_one_reviewer():
    result = quorum(council({1, 2, 3, 5, 6, 7, 8}), QUORUM)
    assert not result.ok
    assert result.reasons == ("Vắng 1 ủy viên phản biện.",)


def test_quorum_missing_both_reviewers_and_the_secretary():
    result = quorum(council({1, 2, 6, 7, 8, 9}), QUORUM)
    assert result.reasons == ("Vắng 2 ủy viên phản biện.", "Vắng thư ký khoa học.")


def test_quorum_every_reason_at_once():
    result = quorum(council({6, 7}), QUORUM)
    assert result.reasons == (
        "Chưa đủ 2/3 số thành viên có mặt (2/9).",
        "Vắng chủ tịch hội đồng và không có phó chủ tịch được ủy quyền.",
        "Vắng 2 ủy viên phản biện.",
        "Vắng thư ký khoa học.",
    )


def test_quorum_role_requirements_come_from_the_rules():
    relaxed = {**QUORUM, "reviewers": 1, "secretary": False, "chair_or_authorised_vice": False}
    assert quorum(council({3, 6, 7, 8, 9, 2}), relaxed).ok


def test_quorum_of_an_empty_council():
    result = quorum([], QUORUM)
    assert not result.ok
    assert result.reasons[0] == "Hội đồng chưa có thành viên."


def test_quorum_refuses_unknown_roles_and_duplicates():
    with pytest.raises(ValueError, match="Vai trò «observer»"):
        quorum([Presence(1, "observer", True)], QUORUM)
    with pytest.raises(ValueError, match="Thành viên 1 được khai báo hai lần"):
        quorum([Presence(1, "chair", True), Presence(1, "member", True)], QUORUM)


# ---------------------------------------------------------------------------
# Identification — TT 06/2023 Đ12: recommended when yes / valid ballots > 3/4
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "recommended"),
    [
        (6, 2, False),  # 6/8 = 3/4 exactly: not more than 3/4
        (7, 2, True),  # 7/9 = 0.777… > 3/4
        (9, 2, True),  # 9/11 = 0.818… > 3/4
        (8, 3, False),  # 8/11 = 0.727… < 3/4
        (5, 2, False),  # 5/7 = 0.714… < 3/4
        (7, 0, True),  # unanimous
        (0, 7, False),
    ],
)
def test_identification_needs_more_than_three_quarters(yes, no, recommended):
    result = identification_result([True] * yes + [False] * no, IDENTIFICATION)
    assert result.recommended is recommended
    assert (result.yes, result.no, result.valid_ballots) == (yes, no, yes + no)
    assert result.share == F(yes, yes + no)


def test_identification_exactly_three_quarters_is_exact():
    result = identification_result([True] * 6 + [False] * 2, IDENTIFICATION)
    assert result.share == F(3, 4)
    assert not result.recommended


def test_identification_without_ballots_is_not_recommended():
    result = identification_result([], IDENTIFICATION)
    assert not result.recommended
    assert (result.yes, result.no, result.valid_ballots, result.share) == (0, 0, 0, F(0))


def test_identification_threshold_comes_from_the_rules():
    # Under a 2/3 rule, 6 of 8 (3/4) is enough.
    rules = {**IDENTIFICATION, "recommend_share_above": "2/3"}
    assert identification_result([True] * 6 + [False] * 2, rules).recommended


@pytest.mark.parametrize("ballot", [1, "Đạt", None])
def test_identification_ballots_are_booleans(ballot):
    with pytest.raises(ValueError, match="Phiếu thẩm định"):
        identification_result([True, ballot], IDENTIFICATION)


# ---------------------------------------------------------------------------
# Selection — TT 20/2023 Đ10
# ---------------------------------------------------------------------------

MAXIMA = {c["code"]: c["max"] for c in SELECTION["criteria"]}  # 12/24/16/16/16/16


def scores(total) -> dict[str, D]:
    """A sheet totalling `total`, spread in proportion to each criterion's maximum
    (so no criterion is ever 0 unless the total is)."""
    total = D(str(total))
    return {code: D(maximum) * total / 100 for code, maximum in MAXIMA.items()}


def sheets(*totals, first_member: int = 1) -> list[Sheet]:
    return [Sheet(member_id=first_member + i, scores=scores(t)) for i, t in enumerate(totals)]


def candidate(cid: int, *totals, budget="1000000000", **kwargs) -> Candidate:
    return Candidate(id=cid, sheets=sheets(*totals), state_budget=D(budget), **kwargs)


def result_of(selection, cid: int):
    return next(r for r in selection.ranking if r.id == cid)


def test_selection_plain_winner():
    selection = selection_result([candidate(1, *[80] * 7), candidate(2, *[75] * 7)], 7, SELECTION)
    assert selection.winner_id == 1
    assert [(r.id, r.rank, r.mean, r.eligible) for r in selection.ranking] == [
        (1, 1, D(80), True),
        (2, 2, D(75), True),
    ]
    first = selection.ranking[0]
    assert first.valid_ballots == (1, 2, 3, 4, 5, 6, 7)
    assert first.excluded_ballots == ()
    assert first.criterion_means == {
        "prior": D("9.6"),
        "content": D("19.2"),
        "products": D("12.8"),
        "applicability": D("12.8"),
        "feasibility": D("12.8"),
        "capacity": D("12.8"),
    }
    assert first.reasons == ()
    assert selection.tied_ids == ()


def test_selection_sheet_exactly_20_percent_below_the_mean_stays_valid():
    # Totals 64, 82, 82, 82, 82, 84, 84 → sum 560, mean 80; 20 % of 80 = 16.
    # |64 − 80| = 16, not more than 16 → valid; the mean of the 7 valid sheets stays 80.
    selection = selection_result([candidate(1, 64, 82, 82, 82, 82, 84, 84)], 7, SELECTION)
    r = selection.ranking[0]
    assert r.excluded_ballots == ()
    assert r.valid_ballots == (1, 2, 3, 4, 5, 6, 7)
    assert r.mean == D(80)


def test_selection_sheet_exactly_20_percent_above_the_mean_stays_valid():
    # Totals 96, 78, 78, 78, 78, 76, 76 → sum 560, mean 80; |96 − 80| = 16 → valid.
    r = selection_result([candidate(1, 96, 78, 78, 78, 78, 76, 76)], 7, SELECTION).ranking[0]
    assert r.excluded_ballots == ()
    assert r.mean == D(80)


def test_selection_sheet_20_01_percent_off_is_excluded():
    # Totals 63.992, 82, 82, 82, 82, 84, 84.008 → sum 560, mean 80; 20 % of 80 = 16.
    # |63.992 − 80| = 16.008 = 20.01 % of 80 > 16 → member 1's sheet is excluded.
    # The other six are at most 4.008 away. Valid mean = 496.008 / 6 = 82.668.
    selection = selection_result(
        [candidate(1, "63.992", 82, 82, 82, 82, 84, "84.008")], 7, SELECTION
    )
    r = selection.ranking[0]
    assert r.excluded_ballots == (1,)
    assert r.valid_ballots == (2, 3, 4, 5, 6, 7)
    assert r.mean == D("82.668")
    assert r.criterion_means["content"] == D("19.84032")  # 24 % of 82.668
    assert r.eligible


def test_selection_outliers_are_judged_against_the_mean_of_all_sheets_once():
    # Totals 40, 70, 70, 70, 70, 70, 90 → sum 480, mean 480/7 = 68.571…; 20 % = 13.714….
    # 40 is 28.571… away → excluded; 90 is 21.428… away → excluded.
    # Valid: five sheets of 70 → mean 70. No second pass, so nothing else is re-examined.
    r = selection_result([candidate(1, 40, 70, 70, 70, 70, 70, 90)], 7, SELECTION).ranking[0]
    assert r.excluded_ballots == (1, 7)
    assert r.valid_ballots == (2, 3, 4, 5, 6)
    assert r.mean == D(70)
    assert r.eligible


def test_selection_when_every_sheet_is_an_outlier():
    # Totals 0 and 100 → mean 50; each is 50 away, more than 10 → both excluded.
    r = selection_result([candidate(1, 0, 100)], 7, SELECTION).ranking[0]
    assert r.valid_ballots == ()
    assert r.excluded_ballots == (1, 2)
    assert r.mean == D(0)
    assert not r.eligible
    assert r.reasons == (
        "Không còn phiếu hợp lệ sau khi loại các phiếu lệch quá 20 % so với điểm trung bình.",
    )


def test_selection_candidate_without_sheets():
    selection = selection_result([Candidate(1, [], D(1))], 7, SELECTION)
    assert selection.winner_id is None
    assert selection.ranking[0].reasons == ("Chưa có phiếu đánh giá.",)


@pytest.mark.parametrize(
    ("total", "eligible"),
    [("70", True), ("70.00", True), ("69.99", False), ("85", True), ("0", False)],
)
def test_selection_pass_mark_is_a_mean_of_70(total, eligible):
    selection = selection_result([candidate(1, *[total] * 7)], 7, SELECTION)
    assert selection.ranking[0].eligible is eligible
    assert selection.winner_id == (1 if eligible else None)


def test_selection_pass_mark_reason():
    r = selection_result([candidate(1, *["69.99"] * 7)], 7, SELECTION).ranking[0]
    assert r.reasons == ("Điểm trung bình 69,99 chưa đạt mức tối thiểu 70 điểm.",)


def test_selection_pass_mark_compares_exact_means_not_rounded_ones():
    # Totals 69.99 and 70 → mean 69.995: shown as 70.00, but still below 70.
    r = selection_result([candidate(1, "69.99", "70")], 7, SELECTION).ranking[0]
    assert r.mean == D("69.995")
    assert display_score(r.mean) == D("70.00")
    assert not r.eligible
    assert r.reasons == ("Điểm trung bình 69,99 chưa đạt mức tối thiểu 70 điểm.",)


@pytest.mark.parametrize(
    ("total", "is_proposer", "adjusted"),
    [
        ("70", True, D("77")),  # 70 + 10 % of 70
        ("80", True, D("88")),
        ("69.99", True, D("69.99")),  # below 70: no bonus
        ("69.5", True, D("69.5")),
        ("80", False, D("80")),  # not the proposing organisation
    ],
)
def test_selection_proposer_bonus(total, is_proposer, adjusted):
    r = selection_result(
        [candidate(1, *[total] * 7, is_proposer=is_proposer)], 7, SELECTION
    ).ranking[0]
    assert r.mean == D(total)
    assert r.adjusted_mean == adjusted


def test_selection_proposer_bonus_can_decide_the_winner():
    # Proposer: 72 → 79.2 beats 79.
    selection = selection_result(
        [candidate(1, *[79] * 7), candidate(2, *[72] * 7, is_proposer=True)], 7, SELECTION
    )
    assert selection.winner_id == 2
    assert [r.id for r in selection.ranking] == [2, 1]


def test_selection_bonus_does_not_lift_a_candidate_over_the_pass_mark():
    # A rule set granting the bonus from 60: 65 → 71.5, but the pass mark looks at the mean.
    rules = {**SELECTION, "proposer_bonus_min_mean": 60}
    r = selection_result([candidate(1, *[65] * 7, is_proposer=True)], 7, rules).ranking[0]
    assert r.adjusted_mean == D("71.5")
    assert not r.eligible


def zero_content(member_id: int) -> Sheet:
    """Content scored 0; total 12 + 0 + 16 × 4 = 76."""
    return Sheet(
        member_id,
        {
            "prior": D(12),
            "content": D(0),
            "products": D(16),
            "applicability": D(16),
            "feasibility": D(16),
            "capacity": D(16),
        },
    )


def test_selection_criterion_zero_by_exactly_a_quarter_is_allowed():
    # 8 present; 2 of them score content 0: 2 = 8 × 1/4, not more → eligible.
    cand = Candidate(
        1, [zero_content(1), zero_content(2), *sheets(*[76] * 6, first_member=3)], D(1)
    )
    r = selection_result([cand], 8, SELECTION).ranking[0]
    assert r.zero_criteria == ()
    assert r.mean == D(76)
    assert r.eligible


def test_selection_criterion_zero_by_more_than_a_quarter_disqualifies():
    # 8 present; 3 score content 0: 3 > 8 × 1/4 = 2 → disqualified despite a mean of 76.
    cand = Candidate(
        1,
        [zero_content(1), zero_content(2), zero_content(3), *sheets(*[76] * 5, first_member=4)],
        D(1),
    )
    selection = selection_result([cand], 8, SELECTION)
    r = selection.ranking[0]
    assert r.zero_criteria == ("content",)
    assert not r.eligible
    assert r.reasons == (
        "Tiêu chí «Nội dung và phương pháp nghiên cứu» bị 3/8 thành viên có mặt chấm 0 điểm "
        "(quá 1/4).",
    )
    assert selection.winner_id is None


def test_selection_zero_share_is_of_members_present_not_of_sheets():
    # 9 present but only 8 sheets; 2 zeros ≤ 9 × 1/4 = 2.25 → allowed.
    cand = Candidate(
        1, [zero_content(1), zero_content(2), *sheets(*[76] * 6, first_member=3)], D(1)
    )
    assert selection_result([cand], 9, SELECTION).ranking[0].eligible


def test_selection_zero_scores_on_excluded_sheets_still_count():
    # 8 present. Member 8 scores content 0 and little else: 6 + 0 + 8 × 4 = 38.
    # Totals 80 × 5, 76, 76, 38 → sum 590, mean 73.75; 20 % = 14.75; 38 is 35.75 away → excluded.
    # Still three members scored content 0, more than 8 × 1/4 = 2 → disqualified.
    low = Sheet(
        8,
        {
            "prior": D(6),
            "content": D(0),
            "products": D(8),
            "applicability": D(8),
            "feasibility": D(8),
            "capacity": D(8),
        },
    )
    cand = Candidate(1, [*sheets(*[80] * 5), zero_content(6), zero_content(7), low], D(1))
    r = selection_result([cand], 8, SELECTION).ranking[0]
    assert r.excluded_ballots == (8,)
    assert r.zero_criteria == ("content",)
    assert not r.eligible


def test_selection_ineligible_candidates_rank_after_eligible_ones():
    # Candidate 1 has the higher mean (76 vs 72) but three zero-content sheets out of 8.
    disqualified = Candidate(
        1,
        [zero_content(1), zero_content(2), zero_content(3), *sheets(*[76] * 5, first_member=4)],
        D(1),
    )
    selection = selection_result([disqualified, candidate(2, *[72] * 8)], 8, SELECTION)
    assert selection.winner_id == 2
    assert [(r.id, r.rank, r.eligible) for r in selection.ranking] == [(2, 1, True), (1, 2, False)]


def test_selection_no_eligible_candidate_means_no_winner():
    selection = selection_result(
        [candidate(1, *[69] * 7), candidate(2, *["69.99"] * 7)], 7, SELECTION
    )
    assert selection.winner_id is None
    assert selection.tied_ids == ()
    assert [r.id for r in selection.ranking] == [2, 1]


def test_selection_without_candidates():
    assert selection_result([], 7, SELECTION) == selection_result([], 7, SELECTION)
    assert selection_result([], 7, SELECTION).winner_id is None


# Tie-breakers, in the order of the rules: lower state budget; recent "Xuất sắc" national
# task; higher mean on the content-and-method criterion.


def test_selection_tie_broken_by_lower_state_budget():
    selection = selection_result(
        [
            candidate(1, *[80] * 7, budget="900000000"),
            candidate(2, *[80] * 7, budget="850000000", recent_excellent=False),
            candidate(3, *[80] * 7, budget="900000000", recent_excellent=True),
        ],
        7,
        SELECTION,
    )
    assert selection.winner_id == 2
    assert [(r.id, r.rank) for r in selection.ranking] == [(2, 1), (3, 2), (1, 3)]


def test_selection_tie_after_the_bonus_is_a_tie_too():
    # Proposer 72 → 79.2 equals 79.2 without bonus; the lower budget decides.
    selection = selection_result(
        [
            candidate(1, *["79.2"] * 7, budget="700000000"),
            candidate(2, *[72] * 7, budget="800000000", is_proposer=True),
        ],
        7,
        SELECTION,
    )
    assert selection.winner_id == 1


def test_selection_tie_broken_by_recent_excellent_task():
    selection = selection_result(
        [
            candidate(1, *[80] * 7),
            candidate(2, *[80] * 7, recent_excellent=True),
        ],
        7,
        SELECTION,
    )
    assert selection.winner_id == 2


def content_sheets(content: int, count: int = 7) -> list[Sheet]:
    """Sheets totalling 80: prior + content = 30, products 14, the other three 12 each."""
    return [
        Sheet(
            i,
            {
                "prior": D(30 - content),
                "content": D(content),
                "products": D(14),
                "applicability": D(12),
                "feasibility": D(12),
                "capacity": D(12),
            },
        )
        for i in range(1, count + 1)
    ]


def test_selection_tie_broken_by_content_score():
    # Both total 80 (prior 10 + content 20 vs prior 12 + content 18, rest 50); 20 > 18.
    a = Candidate(1, content_sheets(18), D(1000), recent_excellent=True)
    b = Candidate(2, content_sheets(20), D(1000), recent_excellent=True)
    selection = selection_result([a, b], 7, SELECTION)
    assert result_of(selection, 1).mean == result_of(selection, 2).mean == D(80)
    assert selection.winner_id == 2
    assert result_of(selection, 2).criterion_means["content"] == D(20)


def test_selection_tie_breakers_follow_the_configured_order():
    # Candidate 1 has the lower budget, candidate 2 a recent "Xuất sắc" task.
    cands = [
        candidate(1, *[80] * 7, budget="500000000"),
        candidate(2, *[80] * 7, budget="900000000", recent_excellent=True),
    ]
    assert selection_result(cands, 7, SELECTION).winner_id == 1
    reordered = {**SELECTION, "tie_breakers": ["recent_excellent", "state_budget"]}
    assert selection_result(cands, 7, reordered).winner_id == 2


def test_selection_tie_left_after_every_tie_breaker_has_no_winner():
    selection = selection_result(
        [candidate(2, *[80] * 7), candidate(1, *[80] * 7), candidate(3, *[75] * 7)],
        7,
        SELECTION,
    )
    assert selection.winner_id is None
    assert selection.tied_ids == (1, 2)
    assert [(r.id, r.rank) for r in selection.ranking] == [(1, 1), (2, 1), (3, 3)]


def test_selection_without_tie_breakers_a_tie_stays_a_tie():
    rules = {**SELECTION, "tie_breakers": []}
    selection = selection_result(
        [candidate(1, *[80] * 7, budget="1"), candidate(2, *[80] * 7)], 7, rules
    )
    assert selection.tied_ids == (1, 2)


def test_selection_means_are_exact_and_displayed_to_two_decimals():
    # Totals 70, 70, 71 → mean 211/3 = 70.333…
    r = selection_result([candidate(1, 70, 70, 71)], 7, SELECTION).ranking[0]
    assert r.mean == D("70.33333333333333333333333333")
    assert display_score(r.mean) == D("70.33")
    assert display_score(F(211, 3)) == D("70.33")
    assert display_score(D("70.335")) == D("70.34")  # half up
    assert display_score(D("70.325")) == D("70.33")


def bad_sheet(**changes) -> Candidate:
    s = scores(80)
    for code, value in changes.items():
        if value is None:
            del s[code]
        else:
            s[code] = value
    return Candidate(1, [Sheet(1, s)], D(1))


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"content": None}, "thiếu tiêu chí: content"),
        ({"method": D(1)}, "không có trong quy định: method"),
        ({"content": D(25)}, "phải từ 0 đến 24"),
        ({"prior": D("12.01")}, "phải từ 0 đến 12"),
        ({"prior": D(-1)}, "phải từ 0 đến 12"),
        ({"prior": 9.6}, "Decimal"),
        ({"prior": "9.6"}, "Decimal"),
        ({"prior": True}, "Decimal"),
        ({"prior": D("NaN")}, "không hợp lệ"),
    ],
)
def test_selection_refuses_bad_scores(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        selection_result([bad_sheet(**changes)], 7, SELECTION)


def test_selection_accepts_whole_number_scores():
    cand = Candidate(1, [Sheet(1, dict(MAXIMA))], D(1))
    assert selection_result([cand], 7, SELECTION).ranking[0].mean == D(100)


def test_selection_refuses_bad_councils_and_candidates():
    with pytest.raises(ValueError, match="chấm hồ sơ 1 hai lần"):
        selection_result([Candidate(1, [*sheets(80), *sheets(80)], D(1))], 7, SELECTION)
    with pytest.raises(ValueError, match="nhiều hơn số thành viên có mặt"):
        selection_result([candidate(1, *[80] * 8)], 7, SELECTION)
    with pytest.raises(ValueError, match="Hồ sơ 1 được khai báo hai lần"):
        selection_result([candidate(1, 80), candidate(1, 80)], 7, SELECTION)
    with pytest.raises(ValueError, match="Số thành viên có mặt"):
        selection_result([candidate(1, 80)], 0, SELECTION)
    with pytest.raises(ValueError, match="Kinh phí"):
        selection_result([Candidate(1, sheets(80), 1.5)], 7, SELECTION)


# ---------------------------------------------------------------------------
# Acceptance — TT 11/2014 Đ12 (member) and Đ13 (council)
# ---------------------------------------------------------------------------


def test_rating_labels():
    assert [(r.value, str(r.label)) for r in Rating] == [
        ("XUAT_SAC", "Xuất sắc"),
        ("DAT", "Đạt"),
        ("KHONG_DAT", "Không đạt"),
    ]
    assert Rating.XUAT_SAC == XS


def product(quantity, volume, quality) -> dict[str, str]:
    return {"quantity": quantity, "volume": volume, "quality": quality}


@pytest.mark.parametrize(
    ("products", "report", "verdict"),
    [
        # everything Đạt
        ({"A": product(DAT, DAT, DAT)}, DAT, DAT),
        # 3 of 6 ratings Xuất sắc = 1/2 → Xuất sắc
        ({"A": product(XS, XS, XS), "B": product(DAT, DAT, DAT)}, DAT, XS),
        # 2 of 6 = 1/3 < 1/2 → Đạt
        ({"A": product(XS, XS, DAT), "B": product(DAT, DAT, DAT)}, XS, DAT),
        # all Xuất sắc, report Xuất sắc
        ({"A": product(XS, XS, XS)}, XS, XS),
        # all Xuất sắc, report Đạt is enough
        ({"A": product(XS, XS, XS)}, DAT, XS),
        # all Xuất sắc but the report fails → Không đạt
        ({"A": product(XS, XS, XS)}, KD, KD),
        # one aspect of one product fails → Không đạt
        ({"A": product(XS, XS, XS), "B": product(XS, XS, KD)}, XS, KD),
        ({"A": product(DAT, KD, DAT)}, DAT, KD),
    ],
)
def test_member_verdict(products, report, verdict):
    assert member_verdict(products, report, ACCEPTANCE) == verdict


def test_member_verdict_accepts_rating_members():
    assert member_verdict({"A": product(Rating.XUAT_SAC, XS, XS)}, Rating.DAT, ACCEPTANCE) == XS


@pytest.mark.parametrize(
    ("products", "report", "fragment"),
    [
        ({}, DAT, "Chưa có sản phẩm"),
        ({"A": {"quantity": DAT, "volume": DAT}}, DAT, "«A» chưa được đánh giá về: quality"),
        ({"A": {**product(DAT, DAT, DAT), "price": DAT}}, DAT, "không có trong quy định: price"),
        ({"A": product(DAT, "TOT", DAT)}, DAT, "Mức đánh giá «volume» của sản phẩm «A»"),
        ({"A": product(DAT, DAT, DAT)}, "Đạt", "Mức đánh giá báo cáo tổng hợp"),
        ({"A": DAT}, DAT, "theo từng khía cạnh"),
    ],
)
def test_member_verdict_refuses_bad_input(products, report, fragment):
    with pytest.raises(ValueError, match=fragment):
        member_verdict(products, report, ACCEPTANCE)


@pytest.mark.parametrize(
    ("xs", "dat", "kd", "present", "outcome"),
    [
        (6, 2, 0, 8, XS),  # 6/8 = 3/4 exactly, none Không đạt → Xuất sắc
        (6, 1, 1, 8, DAT),  # 3/4 Xuất sắc but one Không đạt → Đạt
        (7, 2, 0, 9, XS),  # 7 ≥ 9 × 3/4 = 6.75
        (6, 3, 0, 9, DAT),  # 6 < 6.75
        (5, 2, 0, 7, DAT),  # 5/7 < 3/4
        (0, 6, 3, 9, DAT),  # 3 = 9 × 1/3, not more → Đạt
        (0, 5, 4, 9, KD),  # 4 > 3 → Không đạt
        (5, 1, 3, 9, DAT),  # many Xuất sắc, but Không đạt blocks Xuất sắc; 3 is not > 3
        (0, 0, 9, 9, KD),
        (0, 9, 0, 9, DAT),
        (0, 4, 3, 7, KD),  # 3 > 7 × 1/3 = 2.33…
        (6, 0, 0, 8, XS),  # 2 present did not vote: 6 ≥ 8 × 3/4 = 6 still
        (5, 0, 0, 8, DAT),  # 5 < 6: absent votes count against Xuất sắc
    ],
)
def test_acceptance_result(xs, dat, kd, present, outcome):
    verdicts = [XS] * xs + [DAT] * dat + [KD] * kd
    result = acceptance_result(verdicts, present, ACCEPTANCE)
    assert result.outcome == outcome
    assert result.votes == {XS: xs, DAT: dat, KD: kd}
    assert result.members_present == present


def test_acceptance_outcome_is_a_rating():
    result = acceptance_result([XS] * 9, 9, ACCEPTANCE)
    assert result.outcome is Rating.XUAT_SAC
    assert str(result.outcome) == "XUAT_SAC"
    assert str(result.outcome.label) == "Xuất sắc"


def test_acceptance_from_member_verdicts():
    # 9 members present: 7 find half the ratings Xuất sắc, 2 find everything merely Đạt.
    excellent = {"A": product(XS, XS, DAT), "B": product(XS, DAT, DAT)}
    plain = {"A": product(DAT, DAT, DAT), "B": product(DAT, DAT, DAT)}
    verdicts = [member_verdict(excellent, DAT, ACCEPTANCE)] * 7 + [
        member_verdict(plain, DAT, ACCEPTANCE)
    ] * 2
    assert acceptance_result(verdicts, 9, ACCEPTANCE).outcome == XS


def test_acceptance_refuses_bad_input():
    with pytest.raises(ValueError, match="Xuất sắc, Đạt hoặc Không đạt"):
        acceptance_result([XS, "GIOI"], 9, ACCEPTANCE)
    with pytest.raises(ValueError, match="nhiều hơn số thành viên có mặt"):
        acceptance_result([DAT] * 10, 9, ACCEPTANCE)
    with pytest.raises(ValueError, match="Số thành viên có mặt"):
        acceptance_result([], 0, ACCEPTANCE)
