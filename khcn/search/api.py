"""GET /api/v1/search: the search service over HTTP.

Anonymous callers are allowed and see public records only; a bearer token or the
browser session identifies staff, who also see their agency's restricted records.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from khcn.api import BearerToken, SessionAuth
from khcn.search.registry import TYPES
from khcn.search.selectors import search


def anonymous(request):
    """Last in the list: nobody is turned away; `request.user` stays as the middleware set it."""
    return True


router = Router(tags=["Tìm kiếm"], auth=[BearerToken(), SessionAuth(csrf=True), anonymous])


class HitOut(Schema):
    type: str
    id: int
    title: str
    snippet: str
    url: str
    score: int


class SearchOut(Schema):
    items: list[HitOut]
    count: int
    count_capped: bool
    page: int
    pages: int
    query: str
    corrected: str


class SearchIn(Schema):
    q: str = ""
    type: str = ""
    field: str = ""
    year: int | None = None
    org: int | None = None
    page: int = 1
    per_page: int = 20


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


@router.get("/search", response=SearchOut, summary="Tìm kiếm toàn văn (tiếng Việt có/không dấu)")
def search_api(request, params: Query[SearchIn]):
    """`q`: words (all must match), "quoted phrases", a trailing * for a prefix; `type`:
    one or more type keys separated by commas; `field`, `year`, `org`: filters; `page`
    from 1. `count` counts matches up to 1 000 (`count_capped` when there are more);
    `snippet` is HTML with the matched words in <mark>."""
    types = [t.strip() for t in params.type.split(",") if t.strip()]
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise _invalid(
            "type",
            _("Loại không hợp lệ: %(t)s. Các loại: %(all)s.")
            % {"t": ", ".join(unknown), "all": ", ".join(sorted(TYPES))},
        )
    if not 1 <= params.page <= 1000:
        raise _invalid("page", _("Số trang phải từ 1 đến 1000."))
    if not 1 <= params.per_page <= 100:
        raise _invalid("per_page", _("Số kết quả mỗi trang phải từ 1 đến 100."))
    if params.year is not None and not 1900 <= params.year <= 2100:
        raise _invalid("year", _("Năm phải từ 1900 đến 2100."))
    result = search(
        params.q,
        user=request.user,
        types=types,
        field=params.field.strip() or None,
        year=params.year,
        org=params.org,
        page=params.page,
        per_page=params.per_page,
    )
    return {
        "items": [
            {
                "type": h.type,
                "id": h.id,
                "title": h.title,
                "snippet": str(h.snippet),
                "url": h.url,
                "score": h.score,
            }
            for h in result.items
        ],
        "count": result.count,
        "count_capped": result.capped,
        "page": result.page,
        "pages": result.pages,
        "query": result.query,
        "corrected": result.corrected,
    }
