"""Search text: tokens, the user's query, ranking features and highlighting.

Everything searchable is folded (`khcn.core.text.fold`: NFD, marks removed, đ→d,
lower case) and cut into tokens of ASCII letters and digits, so "Công nghệ sinh
học" is stored as "cong nghe sinh hoc". Both database backends index exactly these
token strings (SQLite FTS5 with `unicode61 remove_diacritics 0`, PostgreSQL
`to_tsvector('simple', …)`), which is what makes them find the same rows.

The user's input is never handed to a query language: `parse_query` keeps only
words, `"quoted phrases"` and a trailing `*` (prefix, at least two letters), and
the backends build their match expressions from those tokens alone.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from khcn.core.text import fold

MAX_QUERY_CHARS = 200  # longer input is cut silently (a title is rarely longer)
MAX_WORDS = 8  # words beyond the eighth are ignored: each one costs an index lookup
MAX_WORD_CHARS = 40
MIN_PREFIX_CHARS = 2  # "c*" would expand to half the vocabulary

TOKEN = re.compile(r"[a-z0-9]+")
_QUERY_TOKEN = re.compile(r"([a-z0-9]+)(\*?)")
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»＂"})


MAX_TOKENS = 5000  # per record: PostgreSQL positions stop at 16383, phrases need them


def tokens(text: str) -> list[str]:
    """The searchable tokens of `text`: "Đồng Tháp, 2022" -> ["dong", "thap", "2022"]."""
    return [t[:MAX_WORD_CHARS] for t in TOKEN.findall(fold(text))[:MAX_TOKENS]]


def token_string(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Term:
    """One word, or a quoted phrase; `prefix`: the last word may continue ("ngh*")."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> list[tuple[str, bool]]:
        """Every word with its prefix flag, in order (for highlighting and the phrase)."""
        out = []
        for term in self.terms:
            for i, word in enumerate(term.words):
                out.append((word, term.prefix and i == len(term.words) - 1))
        return out

    @property
    def phrase(self) -> Term:
        """The whole query read as one phrase (ranks "all words, in order" highest)."""
        words = self.words
        return Term(tuple(w for w, _ in words), prefix=bool(words and words[-1][1]))

    def display(self) -> str:
        parts = []
        for term in self.terms:
            text = " ".join(term.words) + ("*" if term.prefix else "")
            parts.append(f'"{text}"' if len(term.words) > 1 else text)
        return " ".join(parts)

    @cached_property
    def _needles(self):
        return [term_needle(t) for t in self.terms], term_needle(self.phrase)

    def score(self, title_tokens: str, body_tokens: str) -> int:
        """The rank of one record: whole query in the title > all words in the title >
        whole query in the text > all words in the text > some words; a short title
        that starts with the query wins a tie. Integers, so both backends agree exactly."""
        terms, phrase = self._needles
        title, body = f" {title_tokens} ", f" {body_tokens} "
        n = len(terms)
        title_hits = sum(1 for t in terms if t.found_in(title))
        body_hits = sum(1 for t in terms if t.found_in(body))
        score = 200 * title_hits // n + 100 * body_hits // n
        if phrase.found_in(title):
            score += 400
            if phrase.starts(title):
                score += 20
        if phrase.found_in(body):
            score += 100
        return score + max(0, 20 - title_tokens.count(" ") - 1)


@dataclass(frozen=True)
class Needle:
    """A term as a substring of a token string padded with spaces (" cong nghe "):
    whole words match " w ", a prefix matches " w" (the word may continue)."""

    text: str
    prefix: bool

    def found_in(self, padded: str) -> bool:
        if not self.prefix:
            return self.text + " " in padded
        return self.text in padded

    def starts(self, padded: str) -> bool:
        return padded.startswith(self.text if self.prefix else self.text + " ")


def term_needle(term: Term) -> Needle:
    return Needle(" " + " ".join(term.words), term.prefix)


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw or "")[:MAX_QUERY_CHARS]
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return text.translate(_QUOTES)


def parse_query(raw: str) -> Query:
    """The user's text as words and phrases; everything else is ignored.

    `cong nghe "sinh hoc" ngh*` -> cong, nghe, the phrase "sinh hoc", the prefix ngh….
    Quotes, stars, brackets, AND/OR/NOT/NEAR, control characters: plain text or
    nothing. Input past MAX_QUERY_CHARS characters and words past MAX_WORDS are
    dropped without a message (the result for the first part is still right).
    """
    text = _clean(raw)
    pieces = text.split('"')
    if len(pieces) % 2 == 0:  # an unpaired quote: the rest is ordinary words
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    terms: list[Term] = []
    budget = MAX_WORDS
    for i, piece in enumerate(pieces):
        found = [
            (w[:MAX_WORD_CHARS], bool(star) and len(w) >= MIN_PREFIX_CHARS)
            for w, star in _QUERY_TOKEN.findall(fold(piece))
        ]
        if i % 2 == 1 and len(found) > 1:  # a quoted phrase
            words = tuple(w for w, _ in found[:budget])
            prefix = found[len(words) - 1][1] and len(words) == len(found)
            candidates = [Term(words, prefix)]
        else:
            candidates = [Term((w,), p) for w, p in found]
        for term in candidates:
            if budget <= 0:
                break
            if term not in terms:
                terms.append(term)
                budget -= len(term.words)
    return Query(tuple(terms))


# --- highlighting --------------------------------------------------------------------------------


_FOLDED: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    part = _FOLDED.get(ch)
    if part is None:
        part = fold(ch)
        if len(_FOLDED) < 10_000:  # bounded: text may hold any character
            _FOLDED[ch] = part
    return part


def _fold_map(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each folded character the index of its original character."""
    folded, where = [], []
    for i, ch in enumerate(text):
        part = _fold_char(ch)
        folded.append(part)
        where.extend([i] * len(part))
    return "".join(folded), where


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """(start, end) in the original `text` of every token that a query word matches."""
    if not text or not query:
        return []
    words = query.words
    exact = {w for w, p in words if not p}
    prefixes = tuple(w for w, p in words if p)
    folded, where = _fold_map(text)
    spans = []
    for m in TOKEN.finditer(folded):
        token = m.group()
        if token in exact or (prefixes and token.startswith(prefixes)):
            start, end = where[m.start()], where[m.end() - 1] + 1
            while end < len(text) and not _fold_char(text[end]):  # trailing combining marks
                end += 1
            spans.append((start, end))
    return spans


def highlight(text: str, query: Query, *, limit: int | None = None) -> SafeString:
    """`text` HTML-escaped with each matched word in <mark>; with `limit`, a snippet of
    about that many characters around the first match, cut at spaces, with "…"."""
    text = unicodedata.normalize("NFC", text or "")
    spans: list[tuple[int, int]] = []
    for s, e in match_spans(text, query):  # "Công nghệ" in one <mark>, not two
        if spans and text[spans[-1][1] : s].isspace():
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    start, end = 0, len(text)
    if limit and len(text) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, first - limit // 4)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + limit)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > (spans[0][1] if spans else start) else end
    out = ["…" if start else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))
