"""Forms of the council pages: forming a council, replacing a member, the roll call, the
conflict-of-interest declaration and the three kinds of ballot.

The forms only check the shape of what was typed; the council rules (size, roles,
conflicts, score ranges) are the services' business, and their `FieldErrors` are put
back on the fields here (`apply_errors`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from khcn.accounts.models import Role, User
from khcn.core.text import vietnamese_sort_key
from khcn.councils.models import CouncilKind, CouncilMember, MemberRole
from khcn.projects.models import Rating
from khcn.workflow.forms import DATE_INPUTS

MEMBER_ROWS = 11
# the rows of a new council start with the roles every council needs (NĐ 08/2014 Đ32)
DEFAULT_ROLES = [
    MemberRole.CHAIR,
    MemberRole.VICE_CHAIR,
    MemberRole.REVIEWER,
    MemberRole.REVIEWER,
    MemberRole.SECRETARY,
]
# the rule sets name acceptance aspects by code; these are their Vietnamese names
ASPECT_LABELS = {
    "quantity": _("Số lượng"),
    "volume": _("Khối lượng"),
    "quality": _("Chất lượng"),
}


def aspect_label(code: str) -> str:
    return str(ASPECT_LABELS.get(code, code))


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={
            "invalid": _("Nhập ngày theo dạng dd/mm/yyyy."),
            "required": _("Cần nhập ngày."),
        },
    )


def agency_experts(agency) -> list[User]:
    """The agency's expert pool (users holding the expert role there), in Vietnamese order."""
    people = User.objects.filter(
        memberships__agency=agency, memberships__role=Role.EXPERT, is_active=True
    ).distinct()
    return sorted(people, key=lambda u: (vietnamese_sort_key(u.full_name), u.pk))


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} – {obj.organisation}" if obj.organisation else obj.full_name


def _expert_field(experts: list[User], error_messages=None, **kwargs) -> ExpertChoiceField:
    field = ExpertChoiceField(
        queryset=User.objects.filter(pk__in=[u.pk for u in experts]),
        empty_label="—",
        error_messages={
            "invalid_choice": _("Chuyên gia này không có trong danh sách của Sở."),
            **(error_messages or {}),
        },
        **kwargs,
    )
    # keep the Vietnamese order of the pool rather than the queryset's
    field.choices = [("", "—"), *((u.pk, field.label_from_instance(u)) for u in experts)]
    return field


class CouncilForm(forms.Form):
    """The decision forming a council and its member rows (empty rows are ignored)."""

    kind = forms.ChoiceField(
        label=_("Loại hội đồng"),
        choices=[("", "—"), *CouncilKind.choices],
        error_messages={"required": _("Chọn loại hội đồng.")},
    )
    decision_no = forms.CharField(
        label=_("Số quyết định thành lập"),
        max_length=60,
        error_messages={"required": _("Cần số quyết định thành lập.")},
        widget=forms.TextInput(attrs={"placeholder": _("VD: 15/QĐ-SKHCN")}),
    )
    decision_date = _date_field(_("Ngày quyết định"))
    meeting_date = _date_field(_("Ngày họp"))
    meeting_place = forms.CharField(label=_("Địa điểm họp"), max_length=255, required=False)

    def __init__(self, *args, experts: list[User], rows: int = MEMBER_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.experts = experts
        for i in range(rows):
            self.fields[f"m{i}_expert"] = _expert_field(
                experts, label=_("Chuyên gia"), required=False
            )
            self.fields[f"m{i}_role"] = forms.ChoiceField(
                label=_("Vai trò"),
                choices=[("", "—"), *MemberRole.choices],
                required=False,
                initial=DEFAULT_ROLES[i] if i < len(DEFAULT_ROLES) else MemberRole.MEMBER,
            )
            self.fields[f"m{i}_degree"] = forms.CharField(
                label=_("Học hàm, học vị"), max_length=60, required=False
            )

    def member_rows(self) -> list[dict]:
        return [
            {
                "n": i + 1,
                "expert": self[f"m{i}_expert"],
                "role": self[f"m{i}_role"],
                "degree": self[f"m{i}_degree"],
            }
            for i in range(self.rows)
        ]

    def clean(self):
        """A row without an expert is empty (its suggested role is ignored)."""
        data = super().clean()
        for i in range(self.rows):
            if data.get(f"m{i}_expert") and not data.get(f"m{i}_role"):
                self.add_error(f"m{i}_role", _("Chọn vai trò của thành viên."))
        return data

    def members(self) -> list[tuple]:
        """[(user, role, degree)] of the filled rows, as `council_form` takes them."""
        rows = []
        for i in range(self.rows):
            expert = self.cleaned_data.get(f"m{i}_expert")
            if expert:
                rows.append(
                    (expert, self.cleaned_data[f"m{i}_role"], self.cleaned_data[f"m{i}_degree"])
                )
        return rows

    def apply_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class ReplaceForm(forms.Form):
    """Put another expert in a seat: one who declared a conflict, or any seat before the
    council opens."""

    member = forms.TypedChoiceField(label=_("Thành viên được thay"), coerce=int)
    expert = forms.ModelChoiceField(queryset=User.objects.none())
    degree = forms.CharField(label=_("Học hàm, học vị"), max_length=60, required=False)

    def __init__(self, *args, seats: list[CouncilMember], experts: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + [
            (m.pk, f"{m.expert.full_name} ({m.get_role_display().lower()})") for m in seats
        ]
        self.fields["member"].error_messages = {
            "required": _("Chọn thành viên được thay."),
            "invalid_choice": _("Chọn thành viên được thay trong danh sách."),
        }
        if len(seats) == 1:
            self.fields["member"].initial = seats[0].pk
        self.fields["expert"] = _expert_field(
            experts,
            label=_("Chuyên gia thay thế"),
            error_messages={
                "required": _("Chọn chuyên gia thay thế."),
                "invalid_choice": _(
                    "Chọn một chuyên gia trong danh sách (chưa có trong hội đồng)."
                ),
            },
        )


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Xung đột lợi ích"),
        choices=[
            ("0", _("Tôi không có xung đột lợi ích với nhiệm vụ và các tổ chức, cá nhân có hồ sơ")),
            ("1", _("Tôi có xung đột lợi ích (sẽ rút khỏi hội đồng)")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn một trong hai khai báo.")},
    )
    note = forms.CharField(
        label=_("Nội dung xung đột (nếu có)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class AttendanceForm(forms.Form):
    """The roll call: who is present, and which vice-chair the chair authorised."""

    def __init__(self, *args, members: list[CouncilMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            self.fields[f"present_{m.pk}"] = forms.BooleanField(
                label=m.expert.full_name, required=False, initial=bool(m.present)
            )
        vices = [m for m in members if m.role == MemberRole.VICE_CHAIR]
        self.fields["authorised"] = forms.TypedChoiceField(
            label=_("Chủ trì thay chủ tịch"),
            choices=[("", _("Không (chủ tịch chủ trì)"))]
            + [(str(m.pk), m.expert.full_name) for m in vices],
            coerce=int,
            empty_value=None,
            required=False,
            initial=next((str(m.pk) for m in vices if m.authorised), ""),
        )

    def rows(self) -> list[dict]:
        return [{"member": m, "field": self[f"present_{m.pk}"]} for m in self.members]

    def present(self) -> dict[int, bool]:
        return {m.pk: bool(self.cleaned_data.get(f"present_{m.pk}")) for m in self.members}


# --- ballots ------------------------------------------------------------------------------------

RATING_CHOICES = [("", "—"), *Rating.choices]


class BallotForm(forms.Form):
    """One member's ballot: built from the council's kind and rules. Values are passed to
    `ballot_submit` as typed; it checks them and names the wrong ones."""

    comment = forms.CharField(
        label=_("Ý kiến nhận xét"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, council, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.kind = council.kind
        rules = council.rules.get(council.kind, {})
        self.criteria = list(rules.get("criteria", []))
        self.aspects = list(rules.get("aspects", []))
        self.products = list(products)
        if self.kind == CouncilKind.IDENTIFICATION:
            self.fields["verdict"] = forms.ChoiceField(
                label=_("Kết luận của thành viên"),
                choices=[("dat", _("Đạt yêu cầu")), ("khong_dat", _("Không đạt yêu cầu"))],
                widget=forms.RadioSelect,
                required=False,
            )
        elif self.kind == CouncilKind.SELECTION:
            for c in self.criteria:
                self.fields[f"score_{c['code']}"] = forms.CharField(
                    label=c["label"],
                    max_length=10,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"step": "0.5", "min": "0", "max": c["max"], "data-score": ""}
                    ),
                )
        else:
            for p in self.products:
                for aspect in self.aspects:
                    self.fields[f"p{p.pk}_{aspect}"] = forms.ChoiceField(
                        label=f"{p.name} – {aspect_label(aspect)}",
                        choices=RATING_CHOICES,
                        required=False,
                    )
            self.fields["report"] = forms.ChoiceField(
                label=_("Báo cáo tổng hợp kết quả"), choices=RATING_CHOICES, required=False
            )
        self.order_fields([n for n in self.fields if n != "comment"] + ["comment"])

    @staticmethod
    def initial_from(council, ballot) -> dict:
        """The form values of a stored ballot, so it can be corrected."""
        if ballot is None:
            return {}
        data = {"comment": ballot.comment}
        payload = ballot.payload
        if council.kind == CouncilKind.IDENTIFICATION:
            data["verdict"] = "dat" if payload.get("verdict") else "khong_dat"
        elif council.kind == CouncilKind.SELECTION:
            for code, value in payload.get("scores", {}).items():
                data[f"score_{code}"] = value
        else:
            for pk, row in payload.get("products", {}).items():
                for aspect, rating in row.items():
                    data[f"p{pk}_{aspect}"] = rating
            data["report"] = payload.get("report", "")
        return data

    def payload(self) -> dict:
        d = self.cleaned_data
        if self.kind == CouncilKind.IDENTIFICATION:
            return {"verdict": d.get("verdict") or None}
        if self.kind == CouncilKind.SELECTION:
            return {
                "scores": {
                    c["code"]: (d.get(f"score_{c['code']}") or "").strip() for c in self.criteria
                }
            }
        return {
            "products": {
                str(p.pk): {a: d.get(f"p{p.pk}_{a}") for a in self.aspects if d.get(f"p{p.pk}_{a}")}
                for p in self.products
            },
            "report": d.get("report") or None,
        }

    def apply_errors(self, errors: dict[str, str]) -> None:
        """Put the service's errors ("scores.prior", "products.7.quality", "report") on the
        fields they name."""
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "scores" and len(parts) == 2:
                name = f"score_{parts[1]}"
            elif parts[0] == "products" and len(parts) == 3:
                name = f"p{parts[1]}_{parts[2]}"
            else:
                name = key
            self.add_error(name if name in self.fields else None, message)

    def score_rows(self) -> list[dict]:
        return [{"criterion": c, "field": self[f"score_{c['code']}"]} for c in self.criteria]

    def product_rows(self) -> list[dict]:
        return [
            {"product": p, "cells": [self[f"p{p.pk}_{a}"] for a in self.aspects]}
            for p in self.products
        ]

    def aspect_labels(self) -> list[str]:
        return [aspect_label(a) for a in self.aspects]
