"""Rule files on disk → validated, numbered versions in the database.

`ruleset_load_all` reads every file in `RULESET_DIRS`, resolves `extends`,
validates, and stores a new version of each rule set whose content changed
(same content: nothing happens, so loading is idempotent). Records already
running keep their version until staff migrate them (engine.process_migrate).
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from khcn.accounts.models import Role
from khcn.audit.models import AuditAction
from khcn.audit.services import record
from khcn.workflow import registry
from khcn.workflow.definition import (
    RuleSet,
    RuleSetInvalid,
    from_json,
    parse,
    read_file,
    resolve,
    to_json,
)
from khcn.workflow.models import RuleSetVersion

BUILTIN_DIR = Path(__file__).resolve().parent / "rulesets"


def ruleset_dirs() -> list[Path]:
    extra = getattr(settings, "KHCN_RULESET_DIRS", [])
    return [BUILTIN_DIR, *(Path(d) for d in extra)]


def _files() -> dict[str, tuple[Path, dict]]:
    found: dict[str, tuple[Path, dict]] = {}
    for folder in ruleset_dirs():
        for path in sorted(folder.glob("*.toml")):
            raw = read_file(path)
            code = raw.get("code") or path.stem
            if code in found:
                raise RuleSetInvalid(
                    [_("Mã «%(c)s» được khai báo ở hai tệp.") % {"c": code}], name=path.name
                )
            found[code] = (path, raw)
    return found


def validate(raw: dict) -> RuleSet:
    return parse(
        raw,
        roles=frozenset(Role.values),
        guards=registry.GUARDS,
        effects=registry.EFFECTS,
        documents=registry.DOCUMENTS,
    )


def check_file(path: Path) -> RuleSet:
    """Validate one file (its parent is looked up among the shipped files)."""
    raw = read_file(path)
    files = {}

    def lookup(code):
        if not files:
            files.update(_files())
        entry = files.get(code)
        return entry[1] if entry else None

    try:
        return validate(resolve(raw, lookup))
    except RuleSetInvalid as exc:
        exc.name = path.name
        raise


def checksum(definition: dict) -> str:
    return hashlib.sha256(
        json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def ruleset_load_all(*, actor=None) -> list[RuleSetVersion]:
    """Store a new version of every rule file whose resolved content changed. Audited.

    Valid files are stored even if another file is invalid; the invalid ones
    are then reported together (RuleSetInvalid) after the valid ones commit.
    """
    created, problems = _load_valid(actor)
    if problems:
        raise RuleSetInvalid(problems)
    return created


@transaction.atomic
def _load_valid(actor) -> tuple[list[RuleSetVersion], list[str]]:
    files = _files()
    created = []
    problems: list[str] = []
    for code, (path, raw) in files.items():
        try:
            resolved = resolve(raw, lambda c: files[c][1] if c in files else None)
            validate(resolved)
        except RuleSetInvalid as exc:
            problems.extend(f"{path.name}: {e}" for e in exc.errors)
            continue
        definition = to_json(resolved)
        digest = checksum(definition)
        current = (
            RuleSetVersion.objects.select_for_update().filter(code=code, is_current=True).first()
        )
        if current is not None and current.checksum == digest:
            continue
        number = (current.version + 1) if current else 1
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        version = RuleSetVersion.objects.create(
            code=code,
            version=number,
            title=resolved["title"],
            definition=definition,
            checksum=digest,
            source_file=str(path.relative_to(path.parents[1]))
            if path.is_relative_to(BUILTIN_DIR)
            else str(path),
            is_current=True,
        )
        record(
            actor=actor,
            action=AuditAction.RULESET_LOADED,
            obj=version,
            agency=None,
            after={"code": code, "version": number, "checksum": digest},
        )
        created.append(version)
    return created, problems


def current_version(code: str) -> RuleSetVersion:
    """The version new records start under; loads the files if the code was never loaded."""
    version = RuleSetVersion.objects.filter(code=code, is_current=True).first()
    if version is None:
        ruleset_load_all()
        version = RuleSetVersion.objects.filter(code=code, is_current=True).first()
    if version is None:
        raise LookupError(f"unknown rule set {code!r}")
    return version


_PARSED: dict[tuple[int, str], RuleSet] = {}


def parsed(version: RuleSetVersion) -> RuleSet:
    """The typed rule set of a stored version, parsed once per process (versions are immutable)."""
    key = (version.pk, version.checksum)
    rules = _PARSED.get(key)
    if rules is None:
        rules = _PARSED[key] = validate(from_json(version.definition))
    return rules
