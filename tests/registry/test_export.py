"""Exports of the staff lists to XLSX and CSV: the same rows as the list page, audited."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from khcn.audit.models import AuditAction, AuditEvent
from khcn.registry import services
from khcn.registry.interop.filters import staff_list


@pytest.fixture
def records(staff_a, agency_a, staff_b, agency_b, org, person):
    services.organisation_create(
        actor=staff_a,
        agency=agency_a,
        name="Công ty CP Nhựa Thiếu niên Tiền Phong",
        kind="enterprise",
        province_code=31,
        st_enterprise_cert_no="07/DNKHCN",
        st_enterprise_cert_date="2021-03-15",
    )
    services.organisation_create(
        actor=staff_a, agency=agency_a, name="Ân Thịnh Hưng", kind="enterprise", access="restricted"
    )
    services.organisation_create(
        actor=staff_b, agency=agency_b, name="Viện của Hà Nội", kind="institute"
    )
    for year in (2022, 2023, 2024):
        services.result_create(
            actor=staff_a,
            agency=agency_a,
            kind="patent",
            title=f"Sáng chế {year}",
            year=year,
            authors=[person],
            organisations=[org],
        )
    services.result_create(
        actor=staff_a, agency=agency_a, kind="publication", title="Bài báo", year=2024
    )


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_organisation_export_matches_the_filtered_list_in_both_formats(records, staff_a, client_of):
    client = client_of(staff_a)
    list_page = client.get(reverse("registry-organisation-list"), {"kind": "enterprise"})
    assert list_page.status_code == 200
    response = client.get(
        reverse("registry-export", args=["organisation", "xlsx"]), {"kind": "enterprise"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="to-chuc-')
    rows = _xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Mã", "Tên tổ chức", "Tên viết tắt"]
    names = [r[1] for r in rows[1:]]
    # Vietnamese order (Â before C), the other agency's records left out, restricted ones kept
    assert names == ["Ân Thịnh Hưng", "Công ty CP Nhựa Thiếu niên Tiền Phong"]
    for name in names:
        assert name in list_page.content.decode()
    tp = rows[2]
    assert tp[3] == "Doanh nghiệp" and tp[8] == "Thành phố Hải Phòng" and tp[11] == "07/DNKHCN"
    assert tp[12].strftime("%d/%m/%Y") == "15/03/2021"  # a real date cell

    as_csv = _csv_rows(
        client.get(reverse("registry-export", args=["organisation", "csv"]), {"kind": "enterprise"})
    )
    assert [r[1] for r in as_csv[1:]] == names and as_csv[2][12] == "15/03/2021"
    event = AuditEvent.objects.filter(action=AuditAction.REGISTRY_EXPORTED).order_by("pk").last()
    assert event.after == {
        "kind": "organisation",
        "format": "csv",
        "rows": 2,
        "filters": {"kind": "enterprise"},
    }


def test_result_and_person_exports_follow_filters_and_sort(records, staff_a, client_of):
    client = client_of(staff_a)
    response = client.get(
        reverse("registry-export", args=["result", "csv"]), {"kind": "patent", "sort": "year"}
    )
    rows = _csv_rows(response)
    assert [r[2] for r in rows[1:]] == ["Sáng chế 2024", "Sáng chế 2023", "Sáng chế 2022"]
    assert rows[1][10] == "Nguyễn Thị Lan Hương" and rows[1][11] == "Trường Đại học Hải Phòng"
    qs = staff_list("result", user=staff_a, params={"kind": "patent"})
    assert qs.count() == 3
    people = _csv_rows(client.get(reverse("registry-export", args=["person", "csv"])))
    assert people[1][1] == "Nguyễn Thị Lan Hương" and people[1][7] == "0000-0002-1825-0097"
    assert people[1][11] == "Trường Đại học Hải Phòng"
    assets = _xlsx_rows(
        b"".join(
            client.get(reverse("registry-export", args=["ip_asset", "xlsx"])).streaming_content
        )
    )
    assert len(assets) == 1  # header only


def test_exports_are_for_the_agency_staff_only(records, staff_b, client_of, client):
    assert client.get(reverse("registry-export", args=["organisation", "csv"])).status_code == 302
    other = client_of(staff_b)
    rows = _csv_rows(other.get(reverse("registry-export", args=["organisation", "csv"])))
    assert [r[1] for r in rows[1:]] == ["Viện của Hà Nội"]
    assert other.get(reverse("registry-export", args=["organisation", "pdf"])).status_code == 404
    assert other.get(reverse("registry-export", args=["nothing", "csv"])).status_code == 404
