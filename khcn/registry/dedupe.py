"""Finding likely duplicates: on create, on import (unsaved rows) and for stored flags.

Rules (issue 5; matching within the owning agency, among records not merged away):
- organisations: the same tax code (strongest), or the same folded name;
- people: the same ORCID (strongest), or the same folded name and a shared organisation.
A name alone does not make two people duplicates: namesakes are common in Vietnam.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from khcn.core import clock
from khcn.registry.models import (
    Affiliation,
    DuplicateFlag,
    Organisation,
    Person,
    name_key,
)

Reason = DuplicateFlag.Reason


@dataclass(frozen=True)
class Candidate:
    record: Organisation | Person
    reason: str  # a DuplicateFlag.Reason value

    @property
    def reason_label(self) -> str:
        return str(Reason(self.reason).label)


def organisation_candidates(
    *, agency, name: str, tax_code: str = "", exclude=None
) -> list[Candidate]:
    """Stored organisations of `agency` that look like the (possibly unsaved) one described."""
    agency_id = getattr(agency, "pk", agency)
    base = Organisation.objects.active().filter(agency_id=agency_id)
    if exclude is not None:
        base = base.exclude(pk=getattr(exclude, "pk", exclude))
    found: dict[int, Candidate] = {}
    if tax_code:
        for org in base.filter(tax_code=tax_code).order_by("pk"):
            found[org.pk] = Candidate(org, Reason.TAX_CODE)
    key = name_key(name)
    if key:
        for org in base.filter(name_key=key).order_by("pk"):
            found.setdefault(org.pk, Candidate(org, Reason.NAME))
    return list(found.values())


def person_candidates(
    *,
    agency,
    full_name: str,
    orcid: str = "",
    organisation_ids: Iterable[int] = (),
    exclude=None,
) -> list[Candidate]:
    """Stored people of `agency` that look like the (possibly unsaved) one described."""
    agency_id = getattr(agency, "pk", agency)
    base = Person.objects.active().filter(agency_id=agency_id)
    if exclude is not None:
        base = base.exclude(pk=getattr(exclude, "pk", exclude))
    found: dict[int, Candidate] = {}
    if orcid:
        for person in base.filter(orcid=orcid).order_by("pk"):
            found[person.pk] = Candidate(person, Reason.ORCID)
    key = name_key(full_name)
    org_ids = [getattr(o, "pk", o) for o in organisation_ids]
    if key and org_ids:
        same = (
            base.filter(name_key=key, affiliations__organisation_id__in=org_ids)
            .distinct()
            .order_by("pk")
        )
        for person in same:
            found.setdefault(person.pk, Candidate(person, Reason.NAME_ORGANISATION))
    return list(found.values())


def candidates_for(obj) -> list[Candidate]:
    """Likely duplicates of a stored organisation or person."""
    if isinstance(obj, Organisation):
        return organisation_candidates(
            agency=obj.agency_id, name=obj.name, tax_code=obj.tax_code, exclude=obj
        )
    org_ids = list(Affiliation.objects.filter(person=obj).values_list("organisation_id", flat=True))
    return person_candidates(
        agency=obj.agency_id,
        full_name=obj.full_name,
        orcid=obj.orcid,
        organisation_ids=org_ids,
        exclude=obj,
    )


def flag_duplicates(obj, *, actor=None) -> list[DuplicateFlag]:
    """Store an open flag for each likely duplicate of `obj` (organisation or person).

    A pair already flagged for the same reason is not flagged again, whatever its status
    (a pair staff dismissed stays dismissed). Returns the new flags. The caller audits."""
    new = []
    for cand in candidates_for(obj):
        a, b = sorted([obj, cand.record], key=lambda r: r.pk)
        if isinstance(obj, Organisation):
            kind, pair = DuplicateFlag.Kind.ORGANISATION, {"org_a": a, "org_b": b}
        else:
            kind, pair = DuplicateFlag.Kind.PERSON, {"person_a": a, "person_b": b}
        if DuplicateFlag.objects.filter(reason=cand.reason, **pair).exists():
            continue
        try:
            with transaction.atomic():
                flag = DuplicateFlag.objects.create(
                    agency_id=obj.agency_id,
                    kind=kind,
                    reason=cand.reason,
                    created_at=clock.now(),
                    **pair,
                )
        except IntegrityError:  # flagged concurrently
            continue
        new.append(flag)
    return new


def rows_duplicates(keys: Iterable[str]) -> dict[str, list[int]]:
    """Within one file: {key: [row indexes]} for keys seen more than once (empty keys ignored).

    Pass e.g. the tax codes or `name_key(name)` of every row of an import."""
    seen: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key:
            seen.setdefault(key, []).append(index)
    return {k: v for k, v in seen.items() if len(v) > 1}
