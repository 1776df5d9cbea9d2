"""A test-only searchable type ("note") over plain objects, and a small data set whose
ranking is asserted the same way on SQLite and PostgreSQL."""

from dataclasses import dataclass, field

import pytest

from khcn.search.registry import SearchType, register, unregister
from khcn.search.services import index_objects


@dataclass
class Note:
    pk: int
    title: str
    parts: list[str] = field(default_factory=list)
    access: str = "public"
    agency_id: int | None = None
    field: str = ""
    year: int | None = None
    org: int | None = None


NOTE = SearchType(
    key="note",
    label="Ghi chép",
    model=None,
    title=lambda n: n.title,
    text=lambda n: [n.title, *n.parts],
    url=lambda n: f"/ghi-chep/{n.pk}/",
    access=lambda n: n.access,
    agency_id=lambda n: n.agency_id,
    facets=lambda n: {"field": n.field, "year": n.year, "org": n.org},
)


@pytest.fixture
def note_type(db):
    register(NOTE)
    yield NOTE
    unregister("note")


# Indexed in this order (index ids ascending): ties are broken newest first.
DATA = [
    Note(1, "Công nghệ sinh học trong nông nghiệp", ["Tỉnh Đồng Tháp"], field="4", year=2022),
    Note(2, "Ứng dụng công nghệ sinh học xử lý chất thải chăn nuôi", field="2", year=2023),
    Note(3, "Sinh học phân tử và công nghệ gen", field="1", year=2022),
    Note(4, "Nghiên cứu giống lúa chịu mặn", ["Sử dụng công nghệ sinh học hiện đại"], year=2021),
    Note(5, "Công nghệ thông tin trong quản lý đất đai", ["học máy, sinh trắc học"], year=2022),
    Note(6, "Phát triển du lịch sinh thái Đồng Tháp Mười", ["Vùng Đồng bằng sông Cửu Long"]),
    Note(7, "Vật liệu xây dựng không nung từ bã thạch cao", ["Hải Phòng"], field="2", org=12),
    Note(8, "Nghề nuôi tôm nước lợ", ["Cà Mau"], field="4", year=2023),
    Note(9, "Nghệ thuật tuồng cổ", ["Hải Phòng"], field="6", year=2020),
    Note(10, "Nghiên cứu vật liệu nano", access="restricted", agency_id=1, year=2024),
    Note(11, "Vật liệu mật mã quốc phòng", access="confidential", agency_id=1, year=2024),
    Note(12, "Vật liệu composite cho tàu biển", access="restricted", agency_id=2, year=2024),
    Note(13, "Vật liệu quốc gia dùng chung", access="restricted", agency_id=None),
]


@pytest.fixture
def notes(note_type, agencies):
    data = []
    for n in DATA:
        agency = {1: agencies[0].pk, 2: agencies[1].pk}.get(n.agency_id)
        data.append(Note(**{**n.__dict__, "agency_id": agency}))
    for n in data:  # one by one: the index ids follow DATA
        index_objects(key="note", objects=[n])
    return {n.pk: n for n in data}


@pytest.fixture
def agencies(agency_a, agency_b):
    return agency_a, agency_b
