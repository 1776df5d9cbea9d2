"""Importing organisations, people and results: preview, confirm, all-or-nothing, duplicates."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum.vn import mst

from khcn.audit.models import AuditAction, AuditEvent
from khcn.core.errors import DomainError
from khcn.core.files import FileRejected
from khcn.registry.interop import imports
from khcn.registry.interop.columns import COLUMNS
from khcn.registry.interop.models import ImportBatch
from khcn.registry.models import Authorship, DuplicateFlag, Organisation, Person, Result
from khcn.search.models import SearchEntry
from tests.factories import pdf_bytes

ORG_HEADERS = [
    "Tên tổ chức (*)",
    "Loại hình (*)",
    "Mã số thuế",
    "Lĩnh vực",
    "Tỉnh/thành phố",
    "Ngày cấp GCN doanh nghiệp KH&CN",
    "Số GCN doanh nghiệp KH&CN",
]


def tax_code(n: int) -> str:
    """A valid 10-digit tax code (check digit by TT 105/2020/TT-BTC), distinct for each n."""
    base = 100000001 + n * 1000
    while not mst.is_valid(f"{base:09d}" + mst.calc_check_digit(f"{base:09d}")[:1]):
        base += 1
    return f"{base:09d}" + mst.calc_check_digit(f"{base:09d}")


def xlsx_upload(headers, rows, name="to-chuc.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_upload(headers, rows, name="to-chuc.csv", bom=True, delimiter=",") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    data = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, data.encode("utf-8"))


def check(batch) -> ImportBatch:
    imports.import_run_check(batch.pk)
    batch.refresh_from_db()
    return batch


def confirm_and_write(batch, actor) -> ImportBatch:
    imports.import_confirm(actor=actor, batch=batch)
    imports.import_write(batch.pk)
    batch.refresh_from_db()
    return batch


def good_rows():
    return [
        [
            "Viện Nghiên cứu Hải sản",
            "Viện, trung tâm nghiên cứu",
            tax_code(1),
            "4, 405",
            "Hải Phòng",
            "",
            "",
        ],
        [
            "Công ty CP Nhựa Thiếu niên Tiền Phong",
            "Doanh nghiệp",
            "0200167782",
            "2",
            "31",
            "15/03/2021",
            "07/DNKHCN",
        ],
        ["Trung tâm Đổi mới sáng tạo Hải Phòng", "st_org", "", "", "TP. Hải Phòng", "", ""],
    ]


def test_a_good_xlsx_file_writes_every_row_in_one_go_indexed_and_audited(staff_a, agency_a):
    batch = imports.import_upload(
        actor=staff_a,
        agency=agency_a,
        kind="organisation",
        upload=xlsx_upload(ORG_HEADERS, good_rows()),
    )
    batch = check(batch)
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert (batch.total_rows, batch.error_rows, batch.progress) == (3, 0, 100)
    assert not Organisation.objects.exists()  # the preview writes nothing

    batch = confirm_and_write(batch, staff_a)
    assert batch.status == ImportBatch.Status.IMPORTED and batch.created_count == 3
    orgs = {o.name: o for o in Organisation.objects.all()}
    tp = orgs["Công ty CP Nhựa Thiếu niên Tiền Phong"]
    assert tp.tax_code == "0200167782" and tp.kind == "enterprise" and tp.province_code == 31
    assert tp.st_enterprise_cert_date.isoformat() == "2021-03-15" and tp.is_st_enterprise
    assert tp.province_name and tp.name_key == "cong ty cp nhua thieu nien tien phong"
    assert sorted(orgs["Viện Nghiên cứu Hải sản"].fields.values_list("code", flat=True)) == [
        "4",
        "405",
    ]
    assert orgs["Trung tâm Đổi mới sáng tạo Hải Phòng"].province_code == 31
    assert SearchEntry.objects.filter(type="organisation").count() == 3
    events = AuditEvent.objects.filter(action=AuditAction.REGISTRY_IMPORTED)
    assert events.count() == 1 and events.get().after["created"] == 3
    # running the writing job again does nothing
    assert imports.import_write(batch.pk) is None
    assert Organisation.objects.count() == 3


def test_one_bad_row_writes_nothing_and_confirm_is_refused(staff_a, agency_a):
    rows = good_rows() + [
        ["", "Doanh nghiệp", "0200167783", "99", "Atlantis", "31/02/2021", "01"],
    ]
    batch = check(
        imports.import_upload(
            actor=staff_a,
            agency=agency_a,
            kind="organisation",
            upload=csv_upload(ORG_HEADERS, rows),
        )
    )
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.error_rows == 1 and batch.total_rows == 4
    by_column = {e["column"]: e["message"] for e in batch.errors}
    assert all(e["row"] == 5 for e in batch.errors)
    assert by_column["Tên tổ chức"] == "Trường này không được để trống."
    # a row missing its name is not checked further; fill it and see the other errors
    rows[-1][0] = "Công ty Sai Mã"
    batch2 = check(
        imports.import_upload(
            actor=staff_a,
            agency=agency_a,
            kind="organisation",
            upload=csv_upload(ORG_HEADERS, rows),
        )
    )
    by_column = {e["column"]: e["message"] for e in batch2.errors}
    assert "sai chữ số kiểm tra" in by_column["Mã số thuế"]
    assert "99" in by_column["Lĩnh vực"]
    assert "Atlantis" in by_column["Tỉnh/thành phố"]
    assert "31/02/2021" in by_column["Ngày cấp GCN doanh nghiệp KH&CN"]
    for b in (batch, batch2):
        with pytest.raises(DomainError, match="dòng lỗi"):
            imports.import_confirm(actor=staff_a, batch=b)
    running = imports.import_upload(
        actor=staff_a, agency=agency_a, kind="organisation", upload=csv_upload(ORG_HEADERS, rows)
    )
    with pytest.raises(DomainError, match="đang chạy"):  # the check job still owns it
        imports.import_cancel(actor=staff_a, batch=running)
    assert imports.import_cancel(actor=staff_a, batch=batch).status == ImportBatch.Status.CANCELLED
    assert not Organisation.objects.exists()


def test_rows_that_went_bad_after_the_preview_roll_back_everything(staff_a, agency_a, org):
    """The writing job checks again: an organisation named in a person row that was merged
    away meanwhile makes that row bad, and nothing at all is written."""
    headers = ["Họ và tên (*)", "Tổ chức công tác", "ORCID"]
    rows = [["Trần Văn Nam", "0200167782", ""], ["Lê Thị Mai", "Trường Đại học Hải Phòng", ""]]
    batch = check(
        imports.import_upload(
            actor=staff_a,
            agency=agency_a,
            kind="person",
            upload=xlsx_upload(headers, rows, "nguoi.xlsx"),
        )
    )
    assert batch.status == ImportBatch.Status.READY, batch.errors
    imports.import_confirm(actor=staff_a, batch=batch)
    Organisation.objects.filter(pk=org.pk).update(
        name="Đã đổi tên", name_key="da doi ten", tax_code=""
    )
    imports.import_write(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID and batch.error_rows == 2
    assert not Person.objects.filter(full_name__in=["Trần Văn Nam", "Lê Thị Mai"]).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REGISTRY_IMPORTED).exists()


def test_duplicates_are_flagged_in_the_file_and_against_the_database(staff_a, agency_a, org):
    rows = [
        [
            "TRUONG DAI HOC HAI PHONG",
            "Trường đại học, cao đẳng",
            "",
            "",
            "",
            "",
            "",
        ],  # = org by name
        ["Công ty Cổ phần Alpha", "Doanh nghiệp", tax_code(2), "", "", "", ""],
        ["Công ty Alpha (chi nhánh cũ)", "Doanh nghiệp", tax_code(2), "", "", "", ""],  # = row 3
    ]
    batch = check(
        imports.import_upload(
            actor=staff_a,
            agency=agency_a,
            kind="organisation",
            upload=xlsx_upload(ORG_HEADERS, rows),
        )
    )
    assert batch.status == ImportBatch.Status.READY and batch.duplicate_rows == 3
    found = {(d["row"], d["reason"]) for d in batch.duplicates}
    assert (2, "Trùng tên") in found
    assert (3, "Trùng mã số thuế") in found and (4, "Trùng mã số thuế") in found
    stored = next(d for d in batch.duplicates if d["row"] == 2)
    assert stored["with"] == [{"id": org.pk, "name": "Trường Đại học Hải Phòng"}]
    batch = confirm_and_write(batch, staff_a)
    assert batch.status == ImportBatch.Status.IMPORTED and batch.created_count == 3
    flags = DuplicateFlag.objects.filter(status="open")
    assert {f.reason for f in flags} == {"name", "tax_code"} and flags.count() == 2


def test_people_and_results_resolve_their_references(staff_a, agency_a, org, person):
    people = xlsx_upload(
        [
            "Họ và tên (*)",
            "Học vị",
            "Học hàm",
            "Năm sinh",
            "ORCID",
            "Tổ chức công tác",
            "Chức vụ",
            "Chuyên gia tư vấn, đánh giá",
            "Lĩnh vực đánh giá",
            "Đồng ý công khai thông tin cá nhân",
        ],
        [
            [
                "Phạm Quốc Khánh",
                "Tiến sĩ",
                "",
                1980,
                "0000-0001-5109-3700",
                "0200167782",
                "Trưởng khoa",
                "x",
                "405",
                "x",
            ],
            [
                "Nguyễn Thị Lan Hương",
                "ThS",
                "",
                "",
                "https://orcid.org/0000-0002-1825-0097",
                "DHP",
                "",
                "",
                "",
                "",
            ],
        ],
        "nguoi.xlsx",
    )
    batch = check(
        imports.import_upload(actor=staff_a, agency=agency_a, kind="person", upload=people)
    )
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert {d["reason"] for d in batch.duplicates} == {"Trùng ORCID"}  # row 3 = person
    batch = confirm_and_write(batch, staff_a)
    khanh = Person.objects.get(full_name="Phạm Quốc Khánh")
    assert khanh.degree == "TS" and khanh.is_expert and khanh.public_consent and khanh.consent_at
    assert khanh.affiliations.get().organisation == org
    assert list(khanh.expert_fields.values_list("code", flat=True)) == ["405"]

    results = csv_upload(
        [
            "Loại kết quả (*)",
            "Tên kết quả (*)",
            "Năm (*)",
            "Lĩnh vực",
            "Tác giả",
            "Tổ chức chủ trì",
            "Mức truy cập",
        ],
        [
            [
                "patent",
                "Quy trình sản xuất ống nhựa chịu nhiệt",
                "2023",
                "201",
                "Phạm Quốc Khánh",
                "Trường Đại học Hải Phòng",
                "",
            ],
            [
                "Bài báo, công bố khoa học",
                "Vi tảo trong nuôi tôm",
                "2024",
                "",
                "Người Không Có",
                "Không Tồn Tại",
                "Mật (lãnh đạo Sở)",
            ],
            ["Sáng chế", "Thiết bị lọc nước", "2024", "", "0000-0002-1825-0097", "", ""],
        ],
        "ketqua.csv",
        bom=False,
        delimiter=";",
    )
    batch = check(
        imports.import_upload(actor=staff_a, agency=agency_a, kind="result", upload=results)
    )
    assert batch.status == ImportBatch.Status.INVALID
    errors = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert batch.error_rows == 2 and {e["row"] for e in batch.errors} == {3, 4}
    assert (
        "Người Không Có" in errors[3, "Tác giả"] and "Không Tồn Tại" in errors[3, "Tổ chức chủ trì"]
    )
    assert "lãnh đạo" in errors[3, "Mức truy cập"]  # staff may not set Mật
    # two people now share that ORCID (the import flagged them): the author is ambiguous
    assert errors[4, "Tác giả"].startswith("Có 2 nhà khoa học có ORCID 0000-0002-1825-0097")


def test_results_with_two_authors_keep_their_order(staff_a, agency_a, org, person):
    results = csv_upload(
        ["Loại kết quả (*)", "Tên kết quả (*)", "Năm (*)", "Tác giả", "Tổ chức chủ trì"],
        [["software", "Phần mềm quản lý ao nuôi", "2024", "0000-0002-1825-0097", "0200167782"]],
        "ketqua.csv",
    )
    batch = confirm_and_write(
        check(imports.import_upload(actor=staff_a, agency=agency_a, kind="result", upload=results)),
        staff_a,
    )
    assert batch.status == ImportBatch.Status.IMPORTED
    result = Result.objects.get()
    assert list(Authorship.objects.filter(result=result).values_list("person_id", flat=True)) == [
        person.pk
    ]
    assert result.result_orgs.get().organisation == org
    assert SearchEntry.objects.filter(type="result", object_id=result.pk).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.pdf", pdf_bytes(), "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
        ("to-chuc.xlsx", pdf_bytes(), "Nội dung tệp không đúng với đuôi .xlsx"),
        ("to-chuc.csv", "Tên tổ chức\nCông ty\n".encode("cp1252", "replace"), "UTF-8"),
        ("to-chuc.csv", b"", "Tệp rỗng"),
    ],
)
def test_wrong_files_are_refused_in_vietnamese(staff_a, agency_a, name, data, message):
    with pytest.raises(
        FileRejected, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        imports.import_upload(
            actor=staff_a,
            agency=agency_a,
            kind="organisation",
            upload=SimpleUploadedFile(name, data),
        )
    assert not ImportBatch.objects.exists()


def test_a_file_without_the_required_columns_fails_with_a_clear_message(staff_a, agency_a):
    batch = check(
        imports.import_upload(
            actor=staff_a,
            agency=agency_a,
            kind="organisation",
            upload=csv_upload(["Tên", "Ghi chú"], [["A", "B"]]),
        )
    )
    assert batch.status == ImportBatch.Status.FAILED
    assert "Tên tổ chức (*)" in batch.message and "Loại hình (*)" in batch.message


def test_the_templates_are_accepted_back_after_filling_in(staff_a, agency_a, client_of):
    client = client_of(staff_a)
    for kind in COLUMNS:
        response = client.get(reverse("registry-import-template", args=[kind, "xlsx"]))
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book["Dữ liệu"]
        assert [c.value for c in sheet[1]] == [c.title for c in COLUMNS[kind]]
        assert sheet.data_validations.dataValidation  # drop-down lists
        assert "Hướng dẫn" in book.sheetnames
    response = client.get(reverse("registry-import-template", args=["organisation", "xlsx"]))
    upload = SimpleUploadedFile("mau.xlsx", response.content)
    batch = check(
        imports.import_upload(actor=staff_a, agency=agency_a, kind="organisation", upload=upload)
    )
    assert batch.status == ImportBatch.Status.READY, batch.errors  # the example row is valid
    csv_template = client.get(reverse("registry-import-template", args=["person", "csv"]))
    assert csv_template.content.startswith("\ufeffHọ và tên (*)".encode())


def test_pages_upload_preview_confirm_and_404_for_others(
    staff_a, agency_a, staff_b, client_of, client
):
    assert client.get(reverse("registry-import-list")).status_code == 302  # login first
    page = client_of(staff_a)
    assert page.get(reverse("registry-import-list")).status_code == 200
    response = page.post(
        reverse("registry-import-list"),
        {"kind": "organisation", "file": xlsx_upload(ORG_HEADERS, good_rows())},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry-import-detail", args=[batch.pk]
    )
    detail = page.get(response["Location"])
    assert 'hx-trigger="every 1s"' in detail.content.decode()  # polls while the job runs
    imports.import_run_check(batch.pk)
    progress = page.get(reverse("registry-import-progress", args=[batch.pk]) + "?running=1")
    assert progress["HX-Refresh"] == "true"
    detail = page.get(reverse("registry-import-detail", args=[batch.pk])).content.decode()
    assert "Xác nhận ghi 3 dòng" in detail
    page.post(reverse("registry-import-confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING
    imports.import_write(batch.pk)
    assert Organisation.objects.count() == 3
    refused = page.post(
        reverse("registry-import-list"),
        {"kind": "organisation", "file": SimpleUploadedFile("a.docx", b"xx")},
    )
    assert refused.status_code == 422 and "Chỉ nhận tệp Excel" in refused.content.decode()

    other = client_of(staff_b)
    for name in ("registry-import-detail", "registry-import-progress"):
        assert other.get(reverse(name, args=[batch.pk])).status_code == 404
    assert other.post(reverse("registry-import-confirm", args=[batch.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_background_jobs_run_in_the_real_worker(staff_a, agency_a, client_of, run_worker):
    page = client_of(staff_a)
    page.post(
        reverse("registry-import-list"),
        {"kind": "organisation", "file": xlsx_upload(ORG_HEADERS, good_rows())},
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    page.post(reverse("registry-import-confirm", args=[batch.pk]))
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and Organisation.objects.count() == 3
