"""The procedures API: the public catalogue and register, filing by multipart, the steps, the
certificate and the statistics."""

import json

import pytest

from khcn.core import clock
from khcn.procedures.models import Dossier
from tests.factories import png_bytes, upload
from tests.procedures.helpers import APPLICANT, FORMS, D, all_files, approved, procedure, submit

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_public(client, procedure_catalogue):
    body = client.get("/api/v1/procedures").json()
    codes = [p["code"] for p in body]
    assert codes[:2] == ["KHCN-DNKHCN-01", "KHCN-DNKHCN-02"] and len(codes) == 9
    first = body[0]
    assert first["time_limit"] == {
        "days": 10,
        "unit": "working",
        "source": "NĐ 13/2019/NĐ-CP [V]: 10 ngày làm việc từ khi nhận hồ sơ hợp lệ "
        "(15 nếu lấy ý kiến chuyên gia, hội đồng)",
    }
    assert first["code_kind"] == "local" and first["fee"] == 0

    detail = client.get("/api/v1/procedures/KHCN-DKHD-01").json()
    assert "Nghị định số 08/2014/NĐ-CP" in detail["legal_basis"]
    assert [d["key"] for d in detail["documents"]] == ["don", "quyet_dinh", "dieu_le", "nhan_luc"]
    assert detail["documents"][0]["mandatory"] is True
    assert detail["form_fields"][0]["type"] == "choice"
    assert client.get("/api/v1/procedures/KHONG-CO").status_code == 404


def _multipart(code="KHCN-DNKHCN-01", **changes):
    payload = {
        "procedure": code,
        "agency": "hp-test",
        "applicant": APPLICANT,
        "form_data": FORMS[code],
    } | changes
    data = {"payload": json.dumps(payload)}
    for key, files in all_files(procedure(code)).items():
        data[key] = files
    return data


def test_filing_by_multipart(client, procedure_catalogue, agency_a, enterprise, token_headers):
    with clock.travel(D(2026, 4, 24)):
        response = client.post("/api/v1/dossiers", _multipart(), **token_headers(enterprise))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "HP-TEST-2026-000001"
    assert body["due_date"] == "2026-05-13"
    assert body["state"] == "RECEIVED"
    assert {d["requirement"] for d in body["documents"]} == {"don", "ket_qua_khcn", "phuong_an"}
    assert body["receipt_attachment_id"]
    assert body["history"][0]["action"] == "_start"


def test_filing_errors_are_422_with_fields(
    client, procedure_catalogue, agency_a, enterprise, token_headers
):
    headers = token_headers(enterprise)
    data = _multipart(applicant={**APPLICANT, "tax_code": "0200167783"})
    data["phuong_an"] = [upload("phuong-an.pdf", png_bytes())]
    del data["ket_qua_khcn"]

    response = client.post("/api/v1/dossiers", data, **headers)

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"applicant.tax_code", "files.ket_qua_khcn"}
    # a file that is not a PDF is found once the rest is right
    data = _multipart()
    data["phuong_an"] = [upload("phuong-an.pdf", png_bytes())]
    response = client.post("/api/v1/dossiers", data, **headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "files.phuong_an"
    bad_json = client.post("/api/v1/dossiers", {"payload": "{không phải json"}, **headers)
    assert bad_json.status_code == 422
    unknown = client.post(
        "/api/v1/dossiers", {"payload": json.dumps({"procedure": "X", "agency": "Y"})}, **headers
    )
    assert {e["field"] for e in unknown.json()["errors"]} == {"procedure", "agency"}
    assert Dossier.objects.count() == 0
    assert client.post("/api/v1/dossiers", _multipart()).status_code == 401


def test_steps_and_certificate(
    client, procedure_catalogue, agency_a, staff_a, leader_a, enterprise, token_headers
):
    dossier = submit(enterprise, agency_a, on=D(2026, 4, 24))
    staff, leader, applicant = (token_headers(u) for u in (staff_a, leader_a, enterprise))
    base = f"/api/v1/dossiers/{dossier.pk}"

    actions = {a["action"] for a in client.get(f"{base}/actions", **staff).json()}
    assert actions == {"accept", "request_supplement"}
    assert client.get(f"{base}/actions", **applicant).json() == [
        {
            "action": "withdraw",
            "label": "Rút hồ sơ",
            "target": "WITHDRAWN",
            "allowed": True,
            "reason": "",
            "fields": [],
        }
    ]

    def post(path, body, headers):
        return client.post(path, json.dumps(body), content_type="application/json", **headers)

    moved = post(f"{base}/actions/accept", {"expected_state": "APPRAISING"}, staff)
    assert moved.status_code == 409
    asked = post(f"{base}/actions/request_supplement", {"data": {}}, staff)
    assert asked.status_code == 422
    asked = post(f"{base}/actions/request_supplement", {"data": {"items": "Đơn có chữ ký"}}, staff)
    assert asked.status_code == 200 and asked.json()["state"] == "SUPPLEMENT_REQUESTED"

    answer = client.post(
        f"{base}/actions/supplement",
        {
            "payload": json.dumps({"remark": "Đơn đã ký"}),
            "don": [upload("don.pdf", b"%PDF-1.4\n%%EOF\n")],
        },
        **applicant,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "RECEIVED"
    assert post(f"{base}/actions/approve", {}, staff).status_code == 409
    assert post(f"{base}/actions/accept", {}, leader).status_code == 403

    dossier.refresh_from_db()
    approved(staff_a, leader_a, dossier)
    issued = post(f"{base}/certificate", {"content": "Chế phẩm CH-Bio 01"}, staff)
    assert issued.status_code == 200, issued.content
    assert issued.json()["state"] == "RESULT_ISSUED"
    assert issued.json()["certificates"][0]["number"].endswith("/DNKHCN")

    register = client.get("/api/v1/certificates?type=dn_khcn&valid=true").json()
    assert register["count"] == 1
    assert register["items"][0]["holder_name"] == APPLICANT["name"]
    assert register["items"][0]["content"] == "Chế phẩm CH-Bio 01"
    assert client.get("/api/v1/certificates?type=khac").status_code == 422


def test_out_of_reach_is_404(
    client, procedure_catalogue, agency_a, enterprise, other_enterprise, staff_b, token_headers
):
    dossier = submit(enterprise, agency_a)
    for user in (other_enterprise, staff_b):
        headers = token_headers(user)
        assert client.get(f"/api/v1/dossiers/{dossier.pk}", **headers).status_code == 404
        assert (
            client.post(
                f"/api/v1/dossiers/{dossier.pk}/actions/withdraw",
                "{}",
                content_type="application/json",
                **headers,
            ).status_code
            == 404
        )


def test_lists_and_statistics(
    client, procedure_catalogue, agency_a, staff_a, enterprise, token_headers
):
    dossier = submit(enterprise, agency_a, on=D(2026, 4, 24))
    mine = client.get("/api/v1/dossiers", **token_headers(enterprise)).json()
    assert [d["code"] for d in mine["items"]] == [dossier.code]
    staff = token_headers(staff_a)
    listed = client.get(
        "/api/v1/dossiers?agency=hp-test&procedure=KHCN-DNKHCN-01&state=RECEIVED", **staff
    ).json()
    assert listed["count"] == 1 and listed["items"][0]["state_label"].startswith("Đã tiếp nhận")
    stats = client.get(
        "/api/v1/dossiers-statistics?agency=hp-test&date_from=2026-01-01&date_to=2026-12-31",
        **staff,
    )
    assert stats.status_code == 200
    assert stats.json()["total"]["received"] == 1
    forbidden = client.get(
        "/api/v1/dossiers-statistics?agency=hp-test&date_from=2026-01-01&date_to=2026-12-31",
        **token_headers(enterprise),
    )
    assert forbidden.status_code == 403
