"""The search service on the database: matching, ranking, filters, access, fallbacks,
index upkeep. Every test runs on SQLite and on PostgreSQL, with the same expected lists:
that is the parity check between the two backends."""

from khcn.search.models import SearchEntry
from khcn.search.selectors import search
from khcn.search.services import index_objects, reindex, unindex

from .conftest import Note


def titles(q, user=None, **kw):
    return [hit.title for hit in search(q, user=user, types=["note"], **kw).items]


def ids(q, user=None, **kw):
    return [hit.id for hit in search(q, user=user, types=["note"], **kw).items]


def test_without_diacritics_finds_with_diacritics(notes):
    assert ids("cong nghe sinh hoc")[:3] == [1, 2, 3]
    assert titles("dong thap") == [
        "Phát triển du lịch sinh thái Đồng Tháp Mười",
        "Công nghệ sinh học trong nông nghiệp",
    ]
    assert ids("ĐỒNG THÁP") == ids("dong thap")


def test_ranking_title_phrase_then_title_words_then_text(notes):
    # whole query in the title (at the start first), all words in the title,
    # whole query in the text, words split between title and text
    assert ids("cong nghe sinh hoc") == [1, 2, 3, 4, 5]
    page = search("cong nghe sinh hoc", user=None, types=["note"])
    scores = [hit.score for hit in page.items]
    assert scores == sorted(scores, reverse=True) and page.count == 5


def test_prefix_and_phrase(notes):
    # nghệ, nghề, nghiên: folded alike; titles starting with the word first, short first
    assert ids("ngh*") == [9, 8, 4, 1, 3, 5, 2]
    assert ids("nghe") == [9, 8, 1, 3, 5, 2, 4]  # "nghiên" is not the word "nghe"
    assert ids('"sinh hoc"') == [3, 1, 2, 4]  # 5 has "sinh trắc học": not the phrase
    assert ids('"hoc sinh"') == []  # order matters in a phrase
    assert ids('"cong nghe sinh ho*"') == [1, 2, 4]
    assert ids('"cong nghe sinh h*"') == []  # one letter is not a prefix: the word "h"


def test_some_words_when_no_record_has_all(notes):
    page = search("tom lua", user=None, types=["note"])
    assert page.mode == "or"
    assert [h.id for h in page.items] == [8, 4]


def test_typo_falls_back_to_the_nearest_known_word(notes):
    page = search("thahc cao", user=None, types=["note"])
    assert page.corrected == "thach cao"
    assert [h.id for h in page.items] == [7]
    assert search("xyzw", user=None).items == []


def test_filters(notes):
    assert ids("cong nghe", field="2") == [2]
    assert ids("cong nghe", year=2022) == [1, 5, 3]
    assert ids("vat lieu", org=12) == [7]
    assert ids("cong nghe", field="4", year=2022) == [1]


def test_access_levels(notes, staff_a, leader_a, staff_b, admin_b):
    assert ids("vat lieu") == [7]  # anonymous: public only
    assert ids("vat lieu", user=staff_a) == [13, 7, 10]
    assert ids("vat lieu", user=leader_a) == [13, 11, 7, 10]
    assert ids("vat lieu", user=staff_b) == [13, 12, 7]
    assert ids("vat lieu", user=admin_b) == [13, 12, 7]  # agency B has no confidential one


def test_outside_users_see_public_only(notes, host):
    assert ids("vat lieu", user=host) == [7]


def test_pagination_and_count(notes):
    first = search("ngh*", user=None, types=["note"], per_page=4)
    second = search("ngh*", user=None, types=["note"], per_page=4, page=2)
    assert first.count == second.count == 7 and first.pages == 2
    assert [h.id for h in first.items] + [h.id for h in second.items] == [9, 8, 4, 1, 3, 5, 2]
    assert search("ngh*", user=None, types=["note"], per_page=4, page=9).items == []


def test_snippet_and_title_are_highlighted(notes):
    hit = search("dong thap", user=None, types=["note"]).items[1]
    assert hit.title == "Công nghệ sinh học trong nông nghiệp"
    assert hit.snippet == "Tỉnh <mark>Đồng Tháp</mark>"
    hit = search("cong nghe sinh hoc", user=None, types=["note"]).items[0]
    assert hit.title_html == ("<mark>Công nghệ sinh học</mark> trong nông nghiệp")
    assert hit.url == "/ghi-chep/1/" and hit.type == "note"


HOSTILE = [
    '"',
    '"""',
    "*",
    "cong*",
    "(",
    ")",
    "cong (nghe",
    "NEAR(cong nghe)",
    "AND OR",
    "cong AND",
    "OR",
    "NOT cong",
    "title:cong",
    "{title_folded}: x",
    "-cong",
    "^cong",
    "'",
    "cong' OR '1'='1",
    "a" * 10_000,
    "cong " * 3000,
    "\x00\x01\x02cong\x7f",
    "?!.,;:",
    "😀 cong 🎉",
    "\\",
    "%_%",
    "cong:*",
    "cong <-> nghe",
    "!cong & nghe | sinh",
]


def test_hostile_input_never_fails(notes, staff_a):
    for raw in HOSTILE:
        for user in (None, staff_a):
            page = search(raw, user=user)
            assert page.count >= 0, raw
            assert all("<mark>" not in h.title for h in page.items)
    # syntax is text: the quote, the operator words and the brackets change nothing
    assert ids('cong" (nghe') == ids("cong nghe") == [1, 5, 3, 2, 4]


def test_empty_query_is_an_empty_page(notes):
    page = search("", user=None)
    assert page.items == [] and page.count == 0


def test_index_follows_bulk_writes(note_type):
    index_objects(key="note", objects=[Note(1, "Cảng Hải Phòng"), Note(2, "Cảng Đà Nẵng")])
    assert ids("cang") == [2, 1]
    index_objects(key="note", objects=[Note(1, "Sân bay Cát Bi")])  # refreshed, not duplicated
    assert ids("cang") == [2] and ids("san bay") == [1]
    assert SearchEntry.objects.filter(type="note").count() == 2
    unindex(key="note", ids=[2])
    assert ids("cang") == [] and SearchEntry.objects.filter(type="note").count() == 1


def test_reindex_rebuilds_a_type(note_type):
    index_objects(key="note", objects=[Note(1, "Cảng Hải Phòng")])
    assert reindex(key="note") == {"note": 0}  # no queryset: the rows are dropped
    assert ids("cang") == []


def test_a_constant_number_of_queries(notes, staff_a, django_assert_max_num_queries):
    staff_a.roles_by_agency()
    with django_assert_max_num_queries(4):
        search("cong nghe sinh hoc", user=staff_a)
    with django_assert_max_num_queries(4):
        search("ngh*", user=staff_a, types=["note"], year=2023)


def test_many_matches_rank_the_newest_candidates_and_cap_the_count(notes, monkeypatch):
    from khcn.search import selectors

    monkeypatch.setattr(selectors, "POOL", 2)
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    page = search("cong nghe", user=None, types=["note"])
    # 5 match: counted up to the cap; ranked: the 2 newest anywhere (5, 4) and in the title (5, 3)
    assert (page.count, page.capped) == (4, True)
    assert [h.id for h in page.items] == [5, 3, 4]
