"""Reads of the search index: one `search()` for the page, the API and every module."""

import math
import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from khcn.search import backends
from khcn.search.models import SearchEntry, SearchTerm
from khcn.search.permissions import search_visibility
from khcn.search.registry import TYPES
from khcn.search.text import Query, Term, highlight, parse_query

COUNT_CAP = 1000  # matches are counted up to here ("hơn 1.000 kết quả")
POOL = 200  # newest matches anywhere + newest in the title: the rows that get ranked
SNIPPET_CHARS = 240
TYPO_MIN_CHARS = 4


@dataclass(frozen=True)
class SearchHit:
    type: str
    id: int
    title: str
    snippet: SafeString
    url: str
    score: int
    title_html: SafeString = SafeString("")
    type_label: str = ""
    icon: str = "search"
    year: int | None = None


@dataclass
class SearchPage:
    items: list[SearchHit] = field(default_factory=list)
    count: int = 0  # matching records, at most COUNT_CAP
    capped: bool = False  # more than COUNT_CAP match
    page: int = 1
    pages: int = 0  # pages of ranked results (the ranking covers at most 2 * POOL rows)
    per_page: int = 20
    query: str = ""  # the query as understood ("cong nghe \"sinh hoc\" ngh*")
    mode: str = "and"  # "and": every word; "or": some words (nothing had every word)
    corrected: str = ""  # the query after typo correction, when that was needed
    ranked: int = 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _distance(a: str, b: str, limit: int = 1) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one), or limit+1 if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def correct(query: Query) -> Query | None:
    """The query with each unknown word (not prefix, 4+ letters) replaced by the known
    word one edit away (a missing, extra, wrong or swapped letter), if any: "cogn" ->
    "cong". Known words come from SearchTerm; the look-up is the same SQL on both
    backends (on PostgreSQL a pg_trgm index serves the LIKE patterns)."""
    words = {w for w, p in query.words if not p and len(w) >= TYPO_MIN_CHARS}
    if not words:
        return None
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    unknown = sorted(words - known)
    if not unknown:
        return None
    from django.db.models import Q
    from django.db.models.functions import Length

    cond = Q()
    for w in unknown:
        half = len(w) // 2
        cond |= Q(term__startswith=w[: max(1, half - 1)]) | Q(term__endswith=w[half + 1 :])
    lengths = [len(w) for w in unknown]
    found = sorted(
        SearchTerm.objects.annotate(n=Length("term"))
        .filter(cond, n__gte=min(lengths) - 1, n__lte=max(lengths) + 1)
        .values_list("term", flat=True)
    )
    fixes = {}
    for w in unknown:
        close = [t for t in found if _distance(w, t) <= 1]
        if close:
            fixes[w] = close[0]
    if not fixes:
        return None
    terms = tuple(Term(tuple(fixes.get(w, w) for w in t.words), t.prefix) for t in query.terms)
    return Query(terms)


def _rank(query: Query, rows) -> list[tuple[int, int]]:
    """(entry id, score) best first; ties: the most recently indexed first."""
    scored = {row[0]: query.score(row[1], row[2]) for row in rows}
    return sorted(scored.items(), key=lambda item: (-item[1], -item[0]))


def search(
    q: str,
    *,
    user,
    types: list[str] | tuple[str, ...] | None = None,
    field: str | None = None,
    year: int | None = None,
    org: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """Records matching `q` that `user` may see, best first, one page of them.

    Every word must match (a word ending in * as a prefix, a quoted phrase as written).
    If no record has them all: each unknown word replaced by the nearest known spelling
    (`correct`), and if that finds nothing either, records with some of the words.
    Empty or meaningless input gives an empty page. Queries: 3 (count, title
    candidates, anywhere candidates) plus 1 for the page's rows; +3 for the spelling
    fallback, +1 for the some-words fallback.
    """
    page = max(1, int(page))
    query = parse_query(q)
    result = SearchPage(page=page, per_page=per_page, query=query.display())
    if not query:
        return result
    filters = backends.Filters(
        types=tuple(types or ()),
        field=re.sub(r"[^0-9A-Za-z]", "", str(field or ""))[:20] or None,
        year=year,
        org=org,
    )
    vis = search_visibility(user)
    backend = backends.backend()

    def anywhere(qry, mode):
        return backend.candidates(qry, mode, filters, vis, column="body", limit=POOL)

    mode = "and"
    rows = anywhere(query, mode)
    if not rows:
        fixed = correct(query)
        if fixed is not None:
            fixed_rows = anywhere(fixed, mode)
            if fixed_rows:
                query, rows = fixed, fixed_rows
                result.corrected = fixed.display()
    if not rows and len(query.terms) > 1:
        mode = "or"
        rows = anywhere(query, mode)
    result.mode = mode
    if len(rows) < POOL:  # every match is here: counted, and the title matches among them
        n = len(rows)
    else:  # more: count them (up to the cap) and add the newest title matches
        n = backend.count(query, mode, filters, vis, cap=COUNT_CAP)
        rows += backend.candidates(query, mode, filters, vis, column="title", limit=POOL)
    result.count, result.capped = min(n, COUNT_CAP), n > COUNT_CAP
    if n == 0:
        return result

    ranked = _rank(query, rows)
    result.ranked = len(ranked)
    result.pages = math.ceil(len(ranked) / per_page)
    chosen = ranked[(page - 1) * per_page : page * per_page]
    if not chosen:
        return result
    entries = SearchEntry.objects.in_bulk([pk for pk, _ in chosen])
    for pk, score in chosen:
        e = entries[pk]
        search_type = TYPES.get(e.type)
        result.items.append(
            SearchHit(
                type=e.type,
                id=e.object_id,
                title=e.title,
                title_html=highlight(e.title, query),
                snippet=highlight(e.text or e.title, query, limit=SNIPPET_CHARS),
                url=e.url,
                score=score,
                type_label=str(search_type.label) if search_type else e.type,
                icon=search_type.icon if search_type else "search",
                year=e.year,
            )
        )
    return result
