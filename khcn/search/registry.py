"""Which records are searchable: each module registers its types here.

    from khcn.search.registry import SearchType, register
    register(SearchType(key="organisation", label=_("Tổ chức"), model=Organisation, …))

from its `<app>/search.py`, imported in `AppConfig.ready()`. Registering connects
post_save/post_delete of the model (and of each `watch` model) so the index follows
every save and delete in the same transaction; bulk writers (which send no signals)
call `khcn.search.services.index_objects` / `unindex` themselves.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models.signals import post_delete, post_save

ACCESS_LEVELS = ("public", "restricted", "confidential")


@dataclass(frozen=True)
class SearchType:
    key: str  # stable (?type=KEY); letters, digits and "_"
    label: Any  # lazy translated label ("Tổ chức")
    model: Any  # the model whose saves/deletes update the index (None: bulk only)
    title: Callable[[Any], str]
    text: Callable[[Any], Iterable[str | None]]  # searchable parts (title may be among them)
    url: Callable[[Any], str]
    access: Callable[[Any], str]  # "public" | "restricted" | "confidential"
    agency_id: Callable[[Any], int | None] = lambda obj: None
    facets: Callable[[Any], dict] = lambda obj: {}  # {"field", "year", "org"}, any may be None
    queryset: Callable[[], Any] | None = None  # everything to index, for `khcn reindex`
    # Other models whose saves change this type's rows (a task's state lives on its workflow
    # record): (model, function giving the objects of this type to re-index).
    watch: tuple[tuple[Any, Callable[[Any], Iterable[Any]]], ...] = field(default=())
    # False: the object is not indexed at all (e.g. merged duplicates); its row is removed
    include: Callable[[Any], bool] = lambda obj: True
    icon: str = "search"  # Bootstrap icon shown next to results


TYPES: dict[str, SearchType] = {}


def register(search_type: SearchType) -> SearchType:
    """Make a type searchable and keep its rows current on save and delete."""
    if search_type.key in TYPES and TYPES[search_type.key] is not search_type:
        raise ValueError(f"search type {search_type.key!r} registered twice")
    TYPES[search_type.key] = search_type
    key = search_type.key
    if search_type.model is not None:
        post_save.connect(
            _saved, sender=search_type.model, dispatch_uid=f"search-save-{key}", weak=False
        )
        post_delete.connect(
            _deleted, sender=search_type.model, dispatch_uid=f"search-delete-{key}", weak=False
        )
    for n, (model, _objects) in enumerate(search_type.watch):
        post_save.connect(
            _watched, sender=model, dispatch_uid=f"search-watch-{key}-{n}", weak=False
        )
    return search_type


def unregister(key: str) -> None:
    """Remove a type (tests); its rows stay until `unindex`/`reindex`."""
    search_type = TYPES.pop(key, None)
    if search_type is None:
        return
    if search_type.model is not None:
        post_save.disconnect(sender=search_type.model, dispatch_uid=f"search-save-{key}")
        post_delete.disconnect(sender=search_type.model, dispatch_uid=f"search-delete-{key}")
    for n, (model, _objects) in enumerate(search_type.watch):
        post_save.disconnect(sender=model, dispatch_uid=f"search-watch-{key}-{n}")


def types_for(model) -> list[SearchType]:
    return [t for t in TYPES.values() if t.model is model]


def get(key: str) -> SearchType:
    return TYPES[key]


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the index is rebuilt with `khcn reindex`
        return
    from khcn.search.services import index_objects

    for search_type in types_for(sender):
        index_objects(key=search_type.key, objects=[instance])


def _deleted(sender, instance, **kwargs):
    from khcn.search.services import unindex

    for search_type in types_for(sender):
        unindex(key=search_type.key, ids=[instance.pk])


def _watched(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from khcn.search.services import index_objects

    for search_type in list(TYPES.values()):
        for model, objects in search_type.watch:
            if model is sender:
                found = list(objects(instance))
                if found:
                    index_objects(key=search_type.key, objects=found)
