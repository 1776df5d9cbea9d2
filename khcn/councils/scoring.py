"""Council aggregation rules: quorum, identification, selection and acceptance.

Pure functions, no database. Every threshold comes from the rule set's `[rules.*]`
tables (see `check_rules`), never from a literal here. Shares are written as "a/b"
strings and parsed to `Fraction`; percentages are integers; scores are `Decimal`.
Every comparison is made on exact `Fraction` values, so "exactly 3/4" really is
exactly 3/4.

Legal sources:
- Quorum of any council: NĐ 08/2014/NĐ-CP Điều 33.
- Identification councils: TT 06/2023/TT-BKHCN Điều 11–12.
- Selection councils: TT 20/2023/TT-BKHCN Điều 10.
- Acceptance councils: TT 11/2014/TT-BKHCN Điều 9–13 (ratings Điều 12–13).
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = [
    "ROLES",
    "RULE_CHECKS",
    "TIE_BREAKERS",
    "AcceptanceResult",
    "Candidate",
    "CandidateResult",
    "IdentificationResult",
    "Presence",
    "QuorumResult",
    "Rating",
    "SelectionResult",
    "Sheet",
    "acceptance_result",
    "check_acceptance_rules",
    "check_identification_rules",
    "check_quorum_rules",
    "check_rules",
    "check_selection_rules",
    "display_score",
    "identification_result",
    "member_verdict",
    "parse_share",
    "quorum",
    "selection_result",
]


# ---------------------------------------------------------------------------
# Shares and numbers
# ---------------------------------------------------------------------------

_SHARE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_share(value) -> Fraction:
    """A share from a rule set: "3/4" -> Fraction(3, 4); 1 -> Fraction(1).

    Only "a/b" strings (non-negative whole numbers, b > 0) and non-negative ints are
    accepted. Decimals such as "0.75" or 0.75 are refused: a share written as a
    decimal invites rounding, and the regulations state shares as fractions.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(_("Tỷ lệ không được âm (%(value)s).") % {"value": value})
        return Fraction(value)
    if isinstance(value, str):
        match = _SHARE_RE.match(value)
        if match:
            numerator, denominator = int(match[1]), int(match[2])
            if denominator == 0:
                raise ValueError(_("Mẫu số của tỷ lệ «%(value)s» phải khác 0.") % {"value": value})
            return Fraction(numerator, denominator)
    raise ValueError(
        _('Tỷ lệ phải viết dạng phân số «a/b» (ví dụ "3/4"), không phải %(value)r.')
        % {"value": value}
    )


def _to_decimal(value: Fraction) -> Decimal:
    """Exact when the fraction has a finite decimal expansion, else 28 significant digits."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    with localcontext() as ctx:
        ctx.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


def display_score(value: Decimal | Fraction | int) -> Decimal:
    """A score as shown to people: two decimals, half up (69.995 -> 70.00).

    For display only; never compare the result against a threshold.
    """
    if isinstance(value, Fraction):
        value = _to_decimal(value)
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _format_number(value: Decimal) -> str:
    """Vietnamese decimal comma: Decimal("69.99") -> "69,99"."""
    return str(value).replace(".", ",")


def _exact(value, what: str) -> Fraction:
    """A score (Decimal or int) as an exact Fraction; floats and the rest are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(
            _("Điểm %(what)s phải là số thập phân chính xác (Decimal), không phải %(value)r.")
            % {"what": what, "value": value}
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(
            _("Điểm %(what)s không hợp lệ (%(value)s).") % {"what": what, "value": value}
        )
    return Fraction(value)


def _require(errors: list[str]) -> None:
    if errors:
        raise ValueError(" ".join(errors))


# ---------------------------------------------------------------------------
# Rule checks
# ---------------------------------------------------------------------------

TIE_BREAKERS = ("state_budget", "recent_excellent", "content_method")
"""Known selection tie-breakers, applied in the order the rule set lists them:
lower state budget; a recent "Xuất sắc" national task; higher mean on the content criterion."""


class _Checker:
    """Collects Vietnamese error messages about one `[rules.<section>]` table."""

    def __init__(self, section: str, table, keys: Iterable[str]):
        self.section = section
        self.table = table if isinstance(table, dict) else {}
        self.errors: list[str] = []
        if not isinstance(table, dict):
            self.errors.append(
                _("[rules.%(section)s] phải là một bảng (table).") % {"section": section}
            )
            return
        known = set(keys)
        for key in table:
            if key not in known:
                self.errors.append(
                    _("Khóa «%(key)s» trong [rules.%(section)s] không được hỗ trợ.")
                    % {"key": key, "section": section}
                )

    def _where(self, key: str) -> dict:
        return {"key": key, "section": self.section}

    def get(self, key: str):
        if key not in self.table:
            self.errors.append(
                _("Thiếu khóa «%(key)s» trong [rules.%(section)s].") % self._where(key)
            )
            return None
        return self.table[key]

    def integer(self, key: str, low: int, high: int | None = None) -> int | None:
        value = self.get(key)
        if value is None and key not in self.table:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors.append(
                _("«%(key)s» trong [rules.%(section)s] phải là số nguyên.") % self._where(key)
            )
            return None
        if value < low or (high is not None and value > high):
            if high is None:
                message = _("«%(key)s» trong [rules.%(section)s] phải từ %(low)s trở lên.")
            else:
                message = _("«%(key)s» trong [rules.%(section)s] phải từ %(low)s đến %(high)s.")
            self.errors.append(message % {**self._where(key), "low": low, "high": high})
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.get(key)
        if key in self.table and not isinstance(value, bool):
            self.errors.append(
                _("«%(key)s» trong [rules.%(section)s] phải là true hoặc false.") % self._where(key)
            )
            return None
        return value

    def share(self, key: str, *, allow_zero: bool, allow_one: bool) -> Fraction | None:
        value = self.get(key)
        if key not in self.table:
            return None
        try:
            share = parse_share(value)
        except ValueError as exc:
            self.errors.append(
                _("«%(key)s» trong [rules.%(section)s]: %(error)s")
                % {**self._where(key), "error": exc}
            )
            return None
        if share > 1 or (share == 0 and not allow_zero) or (share == 1 and not allow_one):
            low = "0" if allow_zero else _("lớn hơn 0")
            high = "1" if allow_one else _("nhỏ hơn 1")
            self.errors.append(
                _("«%(key)s» trong [rules.%(section)s] phải là tỷ lệ từ %(low)s đến %(high)s.")
                % {**self._where(key), "low": low, "high": high}
            )
            return None
        return share

    def member_range(self) -> None:
        low = self.integer("members_min", 1)
        high = self.integer("members_max", 1)
        if low is not None and high is not None and low > high:
            self.errors.append(
                _(
                    "Trong [rules.%(section)s], members_min (%(low)s) lớn hơn "
                    "members_max (%(high)s)."
                )
                % {"section": self.section, "low": low, "high": high}
            )


def check_quorum_rules(table) -> list[str]:
    """`[rules.quorum]`, NĐ 08/2014 Đ33."""
    c = _Checker(
        "quorum", table, ("min_present", "reviewers", "secretary", "chair_or_authorised_vice")
    )
    if not isinstance(table, dict):
        return c.errors
    c.share("min_present", allow_zero=False, allow_one=True)
    c.integer("reviewers", 0)
    c.boolean("secretary")
    c.boolean("chair_or_authorised_vice")
    return c.errors


def check_identification_rules(table) -> list[str]:
    """`[rules.identification]`, TT 06/2023 Đ11–12."""
    c = _Checker("identification", table, ("members_min", "members_max", "recommend_share_above"))
    if not isinstance(table, dict):
        return c.errors
    c.member_range()
    c.share("recommend_share_above", allow_zero=True, allow_one=False)
    return c.errors


_SELECTION_KEYS = (
    "members_min",
    "members_max",
    "criteria",
    "outlier_pct",
    "pass_mean",
    "proposer_bonus_pct",
    "proposer_bonus_min_mean",
    "zero_criterion_max_share",
    "content_criterion",
    "tie_breakers",
)


def check_selection_rules(table) -> list[str]:
    """`[rules.selection]`, TT 20/2023 Đ10."""
    c = _Checker("selection", table, _SELECTION_KEYS)
    if not isinstance(table, dict):
        return c.errors
    c.member_range()
    codes = _check_criteria(c)
    c.integer("outlier_pct", 0, 100)
    c.integer("pass_mean", 0, 100)
    c.integer("proposer_bonus_pct", 0, 100)
    c.integer("proposer_bonus_min_mean", 0, 100)
    c.share("zero_criterion_max_share", allow_zero=True, allow_one=True)

    content = c.get("content_criterion")
    if "content_criterion" in c.table:
        if not isinstance(content, str) or (codes is not None and content not in codes):
            c.errors.append(
                _(
                    "content_criterion «%(code)s» trong [rules.selection] không phải "
                    "mã của một tiêu chí."
                )
                % {"code": content}
            )

    breakers = c.get("tie_breakers")
    if "tie_breakers" in c.table:
        if not isinstance(breakers, list) or not all(isinstance(b, str) for b in breakers):
            c.errors.append(_("tie_breakers trong [rules.selection] phải là danh sách chuỗi."))
        else:
            for name in breakers:
                if name not in TIE_BREAKERS:
                    c.errors.append(
                        _(
                            "Tiêu chí phân định «%(name)s» trong [rules.selection] không "
                            "được hỗ trợ (dùng: %(known)s)."
                        )
                        % {"name": name, "known": ", ".join(TIE_BREAKERS)}
                    )
            for name, count in Counter(breakers).items():
                if count > 1:
                    c.errors.append(
                        _("Tiêu chí phân định «%(name)s» được khai báo hai lần.") % {"name": name}
                    )
    return c.errors


def _check_criteria(c: _Checker) -> set[str] | None:
    criteria = c.get("criteria")
    if "criteria" not in c.table:
        return None
    if not isinstance(criteria, list) or not criteria:
        c.errors.append(
            _("criteria trong [rules.selection] phải là danh sách tiêu chí, không rỗng.")
        )
        return None
    codes: set[str] = set()
    total = 0
    sound = True
    for index, item in enumerate(criteria, start=1):
        where = {"n": index}
        if not isinstance(item, dict):
            c.errors.append(
                _("Tiêu chí thứ %(n)s trong [rules.selection] phải là một bảng.") % where
            )
            sound = False
            continue
        for key in item:
            if key not in ("code", "label", "max"):
                c.errors.append(
                    _("Tiêu chí thứ %(n)s: khóa «%(key)s» không được hỗ trợ.")
                    % {**where, "key": key}
                )
        code, label, maximum = item.get("code"), item.get("label"), item.get("max")
        if not isinstance(code, str) or not code.strip():
            c.errors.append(_("Tiêu chí thứ %(n)s thiếu mã (code).") % where)
        elif code in codes:
            c.errors.append(_("Mã tiêu chí «%(code)s» được khai báo hai lần.") % {"code": code})
        else:
            codes.add(code)
        if not isinstance(label, str) or not label.strip():
            c.errors.append(_("Tiêu chí thứ %(n)s thiếu tên (label).") % where)
        if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum <= 0:
            c.errors.append(
                _("Điểm tối đa (max) của tiêu chí thứ %(n)s phải là số nguyên dương.") % where
            )
            sound = False
        else:
            total += maximum
    if sound and total != 100:
        c.errors.append(
            _("Tổng điểm tối đa của các tiêu chí là %(total)s, phải bằng 100.") % {"total": total}
        )
    return codes


def check_acceptance_rules(table) -> list[str]:
    """`[rules.acceptance]`, TT 11/2014 Đ9–13."""
    c = _Checker(
        "acceptance",
        table,
        (
            "members_min",
            "members_max",
            "aspects",
            "member_excellent_share",
            "excellent_share_min",
            "fail_share_above",
        ),
    )
    if not isinstance(table, dict):
        return c.errors
    c.member_range()
    aspects = c.get("aspects")
    if "aspects" in c.table:
        if (
            not isinstance(aspects, list)
            or not aspects
            or not all(isinstance(a, str) and a.strip() for a in aspects)
        ):
            c.errors.append(
                _("aspects trong [rules.acceptance] phải là danh sách chuỗi, không rỗng.")
            )
        elif len(set(aspects)) != len(aspects):
            c.errors.append(_("aspects trong [rules.acceptance] có mục trùng nhau."))
    c.share("member_excellent_share", allow_zero=False, allow_one=True)
    c.share("excellent_share_min", allow_zero=False, allow_one=True)
    c.share("fail_share_above", allow_zero=True, allow_one=False)
    return c.errors


RULE_CHECKS: dict[str, Callable[[object], list[str]]] = {
    "quorum": check_quorum_rules,
    "identification": check_identification_rules,
    "selection": check_selection_rules,
    "acceptance": check_acceptance_rules,
}
"""Section name in `[rules]` -> its checker; `check_rules` runs them all."""


def check_rules(rules: dict) -> list[str]:
    """Everything wrong with a rule set's `[rules]` table, in Vietnamese; [] when sound.

    The four council sections are required; other sections of `[rules]` are left to
    whoever owns them.
    """
    if not isinstance(rules, dict):
        return [_("[rules] phải là một bảng (table).")]
    errors: list[str] = []
    for section, check in RULE_CHECKS.items():
        if section not in rules:
            errors.append(_("Thiếu mục [rules.%(section)s].") % {"section": section})
        else:
            errors.extend(check(rules[section]))
    return errors


# ---------------------------------------------------------------------------
# Quorum — NĐ 08/2014 Đ33
# ---------------------------------------------------------------------------

ROLES = ("chair", "vice_chair", "reviewer", "secretary", "member")


@dataclass(frozen=True)
class Presence:
    """One council member at a meeting. `authorised` matters for a vice-chair only:
    the chair authorised them to preside."""

    member_id: int
    role: str
    present: bool
    authorised: bool = False


@dataclass(frozen=True)
class QuorumResult:
    ok: bool
    present: int
    total: int
    reasons: tuple[str, ...]


def quorum(members: list[Presence], rules: dict) -> QuorumResult:
    """May the council meet? NĐ 08/2014 Đ33: at least `min_present` of all members
    present (required = ceil(total × share)), among them the chair or a vice-chair the
    chair authorised, the `reviewers` reviewers and the scientific secretary.

    `rules` is `[rules.quorum]`.
    """
    _require(check_quorum_rules(rules))
    seen: set[int] = set()
    for m in members:
        if m.role not in ROLES:
            raise ValueError(
                _("Vai trò «%(role)s» của thành viên %(id)s không hợp lệ.")
                % {"role": m.role, "id": m.member_id}
            )
        if m.member_id in seen:
            raise ValueError(_("Thành viên %(id)s được khai báo hai lần.") % {"id": m.member_id})
        seen.add(m.member_id)

    share = parse_share(rules["min_present"])
    total = len(members)
    present = sum(1 for m in members if m.present)
    reasons: list[str] = []
    if total == 0:
        reasons.append(_("Hội đồng chưa có thành viên."))
    elif present < math.ceil(total * share):
        reasons.append(
            _("Chưa đủ %(share)s số thành viên có mặt (%(present)s/%(total)s).")
            % {"share": share, "present": present, "total": total}
        )
    if rules["chair_or_authorised_vice"]:
        presides = any(
            m.present and (m.role == "chair" or (m.role == "vice_chair" and m.authorised))
            for m in members
        )
        if not presides:
            reasons.append(_("Vắng chủ tịch hội đồng và không có phó chủ tịch được ủy quyền."))
    reviewers_present = sum(1 for m in members if m.present and m.role == "reviewer")
    missing = rules["reviewers"] - reviewers_present
    if missing > 0:
        reasons.append(_("Vắng %(n)s ủy viên phản biện.") % {"n": missing})
    if rules["secretary"] and not any(m.present and m.role == "secretary" for m in members):
        reasons.append(_("Vắng thư ký khoa học."))
    return QuorumResult(ok=not reasons, present=present, total=total, reasons=tuple(reasons))


# ---------------------------------------------------------------------------
# Identification — TT 06/2023 Đ11–12
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentificationResult:
    recommended: bool
    yes: int
    no: int
    valid_ballots: int
    share: Fraction


def identification_result(votes: list[bool], rules: dict) -> IdentificationResult:
    """TT 06/2023 Đ12: a proposal is recommended when the share of valid ballots marked
    "Đạt yêu cầu" is strictly more than `recommend_share_above` (exactly 3/4 is not enough).

    `votes` are the valid ballots of the members present (True = "Đạt yêu cầu").
    No ballots -> not recommended. `rules` is `[rules.identification]`.
    """
    _require(check_identification_rules(rules))
    for vote in votes:
        if not isinstance(vote, bool):
            raise ValueError(
                _("Phiếu thẩm định phải là Đạt / Không đạt (True/False), không phải %(v)r.")
                % {"v": vote}
            )
    threshold = parse_share(rules["recommend_share_above"])
    yes = sum(1 for v in votes if v)
    valid = len(votes)
    share = Fraction(yes, valid) if valid else Fraction(0)
    return IdentificationResult(
        recommended=valid > 0 and share > threshold,
        yes=yes,
        no=valid - yes,
        valid_ballots=valid,
        share=share,
    )


# ---------------------------------------------------------------------------
# Selection — TT 20/2023 Đ10
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One member's scoring sheet: criterion code -> score."""

    member_id: int
    scores: dict[str, Decimal]


@dataclass(frozen=True)
class Candidate:
    id: int
    sheets: list[Sheet]
    state_budget: Decimal
    is_proposer: bool = False
    recent_excellent: bool = False


@dataclass(frozen=True)
class CandidateResult:
    """Means are exact where the decimal expansion is finite, else 28 significant digits;
    use `display_score` to show them."""

    id: int
    mean: Decimal
    adjusted_mean: Decimal
    valid_ballots: tuple[int, ...]
    excluded_ballots: tuple[int, ...]
    criterion_means: dict[str, Decimal]
    zero_criteria: tuple[str, ...]
    eligible: bool
    reasons: tuple[str, ...]
    rank: int


@dataclass(frozen=True)
class SelectionResult:
    """`tied_ids`: candidates still level at the top after every tie-breaker (then
    `winner_id` is None and the council must decide otherwise)."""

    winner_id: int | None
    ranking: tuple[CandidateResult, ...]
    tied_ids: tuple[int, ...] = ()


@dataclass
class _Scored:
    candidate: Candidate
    mean: Fraction
    adjusted: Fraction
    valid: tuple[int, ...]
    excluded: tuple[int, ...]
    criterion_means: dict[str, Fraction]
    zero_criteria: tuple[str, ...]
    reasons: tuple[str, ...]
    sort_key: tuple = field(default=())

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _check_sheets(candidate: Candidate, criteria: dict[str, int], members_present: int):
    """Sheet -> {code: Fraction}, after checking every score. Raises ValueError."""
    budget = candidate.state_budget
    if (
        isinstance(budget, bool)
        or not isinstance(budget, Decimal | int)
        or (isinstance(budget, Decimal) and not budget.is_finite())
        or budget < 0
    ):
        raise ValueError(
            _("Kinh phí ngân sách nhà nước của hồ sơ %(id)s phải là số Decimal không âm.")
            % {"id": candidate.id}
        )
    if len(candidate.sheets) > members_present:
        raise ValueError(
            _("Hồ sơ %(id)s có %(sheets)s phiếu, nhiều hơn số thành viên có mặt (%(present)s).")
            % {"id": candidate.id, "sheets": len(candidate.sheets), "present": members_present}
        )
    seen: set[int] = set()
    result = []
    for sheet in candidate.sheets:
        where = {"member": sheet.member_id, "id": candidate.id}
        if sheet.member_id in seen:
            raise ValueError(_("Thành viên %(member)s chấm hồ sơ %(id)s hai lần.") % where)
        seen.add(sheet.member_id)
        missing = [code for code in criteria if code not in sheet.scores]
        if missing:
            raise ValueError(
                _("Phiếu của thành viên %(member)s cho hồ sơ %(id)s thiếu tiêu chí: %(codes)s.")
                % {**where, "codes": ", ".join(missing)}
            )
        unknown = [code for code in sheet.scores if code not in criteria]
        if unknown:
            raise ValueError(
                _(
                    "Phiếu của thành viên %(member)s cho hồ sơ %(id)s có tiêu chí không "
                    "có trong quy định: %(codes)s."
                )
                % {**where, "codes": ", ".join(unknown)}
            )
        scores = {}
        for code, maximum in criteria.items():
            what = _("tiêu chí «%(code)s» của thành viên %(member)s") % {
                "code": code,
                "member": sheet.member_id,
            }
            value = _exact(sheet.scores[code], what)
            if value < 0 or value > maximum:
                raise ValueError(
                    _("Điểm %(what)s là %(value)s, phải từ 0 đến %(max)s.")
                    % {"what": what, "value": sheet.scores[code], "max": maximum}
                )
            scores[code] = value
        result.append((sheet.member_id, scores))
    return result


def _score(candidate: Candidate, members_present: int, rules: dict) -> _Scored:
    criteria = {c["code"]: c["max"] for c in rules["criteria"]}
    labels = {c["code"]: c["label"] for c in rules["criteria"]}
    sheets = _check_sheets(candidate, criteria, members_present)
    reasons: list[str] = []

    # Outliers, single pass: the mean of ALL sheets decides which sheets are valid.
    totals = [(member, sum(scores.values(), Fraction(0))) for member, scores in sheets]
    valid_sheets = sheets
    excluded: list[int] = []
    if totals:
        mean_all = sum((t for _m, t in totals), Fraction(0)) / len(totals)
        limit = mean_all * rules["outlier_pct"] / 100
        excluded = [member for member, total in totals if abs(total - mean_all) > limit]
        valid_sheets = [(m, s) for m, s in sheets if m not in excluded]

    if valid_sheets:
        n = len(valid_sheets)
        mean = sum((sum(s.values(), Fraction(0)) for _m, s in valid_sheets), Fraction(0)) / n
        criterion_means = {
            code: sum((s[code] for _m, s in valid_sheets), Fraction(0)) / n for code in criteria
        }
    else:
        mean = Fraction(0)
        criterion_means = dict.fromkeys(criteria, Fraction(0))
        if sheets:
            reasons.append(
                _(
                    "Không còn phiếu hợp lệ sau khi loại các phiếu lệch quá %(pct)s %% so với điểm trung bình."
                )
                % {"pct": rules["outlier_pct"]}
            )
        else:
            reasons.append(_("Chưa có phiếu đánh giá."))

    adjusted = mean
    if candidate.is_proposer and mean >= rules["proposer_bonus_min_mean"]:
        adjusted = mean * (100 + rules["proposer_bonus_pct"]) / 100

    if valid_sheets and mean < rules["pass_mean"]:
        shown = _to_decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
        reasons.append(
            _("Điểm trung bình %(mean)s chưa đạt mức tối thiểu %(min)s điểm.")
            % {"mean": _format_number(shown), "min": rules["pass_mean"]}
        )

    # Zero scores count every member present who scored, valid sheet or not.
    max_share = parse_share(rules["zero_criterion_max_share"])
    zero_criteria = []
    for code in criteria:
        zeros = sum(1 for _m, s in sheets if s[code] == 0)
        if zeros > max_share * members_present:
            zero_criteria.append(code)
            reasons.append(
                _(
                    "Tiêu chí «%(label)s» bị %(zeros)s/%(present)s thành viên có mặt chấm "
                    "0 điểm (quá %(share)s)."
                )
                % {
                    "label": labels[code],
                    "zeros": zeros,
                    "present": members_present,
                    "share": max_share,
                }
            )

    valid_ids = {m for m, _s in valid_sheets}
    return _Scored(
        candidate=candidate,
        mean=mean,
        adjusted=adjusted,
        valid=tuple(m for m, _s in sheets if m in valid_ids),
        excluded=tuple(excluded),
        criterion_means=criterion_means,
        zero_criteria=tuple(zero_criteria),
        reasons=tuple(reasons),
    )


def _sort_key(scored: _Scored, rules: dict) -> tuple:
    """Smaller is better: eligible first, higher adjusted mean, then the tie-breakers."""
    key: list = [not scored.eligible, -scored.adjusted]
    for name in rules["tie_breakers"]:
        if name == "state_budget":
            key.append(Fraction(scored.candidate.state_budget))
        elif name == "recent_excellent":
            key.append(not scored.candidate.recent_excellent)
        elif name == "content_method":
            key.append(-scored.criterion_means[rules["content_criterion"]])
    return tuple(key)


def selection_result(
    candidates: list[Candidate], members_present: int, rules: dict
) -> SelectionResult:
    """Rank the dossiers competing for one task, TT 20/2023 Đ10.

    For each candidate:
    1. the mean of ALL sheets' totals is taken; a sheet whose total is more than
       `outlier_pct` % of that mean away from it is invalid (exactly `outlier_pct` % stays
       valid). One pass only.
    2. `mean` is the mean of the valid sheets' totals; the proposing organisation gets
       + `proposer_bonus_pct` % of its mean when the mean is >= `proposer_bonus_min_mean`
       (`adjusted_mean`).
    3. it is eligible when its mean (without the bonus) is >= `pass_mean` and no criterion
       was scored 0 by more than `zero_criterion_max_share` of the members present
       (every sheet counts here, valid or not).

    Ranking: eligible candidates first, then by adjusted mean (higher first), then by the
    `tie_breakers` in their configured order. The winner is the first-ranked candidate if
    eligible and not level with the next on every key. Candidates level on every key
    share a rank. `rules` is `[rules.selection]`.
    """
    _require(check_selection_rules(rules))
    if (
        isinstance(members_present, bool)
        or not isinstance(members_present, int)
        or members_present < 1
    ):
        raise ValueError(
            _("Số thành viên có mặt phải là số nguyên dương, không phải %(n)r.")
            % {"n": members_present}
        )
    ids = [c.id for c in candidates]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(
            _("Hồ sơ %(ids)s được khai báo hai lần.") % {"ids": ", ".join(map(str, duplicated))}
        )

    scored = [_score(c, members_present, rules) for c in candidates]
    for s in scored:
        s.sort_key = _sort_key(s, rules)
    scored.sort(key=lambda s: (s.sort_key, s.candidate.id))

    ranking = []
    rank = 0
    for position, s in enumerate(scored, start=1):
        if position == 1 or s.sort_key != scored[position - 2].sort_key:
            rank = position
        ranking.append(
            CandidateResult(
                id=s.candidate.id,
                mean=_to_decimal(s.mean),
                adjusted_mean=_to_decimal(s.adjusted),
                valid_ballots=s.valid,
                excluded_ballots=s.excluded,
                criterion_means={k: _to_decimal(v) for k, v in s.criterion_means.items()},
                zero_criteria=s.zero_criteria,
                eligible=s.eligible,
                reasons=s.reasons,
                rank=rank,
            )
        )

    winner_id = None
    tied: tuple[int, ...] = ()
    if scored and scored[0].eligible:
        top = tuple(s.candidate.id for s in scored if s.sort_key == scored[0].sort_key)
        if len(top) == 1:
            winner_id = top[0]
        else:
            tied = top
    return SelectionResult(winner_id=winner_id, ranking=tuple(ranking), tied_ids=tied)


# ---------------------------------------------------------------------------
# Acceptance — TT 11/2014 Đ9–13
# ---------------------------------------------------------------------------


class Rating(models.TextChoices):
    """Ratings of products, reports, member verdicts and council results (TT 11/2014 Đ12–13)."""

    XUAT_SAC = "XUAT_SAC", gettext_lazy("Xuất sắc")
    DAT = "DAT", gettext_lazy("Đạt")
    KHONG_DAT = "KHONG_DAT", gettext_lazy("Không đạt")


def _rating(value, what: str) -> Rating:
    if isinstance(value, str) and value in Rating.values:
        return Rating(value)
    raise ValueError(
        _("Mức đánh giá %(what)s phải là Xuất sắc, Đạt hoặc Không đạt, không phải %(value)r.")
        % {"what": what, "value": value}
    )


@dataclass(frozen=True)
class AcceptanceResult:
    outcome: str
    votes: dict[str, int]
    members_present: int


def member_verdict(products: dict[str, dict[str, str]], report: str, rules: dict) -> str:
    """One council member's verdict on a task, TT 11/2014 Đ12.

    `products`: product name -> aspect (each of `rules["aspects"]`) -> rating;
    `report`: the rating of the summary report.
    - KHONG_DAT when any product-aspect rating or the report is KHONG_DAT;
    - XUAT_SAC when, besides, at least `member_excellent_share` of all product-aspect
      ratings are XUAT_SAC;
    - DAT otherwise.
    `rules` is `[rules.acceptance]`.
    """
    _require(check_acceptance_rules(rules))
    aspects = rules["aspects"]
    if not products:
        raise ValueError(_("Chưa có sản phẩm nào để đánh giá."))
    report_rating = _rating(report, _("báo cáo tổng hợp"))
    ratings: list[Rating] = []
    for name, by_aspect in products.items():
        if not isinstance(by_aspect, dict):
            raise ValueError(
                _("Đánh giá sản phẩm «%(name)s» phải theo từng khía cạnh.") % {"name": name}
            )
        missing = [a for a in aspects if a not in by_aspect]
        if missing:
            raise ValueError(
                _("Sản phẩm «%(name)s» chưa được đánh giá về: %(aspects)s.")
                % {"name": name, "aspects": ", ".join(missing)}
            )
        unknown = [a for a in by_aspect if a not in aspects]
        if unknown:
            raise ValueError(
                _("Sản phẩm «%(name)s» có khía cạnh không có trong quy định: %(aspects)s.")
                % {"name": name, "aspects": ", ".join(unknown)}
            )
        for aspect in aspects:
            what = _("«%(aspect)s» của sản phẩm «%(name)s»") % {"aspect": aspect, "name": name}
            ratings.append(_rating(by_aspect[aspect], what))

    if report_rating == Rating.KHONG_DAT or Rating.KHONG_DAT in ratings:
        return Rating.KHONG_DAT
    excellent = sum(1 for r in ratings if r == Rating.XUAT_SAC)
    if Fraction(excellent, len(ratings)) >= parse_share(rules["member_excellent_share"]):
        return Rating.XUAT_SAC
    return Rating.DAT


def acceptance_result(verdicts: list[str], members_present: int, rules: dict) -> AcceptanceResult:
    """The council's result, TT 11/2014 Đ13, from the verdicts of the members present:
    - XUAT_SAC when at least `excellent_share_min` of the members present vote XUAT_SAC
      and none votes KHONG_DAT;
    - KHONG_DAT when more than `fail_share_above` of the members present vote KHONG_DAT;
    - DAT otherwise.
    Shares are of `members_present`, not of the verdicts handed in.
    `rules` is `[rules.acceptance]`.
    """
    _require(check_acceptance_rules(rules))
    if (
        isinstance(members_present, bool)
        or not isinstance(members_present, int)
        or members_present < 1
    ):
        raise ValueError(
            _("Số thành viên có mặt phải là số nguyên dương, không phải %(n)r.")
            % {"n": members_present}
        )
    if len(verdicts) > members_present:
        raise ValueError(
            _("Có %(votes)s phiếu, nhiều hơn số thành viên có mặt (%(present)s).")
            % {"votes": len(verdicts), "present": members_present}
        )
    counted = Counter(_rating(v, _("của thành viên")) for v in verdicts)
    votes = {r.value: counted.get(r, 0) for r in Rating}
    excellent, failed = votes[Rating.XUAT_SAC], votes[Rating.KHONG_DAT]

    if failed == 0 and excellent >= parse_share(rules["excellent_share_min"]) * members_present:
        outcome = Rating.XUAT_SAC
    elif failed > parse_share(rules["fail_share_above"]) * members_present:
        outcome = Rating.KHONG_DAT
    else:
        outcome = Rating.DAT
    return AcceptanceResult(outcome=outcome, votes=votes, members_present=members_present)
