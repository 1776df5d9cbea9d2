"""The public status lookup: no login, no personal data, one answer for unknown and malformed
codes, and a rate limit per client address."""

import pytest

from tests.procedures.helpers import APPLICANT, D, submit

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/lookup"


@pytest.fixture
def dossier(procedure_catalogue, agency_a, enterprise, empty_cache):
    return submit(enterprise, agency_a, on=D(2026, 4, 24))


def test_anyone_reads_the_status_and_dates_only(client, dossier):
    response = client.get(URL, {"code": dossier.code.lower()})

    assert response.status_code == 200
    assert response.json() == {
        "code": dossier.code,
        "procedure": "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "status": "Đã tiếp nhận",
        "finished": False,
        "received_on": "2026-04-24",
        "promised_date": "2026-05-13",
        "returned_on": None,
    }
    text = response.content.decode()
    for personal in (APPLICANT["name"], APPLICANT["tax_code"], APPLICANT["address"], "Khôi"):
        assert personal not in text


@pytest.mark.parametrize(
    "code",
    ["HP-TEST-2026-999999", "hp-test-2026-000001x", "", "' OR 1=1 --", "../../etc", "A" * 500],
)
def test_unknown_and_malformed_codes_answer_alike(client, dossier, code):
    response = client.get(URL, {"code": code})

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy hồ sơ có mã này."}


def test_too_many_lookups_from_one_address_are_refused(client, dossier):
    for _ in range(20):  # [rules.dossier] lookup_per_minute of tthc-2018
        assert client.get(URL, {"code": "HP-TEST-2026-999999"}).status_code == 404

    refused = client.get(URL, {"code": dossier.code})
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Bạn tra cứu quá nhiều lần; vui lòng thử lại sau một phút."}
    other = client.get(URL, {"code": dossier.code}, REMOTE_ADDR="203.0.113.7")
    assert other.status_code == 200
