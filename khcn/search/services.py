"""Writes to the search index. Every module's records arrive here: through the signals
connected by `registry.register`, from bulk writers, and from `khcn reindex`."""

import unicodedata
from collections.abc import Iterable

from django.db import transaction

from khcn.core import clock
from khcn.search.backends import tags_for
from khcn.search.models import SearchEntry, SearchTerm
from khcn.search.registry import ACCESS_LEVELS, TYPES, SearchType
from khcn.search.text import MAX_WORD_CHARS, token_string

CHUNK = 1000


def _nfc(value) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _int_or_none(value):
    return None if value in (None, "") else int(value)


def entry_for(search_type: SearchType, obj, *, now) -> SearchEntry:
    """The index row of one object, computed from its registered type (not saved)."""
    title = _nfc(search_type.title(obj))
    parts: list[str] = []
    for part in search_type.text(obj) or ():
        part = _nfc(part)
        if part and part != title and part not in parts:
            parts.append(part)
    text = "\n".join(parts)
    access = search_type.access(obj)
    if access not in ACCESS_LEVELS:
        raise ValueError(f"{search_type.key}: access {access!r} is not one of {ACCESS_LEVELS}")
    agency_id = _int_or_none(search_type.agency_id(obj))
    facets = search_type.facets(obj) or {}
    field = str(facets.get("field") or "")[:20]
    year, org = _int_or_none(facets.get("year")), _int_or_none(facets.get("org"))
    return SearchEntry(
        type=search_type.key,
        object_id=obj.pk,
        agency_id=agency_id,
        access=access,
        title=title,
        text=text,
        title_folded=token_string(title),
        body_folded=token_string(title + "\n" + text),
        tags=tags_for(
            key=search_type.key,
            access=access,
            agency_id=agency_id,
            field=field,
            year=year,
            org=org,
        ),
        field=field,
        year=year,
        org=org,
        url=str(search_type.url(obj))[:500],
        updated=now,
    )


def _write(entries: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(entries, batch_size=CHUNK)
    words = {w for e in entries for w in e.body_folded.split() if len(w) <= MAX_WORD_CHARS}
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in sorted(words)], batch_size=CHUNK, ignore_conflicts=True
        )


@transaction.atomic
def index_objects(*, key: str, objects: Iterable) -> int:
    """Add or refresh the index rows of `objects` (all of type `key`); objects the type
    excludes (`include` false) lose their row. Returns the number of rows written."""
    search_type = TYPES[key]
    now = clock.now()
    objects = list(objects)
    keep = [o for o in objects if search_type.include(o)]
    SearchEntry.objects.filter(type=key, object_id__in=[o.pk for o in objects]).delete()
    entries = [entry_for(search_type, o, now=now) for o in keep]
    _write(entries)
    return len(entries)


@transaction.atomic
def unindex(*, key: str, ids: Iterable) -> int:
    """Remove the rows of these object ids of type `key`."""
    deleted, _ = SearchEntry.objects.filter(type=key, object_id__in=list(ids)).delete()
    return deleted


def reindex(*, key: str | None = None, progress=None) -> dict[str, int]:
    """Rebuild the rows of one type (or of every type), each type in one transaction.
    Rows of types no longer registered are removed with a full rebuild."""
    keys = [key] if key else sorted(TYPES)
    done = {}
    for k in keys:
        search_type = TYPES[k]
        with transaction.atomic():
            SearchEntry.objects.filter(type=k).delete()
            total = 0
            if search_type.queryset is not None:
                now = clock.now()
                batch = []
                for obj in search_type.queryset().iterator(chunk_size=CHUNK):
                    if search_type.include(obj):
                        batch.append(entry_for(search_type, obj, now=now))
                    if len(batch) >= CHUNK:
                        _write(batch)
                        total += len(batch)
                        batch = []
                        if progress:
                            progress(k, total)
                _write(batch)
                total += len(batch)
            done[k] = total
    if key is None:
        SearchEntry.objects.exclude(type__in=list(TYPES)).delete()
    return done
