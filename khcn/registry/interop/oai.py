"""OAI-PMH 2.0 data provider: the PUBLIC results of the S&T database as Dublin Core.

Protocol: The Open Archives Initiative Protocol for Metadata Harvesting, version 2.0
(http://www.openarchives.org/OAI/openarchivesprotocol.html). Verbs Identify,
ListMetadataFormats, ListSets, ListIdentifiers, ListRecords and GetRecord, by GET or POST
(form-encoded); metadata format `oai_dc`; sets by result type (`type:patent`) and by field of
science (`field:4`, `field:4:401`); selective harvesting by datestamp (`from`/`until`, day or
second granularity, UTC); stateless resumption tokens, signed so they cannot be forged, valid
for a day, keyed on (datestamp, id) so that a harvest walks the list exactly once even when
records are added meanwhile. Deleted records: "no" (a result that stops being public simply
leaves the list). Only results with access level "public" are disseminated (NĐ 11/2014/NĐ-CP
Đ12: public S&T information).
"""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.db.models import Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from khcn.registry.models import Access, Authorship, FieldOfScience, Result, ResultOrganisation

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

PAGE_SIZE = 100
TOKEN_MAX_AGE = 24 * 3600
TOKEN_SALT = "khcn.registry.oai"
FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}

VERBS = {
    # verb: (required, optional, exclusive)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}

ET.register_namespace("", OAI_NS)
ET.register_namespace("xsi", XSI_NS)
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def repository_id() -> str:
    """The repository identifier in `oai:<repository>:result/<pk>`: a domain name."""
    return getattr(settings, "KHCN_OAI_REPOSITORY_ID", "") or (
        urlparse(settings.KHCN_SITE_URL).hostname or "localhost"
    )


def identifier_for(pk: int) -> str:
    return f"oai:{repository_id()}:result/{pk}"


def _pk_from_identifier(identifier: str) -> int | None:
    match = re.fullmatch(rf"oai:{re.escape(repository_id())}:result/(\d{{1,18}})", identifier)
    return int(match.group(1)) if match else None


def public_results():
    return Result.objects.filter(access=Access.PUBLIC)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value) -> str:
    return _XML_ILLEGAL.sub("", str(value))


def _sub(parent, tag: str, text=None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _q(tag: str, ns: str = OAI_NS) -> str:
    return f"{{{ns}}}{tag}"


# --- arguments -------------------------------------------------------------------------------


def _parse_date(value: str, *, end: bool) -> tuple[dt.datetime, str]:
    if _DAY.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise OAIError("badArgument", f"Invalid date: {value}") from None
        moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min, tzinfo=dt.UTC)
        return moment, "day"
    if _SECOND.match(value):
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise OAIError("badArgument", f"Invalid datestamp: {value}") from None
        if end:
            moment = moment.replace(microsecond=999999)
        return moment, "second"
    raise OAIError(
        "badArgument",
        f"Invalid datestamp {value!r}: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC).",
    )


@dataclass
class Selection:
    prefix: str
    set_spec: str = ""
    since: str = ""  # the arguments as given, kept in the token
    until: str = ""
    cursor: int = 0
    after: tuple[str, int] | None = None  # (datestamp iso, pk) of the last record sent

    def queryset(self):
        qs = public_results()
        if self.since:
            qs = qs.filter(updated_at__gte=_parse_date(self.since, end=False)[0])
        if self.until:
            qs = qs.filter(updated_at__lte=_parse_date(self.until, end=True)[0])
        if self.set_spec:
            qs = qs.filter(_set_filter(self.set_spec))
        return qs

    def token(self, after: tuple[str, int], cursor: int) -> str:
        data = [self.prefix, self.set_spec, self.since, self.until, cursor, after[0], after[1]]
        return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(data, compress=True)

    @classmethod
    def from_token(cls, token: str) -> "Selection":
        try:
            data = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(
                token, max_age=TOKEN_MAX_AGE
            )
            prefix, set_spec, since, until, cursor, stamp, pk = data
            return cls(prefix, set_spec, since, until, int(cursor), (str(stamp), int(pk)))
        except (signing.BadSignature, ValueError, TypeError):
            raise OAIError(
                "badResumptionToken", "The resumptionToken is invalid or has expired."
            ) from None


def _set_filter(spec: str) -> Q:
    parts = spec.split(":")
    if parts[0] == "type" and len(parts) == 1:
        return Q()
    if parts[0] == "type" and len(parts) == 2 and parts[1] in Result.Kind.values:
        return Q(kind=parts[1])
    if parts[0] == "field" and len(parts) == 1:
        return Q(field__isnull=False)
    if parts[0] == "field" and len(parts) in (2, 3):
        code = parts[-1]
        if len(parts) == 3 and not code.startswith(parts[1]):
            return Q(pk__in=[])
        return Q(field__code__startswith=code)
    return Q(pk__in=[])  # an unknown set holds nothing: noRecordsMatch


def _sets_of(result: Result) -> list[str]:
    specs = [f"type:{result.kind}"]
    if result.field_id:
        group = result.field_id[:1]
        specs.append(f"field:{group}")
        if result.field_id != group:
            specs.append(f"field:{group}:{result.field_id}")
    return specs


def _check_args(verb: str | None, args: dict[str, list[str]]) -> None:
    if verb not in VERBS:
        raise OAIError("badVerb", "Illegal or missing verb.")
    required, optional, exclusive = VERBS[verb]
    for name, values in args.items():
        if len(values) > 1:
            raise OAIError("badArgument", f"Repeated argument: {name}.")
        if name != "verb" and not values[0]:
            raise OAIError("badArgument", f"Empty argument: {name}.")
    given = set(args) - {"verb"}
    if exclusive and exclusive in given:
        if given != {exclusive}:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument.")
        return
    illegal = given - required - optional
    if illegal:
        raise OAIError("badArgument", f"Illegal arguments: {', '.join(sorted(illegal))}.")
    missing = required - given
    if missing:
        raise OAIError("badArgument", f"Missing arguments: {', '.join(sorted(missing))}.")


# --- verbs -----------------------------------------------------------------------------------


def _identify(root, args, base_url):
    node = _sub(root, "Identify")
    _sub(
        node,
        "repositoryName",
        getattr(settings, "KHCN_OAI_REPOSITORY_NAME", "")
        or "Cơ sở dữ liệu KH&CN — Sở Khoa học và Công nghệ",
    )
    _sub(node, "baseURL", base_url)
    _sub(node, "protocolVersion", "2.0")
    admin = getattr(settings, "KHCN_OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    admin = re.search(r"[^<\s]+@[^>\s]+", admin)
    _sub(node, "adminEmail", admin.group(0) if admin else "khcn@localhost")
    earliest = public_results().aggregate(m=Min("updated_at"))["m"]
    _sub(node, "earliestDatestamp", _utc(earliest) if earliest else "2000-01-01T00:00:00Z")
    _sub(node, "deletedRecord", "no")
    _sub(node, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    repo = repository_id()
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+", repo):
        description = _sub(node, "description")
        ident = ET.SubElement(
            description,
            _q("oai-identifier", OAI_ID_NS),
            {_q("schemaLocation", XSI_NS): f"{OAI_ID_NS} {OAI_ID_SCHEMA}"},
        )
        for tag, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", repo),
            ("delimiter", ":"),
            ("sampleIdentifier", f"oai:{repo}:result/1"),
        ):
            ET.SubElement(ident, _q(tag, OAI_ID_NS)).text = text


def _list_metadata_formats(root, args, base_url):
    if "identifier" in args:
        pk = _pk_from_identifier(args["identifier"])
        if pk is None or not public_results().filter(pk=pk).exists():
            raise OAIError("idDoesNotExist", "No such identifier in this repository.")
    node = _sub(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = _sub(node, "metadataFormat")
        _sub(fmt, "metadataPrefix", prefix)
        _sub(fmt, "schema", schema)
        _sub(fmt, "metadataNamespace", namespace)


def set_list() -> list[tuple[str, str]]:
    sets = [("type", "Theo loại kết quả")]
    sets += [(f"type:{value}", str(label)) for value, label in Result.Kind.choices]
    sets.append(("field", "Theo lĩnh vực KH&CN"))
    for node in FieldOfScience.objects.order_by("code"):
        spec = f"field:{node.code}" if node.level == 1 else f"field:{node.code[:1]}:{node.code}"
        sets.append((spec, node.name))
    return sets


def _list_sets(root, args, base_url):
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "ListSets returns the complete list at once.")
    node = _sub(root, "ListSets")
    for spec, name in set_list():
        item = _sub(node, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)


def _selection(args) -> Selection:
    if "resumptionToken" in args:
        return Selection.from_token(args["resumptionToken"])
    prefix = args["metadataPrefix"]
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"Unsupported metadataPrefix: {prefix}.")
    since, until = args.get("from", ""), args.get("until", "")
    since_at = until_at = None
    grains = set()
    if since:
        since_at, grain = _parse_date(since, end=False)
        grains.add(grain)
    if until:
        until_at, grain = _parse_date(until, end=True)
        grains.add(grain)
    if len(grains) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if since_at and until_at and since_at > until_at:
        raise OAIError("badArgument", "from must not be later than until.")
    return Selection(prefix, args.get("set", ""), since, until)


def _page(selection: Selection, *, with_metadata: bool):
    qs = selection.queryset()
    total = qs.count()
    page = qs
    if selection.after:
        stamp = dt.datetime.fromisoformat(selection.after[0])
        page = page.filter(Q(updated_at__gt=stamp) | Q(updated_at=stamp, pk__gt=selection.after[1]))
    page = page.order_by("updated_at", "pk")
    if with_metadata:
        page = page.select_related("field", "agency", "project").only(*RECORD_FIELDS)
    else:
        page = page.only("pk", "updated_at", "kind", "field_id")
    records = list(page[: PAGE_SIZE + 1])
    more = len(records) > PAGE_SIZE
    records = records[:PAGE_SIZE]
    if with_metadata:
        _attach_people(records)
    return records, total, more


RECORD_FIELDS = (
    "pk",
    "updated_at",
    "kind",
    "title",
    "abstract",
    "year",
    "keywords",
    "doi",
    "url",
    "registration_no",
    "registration_date",
    "field__code",
    "field__name",
    "agency__name",
    "project__code",
)


def _attach_people(records: list[Result]) -> None:
    """Authors and organisations of a page of results in two queries of plain values (a
    harvest page is read often: no model instances for the links)."""
    ids = [r.pk for r in records]
    authors: dict[int, list[str]] = {pk: [] for pk in ids}
    for result_id, name, full_name in (
        Authorship.objects.filter(result_id__in=ids)
        .order_by("result_id", "order", "pk")
        .values_list("result_id", "name", "person__full_name")
    ):
        authors[result_id].append(name or full_name)
    orgs: dict[int, list[str]] = {pk: [] for pk in ids}
    for result_id, name in (
        ResultOrganisation.objects.filter(result_id__in=ids)
        .order_by("result_id", "pk")
        .values_list("result_id", "organisation__name")
    ):
        orgs[result_id].append(name)
    for r in records:
        r.dc_creators, r.dc_contributors = authors[r.pk], orgs[r.pk]


def _header(parent, result: Result):
    header = _sub(parent, "header")
    _sub(header, "identifier", identifier_for(result.pk))
    _sub(header, "datestamp", _utc(result.updated_at))
    for spec in _sets_of(result):
        _sub(header, "setSpec", spec)


def _page_url() -> str:
    """The public page of result 0 (its id is put in per record), or "" if not wired."""
    try:
        return settings.KHCN_SITE_URL.rstrip("/") + reverse("public-result", args=[0])
    except NoReverseMatch:
        return ""


def _dublin_core(parent, result: Result, base_url: str, kind_labels: dict[str, str], page_url: str):
    metadata = _sub(parent, "metadata")
    dc = ET.SubElement(
        metadata,
        _q("dc", OAI_DC_NS),
        {_q("schemaLocation", XSI_NS): f"{OAI_DC_NS} {OAI_DC_SCHEMA}"},
    )

    def add(tag, value):
        if value not in (None, ""):
            ET.SubElement(dc, _q(tag, DC_NS)).text = _text(value)

    add("title", result.title)
    for name in result.dc_creators:
        add("creator", name)
    if result.field_id:
        add("subject", f"{result.field.code} {result.field.name}")
    for keyword in [k.strip() for k in (result.keywords or "").split(",") if k.strip()]:
        add("subject", keyword)
    add("description", result.abstract)
    add("publisher", result.agency.name)
    for name in result.dc_contributors:
        add("contributor", name)
    add(
        "date",
        str(result.registration_date.isoformat() if result.registration_date else result.year),
    )
    add("type", kind_labels.get(result.kind, result.kind))
    add("type", _DCMI_TYPE.get(result.kind, "Text"))
    if page_url:
        add("identifier", page_url.replace("/0/", f"/{result.pk}/"))
    if result.doi:
        add("identifier", f"https://doi.org/{result.doi}")
    add("identifier", result.url)
    if result.registration_no:
        add("identifier", result.registration_no)
    if result.project_id:
        add("relation", result.project.code)
    add("language", "vi")
    add("rights", "Công khai (Nghị định 11/2014/NĐ-CP)")


_DCMI_TYPE = {
    "report": "Text",
    "publication": "Text",
    "book": "Text",
    "patent": "Text",
    "utility": "Text",
    "standard": "Text",
    "software": "Software",
    "prototype": "PhysicalObject",
    "variety": "PhysicalObject",
    "process": "Text",
    "other": "Text",
}


def _list(root, args, base_url, *, verb: str):
    selection = _selection(args)
    records, total, more = _page(selection, with_metadata=verb == "ListRecords")
    if not records:
        if "resumptionToken" in args:
            raise OAIError(
                "badResumptionToken", "The resumptionToken no longer matches any record."
            )
        raise OAIError("noRecordsMatch", "No records match the request.")
    node = _sub(root, verb)
    labels, page_url = {k: str(v) for k, v in Result.Kind.choices}, _page_url()
    for result in records:
        if verb == "ListRecords":
            item = _sub(node, "record")
            _header(item, result)
            _dublin_core(item, result, base_url, labels, page_url)
        else:
            _header(node, result)
    incomplete = more or selection.cursor > 0
    if incomplete:
        attrs = {"completeListSize": str(total), "cursor": str(selection.cursor)}
        if more:
            last = records[-1]
            token = selection.token(
                (last.updated_at.isoformat(), last.pk), selection.cursor + len(records)
            )
            expires = timezone.now() + dt.timedelta(seconds=TOKEN_MAX_AGE)
            _sub(node, "resumptionToken", token, expirationDate=_utc(expires), **attrs)
        else:
            _sub(node, "resumptionToken", "", **attrs)


def _get_record(root, args, base_url):
    prefix = args["metadataPrefix"]
    pk = _pk_from_identifier(args["identifier"])
    result = None
    if pk is not None:
        result = (
            public_results()
            .filter(pk=pk)
            .select_related("field", "agency", "project")
            .only(*RECORD_FIELDS)
            .first()
        )
    if result is None:
        raise OAIError("idDoesNotExist", "No such identifier in this repository.")
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"Unsupported metadataPrefix: {prefix}.")
    _attach_people([result])
    node = _sub(root, "GetRecord")
    item = _sub(node, "record")
    _header(item, result)
    _dublin_core(item, result, base_url, {k: str(v) for k, v in Result.Kind.choices}, _page_url())


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": lambda root, args, base: _list(root, args, base, verb="ListIdentifiers"),
    "ListRecords": lambda root, args, base: _list(root, args, base, verb="ListRecords"),
    "GetRecord": _get_record,
}


def respond(params: dict[str, list[str]], *, base_url: str) -> bytes:
    """The OAI-PMH response document for one request (`params`: each argument's values)."""
    root = ET.Element(_q("OAI-PMH"), {_q("schemaLocation", XSI_NS): f"{OAI_NS} {OAI_SCHEMA}"})
    _sub(root, "responseDate", _utc(timezone.now()))
    request_el = _sub(root, "request", base_url)
    verbs = params.get("verb", [])
    verb = verbs[0] if len(verbs) == 1 else None
    args = {k: v[0] for k, v in params.items() if k != "verb"}
    try:
        if len(verbs) > 1:
            raise OAIError("badVerb", "The verb argument is repeated.")
        _check_args(verb, params)
        # the request element echoes the arguments only when they were valid
        request_el.set("verb", verb)
        for name, value in args.items():
            request_el.set(name, _text(value))
        HANDLERS[verb](root, args, base_url)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            request_el.attrib.clear()
        for child in list(root)[2:]:
            root.remove(child)
        _sub(root, "error", error.message, code=error.code)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
