"""The official documents KHCN writes, and the data each one is rendered from.

Every context has three common keys:

- ``agency``: ``parent_name`` ("UBND THÀNH PHỐ HẢI PHÒNG"), ``name`` ("SỞ KHOA HỌC VÀ
  CÔNG NGHỆ"), ``short`` ("SKHCN", the sign after "QĐ-" in the number), ``place``
  ("Hải Phòng", before the date);
- ``doc``: ``number`` (a string; empty renders "…" to be filled in when the document is
  registered), ``date`` (a ``datetime.date``);
- ``signer``: ``title`` ("GIÁM ĐỐC", upper case), ``name``;
- ``law``: the law the task falls under ("Luật Khoa học và Công nghệ số 29/2013/QH13"), from
  the task's rule set (``[rules.documents] law``).

The keys of each document are listed in ``DocumentSpec.keys`` and described below;
money is a ``Decimal`` (or ``int``) of whole đồng, dates are ``datetime.date``.

``task_list_decision`` – Quyết định phê duyệt danh mục nhiệm vụ KH&CN
    ``year``, ``call_title``, ``tasks`` [{``code``, ``title``, ``kind``, ``host``,
    ``leader``, ``months``, ``budget``}], ``total_budget``.
``council_decision`` – Quyết định thành lập hội đồng tư vấn
    ``council`` {``kind`` ("identification" / "selection" / "acceptance"),
    ``kind_label``}, ``project`` {``code``, ``title``, ``host``, ``leader``; host and
    leader may be empty before selection}, ``members`` [{``name``, ``degree``,
    ``organisation``, ``role_label``}].
``council_minutes`` – Biên bản họp hội đồng tư vấn
    ``council`` {``kind``, ``kind_label``, ``meeting_date``, ``present``, ``total``,
    ``secretary``, ``outcome_label``, ``conclusion``}, ``project``, ``members`` (each
    with ``present``), and the tally of the council's kind, the other two ``None``:
    ``identification`` {``yes``, ``no``, ``valid``}; ``selection`` [{``rank``,
    ``applicant``, ``mean``, ``adjusted_mean``, ``valid``, ``excluded``,
    ``eligible``}]; ``acceptance`` {``xuat_sac``, ``dat``, ``khong_dat``}.
    ``signer`` is the chair.
``contract`` – Hợp đồng thực hiện nhiệm vụ KH&CN, with its budget annex
    ``contract`` {``number``, ``signed_date``, ``value``, ``start_date``, ``end_date``,
    ``lump_sum``}, ``project``, ``party_a`` / ``party_b`` {``name``,
    ``representative``, ``title``, ``address``}, ``tranches`` [{``seq``,
    ``milestone``, ``planned_date``, ``amount``}], ``budget_lines`` [{``category``,
    ``source_label``, ``amount``}], ``total_state``, ``total_other``, ``total``.
``acceptance_minutes`` – Biên bản họp hội đồng đánh giá, nghiệm thu
    ``council`` {``kind``, ``kind_label``, ``meeting_date``, ``present``, ``total``,
    ``secretary``}, ``project``, ``members``, ``products`` [{``name``, ``quantity``,
    ``volume``, ``quality``}: the majority's label, "Xuất sắc" / "Đạt" / "Không đạt"],
    ``votes`` {``xuat_sac``, ``dat``, ``khong_dat``}, ``outcome_label``,
    ``conclusion``. ``signer`` is the chair.
``recognition_decision`` – Quyết định công nhận kết quả thực hiện nhiệm vụ
    ``project`` {``code``, ``title``, ``host``, ``leader``, ``start_date``,
    ``end_date``, ``budget``}, ``rating_label``, ``registration_no``.
``liquidation_record`` – Biên bản thanh lý hợp đồng
    ``contract``, ``project``, ``party_a``, ``party_b``, ``disbursed``, ``settled``,
    ``refund``, ``rating_label``.

``dossier_receipt`` – Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 01/2018/TT-VPCP mẫu 01)
    ``dossier`` {``code``, ``procedure``, ``applicant_name``, ``tax_code``,
    ``representative``, ``address``, ``phone``, ``email``, ``channel``, ``received_at``
    (text "14:20 ngày 27/04/2026"), ``received_on``, ``promised_date``, ``limit`` ("10 ngày
    làm việc"), ``documents`` [{``name``, ``count``}], ``receiver``, ``lookup_url``}.
``apology_letter`` – Phiếu xin lỗi và hẹn lại ngày trả kết quả (TT 01/2018/TT-VPCP mẫu 04)
    ``dossier`` (as above), ``apology`` {``number``, ``reason``, ``old_date``, ``new_date``}.
``certificate`` – a certificate a procedure issues
    ``certificate`` {``type_label`` (upper case), ``number``, ``version``, ``change_label``,
    ``issued_on``, ``holder_name``, ``holder_tax_code``, ``holder_address``,
    ``representative``, ``products`` [text], ``valid_until`` (or None), ``legal_basis``}.

Templates use the filters ``vnd`` (1.234.567), ``words`` (money in words), ``ngay``
("ngày 05 tháng 3 năm 2026") and ``diem`` (a score, "87,25").
"""

import copy
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khcn.documents import samples
from khcn.procedures import document_samples

COMMON_KEYS = ("agency", "doc", "signer", "law")


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    title: str | Promise
    # str.format over the context: "Hop-dong-{project[code]}"; folded to ASCII by filename()
    filename_pattern: str
    sample_context: dict = field(repr=False)
    keys: tuple[str, ...] = ()

    @property
    def required_keys(self) -> tuple[str, ...]:
        return COMMON_KEYS + self.keys

    def sample(self) -> dict:
        """A copy of the sample context, free to change."""
        return copy.deepcopy(self.sample_context)

    def filename(self, context: dict, extension: str = "docx") -> str:
        """A plain ASCII file name: "QD-cong-nhan-ket-qua-DT.KHCN.2026.03.docx"."""
        try:
            stem = self.filename_pattern.format(**context)
        except (KeyError, IndexError, TypeError, ValueError):
            stem = self.code
        return f"{_ascii_name(stem) or self.code}.{extension}"


def _ascii_name(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-.")[:120]


def _spec(code, title, filename_pattern, sample, keys) -> tuple[str, DocumentSpec]:
    return code, DocumentSpec(code, title, filename_pattern, sample(), tuple(keys))


DOCUMENTS: dict[str, DocumentSpec] = dict(
    [
        _spec(
            "task_list_decision",
            _("Quyết định phê duyệt danh mục nhiệm vụ khoa học và công nghệ"),
            "QD-phe-duyet-danh-muc-nhiem-vu-{year}",
            samples.task_list_decision,
            ["year", "call_title", "tasks", "total_budget"],
        ),
        _spec(
            "council_decision",
            _("Quyết định thành lập hội đồng tư vấn"),
            "QD-thanh-lap-hoi-dong-{project[code]}",
            samples.council_decision,
            ["council", "project", "members"],
        ),
        _spec(
            "council_minutes",
            _("Biên bản họp hội đồng tư vấn"),
            "BB-hop-hoi-dong-{project[code]}",
            samples.council_minutes,
            ["council", "project", "members", "identification", "selection", "acceptance"],
        ),
        _spec(
            "contract",
            _("Hợp đồng thực hiện nhiệm vụ khoa học và công nghệ"),
            "Hop-dong-{project[code]}",
            samples.contract,
            [
                "contract",
                "project",
                "party_a",
                "party_b",
                "tranches",
                "budget_lines",
                "total_state",
                "total_other",
                "total",
            ],
        ),
        _spec(
            "acceptance_minutes",
            _("Biên bản họp hội đồng đánh giá, nghiệm thu"),
            "BB-nghiem-thu-{project[code]}",
            samples.acceptance_minutes,
            [
                "council",
                "project",
                "members",
                "products",
                "votes",
                "outcome_label",
                "conclusion",
            ],
        ),
        _spec(
            "recognition_decision",
            _("Quyết định công nhận kết quả thực hiện nhiệm vụ"),
            "QD-cong-nhan-ket-qua-{project[code]}",
            samples.recognition_decision,
            ["project", "rating_label", "registration_no"],
        ),
        _spec(
            "liquidation_record",
            _("Biên bản thanh lý hợp đồng"),
            "BB-thanh-ly-hop-dong-{project[code]}",
            samples.liquidation_record,
            [
                "contract",
                "project",
                "party_a",
                "party_b",
                "disbursed",
                "settled",
                "refund",
                "rating_label",
            ],
        ),
        # administrative procedures (khcn.procedures.documents builds the contexts)
        _spec(
            "dossier_receipt",
            _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            "Giay-tiep-nhan-{dossier[code]}",
            document_samples.dossier_receipt,
            ["dossier"],
        ),
        _spec(
            "apology_letter",
            _("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            "Phieu-xin-loi-{dossier[code]}",
            document_samples.apology_letter,
            ["dossier", "apology"],
        ),
        _spec(
            "certificate",
            _("Giấy chứng nhận (kết quả thủ tục hành chính)"),
            "Giay-chung-nhan-{certificate[number]}",
            document_samples.certificate,
            ["certificate"],
        ),
    ]
)


def get_spec(code: str) -> DocumentSpec:
    """The document `code`, or LookupError."""
    try:
        return DOCUMENTS[code]
    except KeyError as exc:
        raise LookupError(f"unknown document {code!r}") from exc
