"""GET /api/v1/search and the page /tim-kiem/: anonymous, staff of the agency, staff of
another agency; bad parameters; hostile input never a 500."""

import pytest
from django.urls import reverse

from khcn.accounts.services import token_create

from .test_search import HOSTILE

API = "/api/v1/search"


def api_ids(client, **params):
    response = client.get(API, {"type": "note", **params})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_api_shape(client, notes):
    response = client.get(API, {"q": "cong nghe sinh hoc", "type": "note"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and body["count_capped"] is False
    first = body["items"][0]
    assert set(first) == {"type", "id", "title", "snippet", "url", "score"}
    assert first["type"] == "note" and first["id"] == 1
    assert first["title"] == "Công nghệ sinh học trong nông nghiệp"
    assert first["url"] == "/ghi-chep/1/" and isinstance(first["score"], int)
    assert client.get(API, {"q": "dong thap"}).json()["items"][1]["snippet"] == (
        "Tỉnh <mark>Đồng Tháp</mark>"
    )


def test_api_access_levels(client, client_of, notes, staff_a, staff_b):
    assert api_ids(client, q="vat lieu") == [7]
    assert api_ids(client_of(staff_a), q="vat lieu") == [13, 7, 10]
    assert api_ids(client_of(staff_b), q="vat lieu") == [13, 12, 7]


def test_api_bearer_token_sees_the_agency(client, notes, staff_a):
    _token, key = token_create(actor=staff_a, user=staff_a, name="tìm kiếm")
    response = client.get(
        API, {"q": "vat lieu", "type": "note"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert [i["id"] for i in response.json()["items"]] == [13, 7, 10]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "abc"},
        {"page": "100000"},
        {"year": "hai nghìn"},
        {"year": "99999"},
        {"type": "khong-co"},
        {"per_page": "1000"},
        {"org": "x"},
    ],
)
def test_api_bad_parameters_are_422(client, notes, params):
    response = client.get(API, {"q": "cong", **params})
    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu không hợp lệ."


def test_api_and_page_hostile_input(client, notes):
    for raw in HOSTILE:
        assert client.get(API, {"q": raw}).status_code == 200, raw
        assert client.get(reverse("search"), {"q": raw}).status_code == 200, raw


def test_api_empty_query(client, notes):
    assert client.get(API).json() == {
        "items": [],
        "count": 0,
        "count_capped": False,
        "page": 1,
        "pages": 0,
        "query": "",
        "corrected": "",
    }


def test_page_anonymous(client, notes):
    response = client.get(reverse("search"), {"q": "cong nghe sinh hoc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Tìm kiếm: cong nghe sinh hoc · KHCN</title>" in html
    assert '<meta name="description" content="Tìm nhiệm vụ, kết quả' in html
    assert "<mark>Công nghệ sinh học</mark>" in html
    assert 'href="/ghi-chep/1/"' in html
    assert "5 kết quả" in html
    assert "Vật liệu" not in html


def test_page_access_and_filters(client, client_of, notes, staff_a, staff_b):
    url = reverse("search")
    anonymous = client.get(url, {"q": "vat lieu"}).content.decode()
    assert "Nghiên cứu vật liệu nano" not in anonymous
    html = client_of(staff_a).get(url, {"q": "vat lieu"}).content.decode()
    assert "<mark>vật liệu</mark> nano" in html and "composite" not in html
    html = client_of(staff_b).get(url, {"q": "vat lieu"}).content.decode()
    assert "composite" in html and "nano" not in html
    html = client.get(url, {"q": "cong nghe", "field": "2", "type": "note"}).content.decode()
    assert "chăn nuôi" in html and "trong nông nghiệp" not in html


def test_page_no_results_help_and_empty_form(client, notes):
    html = client.get(reverse("search"), {"q": "xyzzy quux"}).content.decode()
    assert "Không tìm thấy kết quả cho “xyzzy quux”." in html
    html = client.get(reverse("search")).content.decode()
    assert 'name="q"' in html and "Nhập từ khóa" in html


def test_page_htmx_fragment(client, notes):
    response = client.get(reverse("search"), {"q": "dong thap"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<mark>Đồng Tháp</mark>" in html
