"""The two full-text backends: the same question asked of SQLite FTS5 or PostgreSQL.

Each answers two things for a parsed query, a mode ("and": every term, "or": any
term), filters and a visibility: how many rows match (counted up to a cap) and the
newest matching rows (highest index id first) matching in the title or anywhere.
Ranking happens afterwards in Python on those candidates (`khcn.search.text.Query.score`),
so both backends give the same order for the same data.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from khcn.search.permissions import Visibility
from khcn.search.text import Query, Term

TABLE = "search_searchentry"


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    field: str | None = None
    year: int | None = None
    org: int | None = None


def type_tag(key: str) -> str:
    return "ty" + key.encode().hex()


def field_tag(code: str) -> str:
    return "fd" + code.encode().hex()


def access_tag(access: str, agency_id: int | None) -> str:
    if access == "public":
        return "vp"
    return ("vr" if access == "restricted" else "vc") + str(agency_id or 0)


def tags_for(*, key, access, agency_id, field, year, org) -> str:
    tags = [type_tag(key), access_tag(access, agency_id)]
    # a field filter takes the group and its subfields: "201" is found by "2", "20", "201"
    tags += [field_tag(field[:n]) for n in range(1, len(field) + 1)]
    if year is not None:
        tags.append(f"yr{year}")
    if org is not None:
        tags.append(f"or{org}")
    return " ".join(tags)


class SQLiteBackend:
    """FTS5 table `search_fts` (title_folded, body_folded, tags) over the index rows;
    filters and visibility are tag tokens in the `tags` column, so that a filter is a
    posting-list intersection and not a row lookup."""

    @staticmethod
    def _term(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + (" *" if term.prefix else "")

    def _match(self, query: Query, mode: str, column: str, filters: Filters, vis: Visibility):
        joiner = " AND " if mode == "and" else " OR "
        parts = [f"{column}_folded : (" + joiner.join(self._term(t) for t in query.terms) + ")"]
        if not vis.everything:
            allowed = ["vp"]
            allowed += [access_tag("restricted", a) for a in sorted(vis.restricted, key=str)]
            allowed += [access_tag("confidential", a) for a in sorted(vis.confidential, key=str)]
            parts.append("tags : (" + " OR ".join(allowed) + ")")
        if filters.types:
            parts.append("tags : (" + " OR ".join(type_tag(k) for k in filters.types) + ")")
        if filters.field:
            parts.append("tags : " + field_tag(filters.field))
        if filters.year is not None:
            parts.append(f"tags : yr{int(filters.year)}")
        if filters.org is not None:
            parts.append(f"tags : or{int(filters.org)}")
        return " AND ".join(parts)

    def count(self, query, mode, filters, vis, *, cap: int) -> int:
        match = self._match(query, mode, "body", filters, vis)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "LIMIT %s)",
                [match, cap + 1],
            )
            return cur.fetchone()[0]

    def candidates(self, query, mode, filters, vis, *, column: str, limit: int):
        match = self._match(query, mode, column, filters, vis)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT e.id, e.title_folded, e.body_folded FROM search_fts "
                f"JOIN {TABLE} e ON e.id = search_fts.rowid WHERE search_fts MATCH %s "
                f"ORDER BY search_fts.rowid DESC LIMIT %s",
                [match, limit],
            )
            return cur.fetchall()


class PostgresBackend:
    """Generated tsvector columns `title_tsv`/`body_tsv` (to_tsvector('simple', …) over the
    token strings) with GIN indexes; filters are plain column conditions."""

    @staticmethod
    def _term(term: Term) -> str:
        words = [f"'{w}'" for w in term.words]
        if term.prefix:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")"

    def _where(self, query, mode, column, filters, vis):
        joiner = " & " if mode == "and" else " | "
        tsquery = joiner.join(self._term(t) for t in query.terms)
        sql = [f"{column}_tsv @@ to_tsquery('simple', %s)"]
        params: list = [tsquery]
        if not vis.everything:
            ors = ["access = 'public'"]
            for level, agencies in (
                ("restricted", vis.restricted),
                ("confidential", vis.confidential),
            ):
                ids = [a for a in agencies if a is not None]
                if not agencies:
                    continue
                cond = ["agency_id = ANY(%s)"] if ids else []
                params += [ids] if ids else []
                if None in agencies:
                    cond.append("agency_id IS NULL")
                ors.append(f"(access = '{level}' AND (" + " OR ".join(cond) + "))")
            sql.append("(" + " OR ".join(ors) + ")")
        if filters.types:
            sql.append("type = ANY(%s)")
            params.append(list(filters.types))
        if filters.field:
            sql.append("field LIKE %s")
            params.append(filters.field + "%")
        if filters.year is not None:
            sql.append("year = %s")
            params.append(int(filters.year))
        if filters.org is not None:
            sql.append("org = %s")
            params.append(int(filters.org))
        return " AND ".join(sql), params

    # Frequent words (a third of the rows) make a GIN bitmap scan read most of the table, and
    # the planner cannot see it coming (it multiplies the words' frequencies as if they were
    # independent). So each question is first asked of the newest WINDOW rows, read backwards
    # along the primary key; only if the answer is not complete there is the whole table asked
    # through the GIN index, which is then fast because the words are rare. The answer is the
    # same either way (the newest matches), only the cost differs.
    WINDOW = 20_000

    def _window(self, columns: str, where: str, column: str) -> str:
        inner = (
            f"id, title_folded, body_folded, {column}_tsv, access, agency_id, type, field, "
            "year, org"
        )
        return (
            f"SELECT {columns} FROM (SELECT {inner} FROM {TABLE} ORDER BY id DESC "
            f"LIMIT {self.WINDOW}) r WHERE {where}"
        )

    def count(self, query, mode, filters, vis, *, cap: int) -> int:
        where, params = self._where(query, mode, "body", filters, vis)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM ({self._window('1', where, 'body')} LIMIT %s) s",
                [*params, cap + 1],
            )
            found = cur.fetchone()[0]
            if found > cap:
                return found
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} LIMIT %s) s",
                [*params, cap + 1],
            )
            return cur.fetchone()[0]

    def candidates(self, query, mode, filters, vis, *, column: str, limit: int):
        where, params = self._where(query, mode, column, filters, vis)
        columns = "id, title_folded, body_folded"
        with connection.cursor() as cur:
            cur.execute(
                self._window(columns, where, column) + " ORDER BY id DESC LIMIT %s",
                [*params, limit],
            )
            rows = cur.fetchall()
            if len(rows) == limit:
                return rows
            cur.execute(
                f"SELECT {columns} FROM {TABLE} WHERE {where} AND id < %s "
                f"ORDER BY id DESC LIMIT %s",
                [*params, rows[-1][0] if rows else 2**62, limit - len(rows)],
            )
            return rows + cur.fetchall()


def backend():
    """The index backend of the configured database; KHCN supports SQLite and PostgreSQL only."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"KHCN search supports SQLite and PostgreSQL, not {connection.vendor} (DATABASE_URL)."
    )
