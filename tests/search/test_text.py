"""Folding, tokens, query parsing and highlighting (no database)."""

import unicodedata

import pytest

from khcn.core.text import fold
from khcn.search.text import (
    MAX_QUERY_CHARS,
    MAX_WORDS,
    Term,
    highlight,
    parse_query,
    token_string,
    tokens,
)

# every Vietnamese vowel with every tone: level, grave, hook, tilde, acute, dot below
VOWELS = {
    "a": "aàảãáạ",
    "ă": "ăằẳẵắặ",
    "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ",
    "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ",
    "ô": "ôồổỗốộ",
    "ơ": "ơờởỡớợ",
    "u": "uùủũúụ",
    "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}
BASE = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o",
        "ơ": "o", "u": "u", "ư": "u", "y": "y"}  # fmt: skip
CASES = [(form, BASE[vowel]) for vowel, forms in VOWELS.items() for form in forms]  # 72 forms


@pytest.mark.parametrize("form,expected", CASES)
@pytest.mark.parametrize("normal", ["NFC", "NFD"])
@pytest.mark.parametrize("case", ["lower", "upper"])
def test_every_vowel_and_tone_folds_to_its_base_letter(form, expected, normal, case):
    text = unicodedata.normalize(normal, getattr(form, case)())
    assert fold(text) == expected
    assert tokens(f"x{text}x") == [f"x{expected}x"]


def test_the_table_has_twelve_vowels_with_six_tones_each():
    assert len(CASES) == 72 and len({f for f, _ in CASES}) == 72


@pytest.mark.parametrize("normal", ["NFC", "NFD"])
def test_d_with_stroke(normal):
    assert fold(unicodedata.normalize(normal, "đĐ")) == "dd"
    assert token_string(unicodedata.normalize(normal, "Đồng Tháp")) == "dong thap"
    assert token_string("ĐẠI HỌC ĐÀ NẴNG") == "dai hoc da nang"


def test_tokens_are_ascii_words_and_digits():
    assert tokens("Công nghệ sinh học (2022–2025), COVID-19; 1.234.567 ₫") == [
        "cong", "nghe", "sinh", "hoc", "2022", "2025", "covid", "19", "1", "234", "567",
    ]  # fmt: skip


def test_query_words_prefix_and_phrase():
    q = parse_query('Công nghệ "sinh học" ngh* c*')
    assert q.terms == (
        Term(("cong",)),
        Term(("nghe",)),
        Term(("sinh", "hoc")),
        Term(("ngh",), prefix=True),
        Term(("c",)),  # one letter is too short to be a prefix
    )
    assert q.display() == 'cong nghe "sinh hoc" ngh* c'


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        '"',
        '""',
        "***",
        "(((",
        ")) ((",
        "?!.,;:-–—/\\|",
        "😀🎉",
        "\x00\x01\x1b\x7f\u200b",
        "'; --",
    ],
)
def test_meaningless_input_is_an_empty_query(raw):
    assert not parse_query(raw)


def test_operators_and_syntax_are_plain_words():
    q = parse_query('cong AND nghe OR NOT NEAR(sinh hoc) title:x {a} ^b "c')
    words = [w for w, _ in q.words]
    assert words == ["cong", "and", "nghe", "or", "not", "near", "sinh", "hoc"]
    assert len(words) == MAX_WORDS  # the rest is dropped
    assert parse_query('"cong nghe').terms == (Term(("cong",)), Term(("nghe",)))


def test_long_input_is_cut_and_control_characters_dropped():
    q = parse_query("a" * 10_000)
    assert q.terms == (Term(("a" * 40,)),)
    q = parse_query(("cong " * 5000) + "zzz")
    assert q.terms == (Term(("cong",)),)
    assert len(("x " * 200)[:MAX_QUERY_CHARS]) == MAX_QUERY_CHARS
    assert parse_query("dong\x00thap\u200b").terms == (Term(("dong",)), Term(("thap",)))


def test_highlight_on_the_original_text():
    html = highlight("Ứng dụng Công nghệ sinh học ở Đồng Tháp", parse_query("cong nghe sinh hoc"))
    assert html == "Ứng dụng <mark>Công nghệ sinh học</mark> ở Đồng Tháp"
    assert highlight("Tỉnh Đồng Tháp", parse_query("dong thap")) == ("Tỉnh <mark>Đồng Tháp</mark>")


def test_highlight_nfd_text_keeps_the_marks_inside():
    text = unicodedata.normalize("NFD", "Đồng Tháp")
    assert highlight(text, parse_query("dong")) == "<mark>Đồng</mark> Tháp"


def test_highlight_prefix_and_escaping():
    html = highlight('<b>Nghiên cứu</b> & "nghệ"', parse_query("ngh*"))
    assert html == "&lt;b&gt;<mark>Nghiên</mark> cứu&lt;/b&gt; &amp; &quot;<mark>nghệ</mark>&quot;"


def test_snippet_is_cut_around_the_first_match():
    text = "Mở đầu. " + "lorem ipsum " * 60 + "công nghệ sinh học " + "dolor sit " * 60
    html = highlight(text, parse_query("sinh hoc"), limit=120)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>sinh học</mark>" in html
    assert len(html) < 200
