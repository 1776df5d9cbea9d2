"""OAI-PMH 2.0 at /oai, checked against the protocol specification
(http://www.openarchives.org/OAI/openarchivesprotocol.html): every verb, every error code,
response structure, selective harvesting and resumption tokens."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from khcn.registry import services
from khcn.registry.interop import oai
from khcn.registry.models import Result

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_LOC = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
UTC_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
REPO = "khcn.haiphong.gov.vn"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.KHCN_SITE_URL = f"https://{REPO}"


@pytest.fixture
def results(staff_a, agency_a, org, person):
    """Six public results (3 patents in field 201, 3 publications in 405) with known
    datestamps one day apart, and one restricted patent that must never be served."""
    made = []
    for i in range(6):
        patent = i % 2 == 0
        made.append(
            services.result_create(
                actor=staff_a,
                agency=agency_a,
                authors=[person],
                organisations=[org],
                kind="patent" if patent else "publication",
                title=f"Kết quả số {i + 1}: ống nhựa chịu nhiệt"
                if patent
                else f"Kết quả số {i + 1}: vi tảo",
                year=2020 + i,
                field="201" if patent else "405",
                keywords="nhựa, polyme",
                abstract="Tóm tắt & <chi tiết>",
            )
        )
    hidden = services.result_create(
        actor=staff_a,
        agency=agency_a,
        kind="patent",
        title="Bí mật",
        year=2024,
        field="201",
        access="restricted",
    )
    for i, r in enumerate(made + [hidden]):
        Result.objects.filter(pk=r.pk).update(
            updated_at=dt.datetime(2025, 1, 1 + i, 8, 0, 0, tzinfo=dt.UTC)
        )
    return made, hidden


def call(client, method="get", **params):
    response = getattr(client, method)(reverse("oai"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    check_envelope(root, response.content)
    return root


def check_envelope(root, raw: bytes):
    """The parts every response has, in the order the schema requires."""
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    assert root.get(XSI_LOC) == (
        "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    )
    children = list(root)
    assert children[0].tag == f"{{{NS['o']}}}responseDate" and UTC_SECOND.match(children[0].text)
    assert children[1].tag == f"{{{NS['o']}}}request" and children[1].text.endswith("/oai")
    assert len(children) >= 3


def error_code(root) -> str | None:
    errors = root.findall("o:error", NS)
    return errors[0].get("code") if errors else None


def identifiers(root, verb="ListIdentifiers"):
    path = (
        f"o:{verb}/o:header/o:identifier"
        if verb == "ListIdentifiers"
        else f"o:{verb}/o:record/o:header/o:identifier"
    )
    return [e.text for e in root.findall(path, NS)]


def test_identify(client, results):
    root = call(client, verb="Identify")
    node = root.find("o:Identify", NS)
    tags = [child.tag.split("}")[1] for child in node]
    assert tags[:7] == [
        "repositoryName",
        "baseURL",
        "protocolVersion",
        "adminEmail",
        "earliestDatestamp",
        "deletedRecord",
        "granularity",
    ]
    assert node.find("o:protocolVersion", NS).text == "2.0"
    assert node.find("o:baseURL", NS).text == "http://testserver/oai"
    assert node.find("o:earliestDatestamp", NS).text == "2025-01-01T08:00:00Z"
    assert node.find("o:deletedRecord", NS).text == "no"
    assert node.find("o:granularity", NS).text == "YYYY-MM-DDThh:mm:ssZ"
    ident = node.find(
        "o:description/{http://www.openarchives.org/OAI/2.0/oai-identifier}oai-identifier", NS
    )
    assert (
        ident.find("{http://www.openarchives.org/OAI/2.0/oai-identifier}repositoryIdentifier").text
        == REPO
    )
    assert root.find("o:request", NS).attrib == {"verb": "Identify"}


def test_list_metadata_formats_and_sets(client, results):
    made, hidden = results
    root = call(client, verb="ListMetadataFormats")
    fmt = root.find("o:ListMetadataFormats/o:metadataFormat", NS)
    assert fmt.find("o:metadataPrefix", NS).text == "oai_dc"
    assert fmt.find("o:schema", NS).text == "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    assert fmt.find("o:metadataNamespace", NS).text == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    one = call(client, verb="ListMetadataFormats", identifier=oai.identifier_for(made[0].pk))
    assert one.find("o:ListMetadataFormats", NS) is not None
    hidden_id = oai.identifier_for(hidden.pk)
    assert (
        error_code(call(client, verb="ListMetadataFormats", identifier=hidden_id))
        == "idDoesNotExist"
    )

    sets = call(client, verb="ListSets")
    specs = [s.text for s in sets.findall("o:ListSets/o:set/o:setSpec", NS)]
    assert {
        "type",
        "type:patent",
        "type:publication",
        "field",
        "field:2",
        "field:2:201",
        "field:4:405",
    } <= set(specs)
    assert all(re.fullmatch(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*", s) for s in specs)
    assert error_code(call(client, verb="ListSets", resumptionToken="abc")) == "badResumptionToken"


def test_list_records_serves_public_results_as_dublin_core(client, results):
    made, hidden = results
    root = call(client, verb="ListRecords", metadataPrefix="oai_dc")
    ids = identifiers(root, "ListRecords")
    assert ids == [
        f"oai:{REPO}:result/{r.pk}" for r in made
    ]  # datestamp order; restricted left out
    assert root.find("o:ListRecords/o:resumptionToken", NS) is None  # complete in one response
    record = root.find("o:ListRecords/o:record", NS)
    header = record.find("o:header", NS)
    assert header.find("o:datestamp", NS).text == "2025-01-01T08:00:00Z"
    assert [s.text for s in header.findall("o:setSpec", NS)] == [
        "type:patent",
        "field:2",
        "field:2:201",
    ]
    dc = record.find("o:metadata/oai_dc:dc", NS)
    assert (
        dc.get(XSI_LOC)
        == "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )
    assert {child.tag.split("}")[0][1:] for child in dc} == {NS["dc"]}
    assert dc.find("dc:title", NS).text == "Kết quả số 1: ống nhựa chịu nhiệt"
    assert dc.find("dc:creator", NS).text == "Nguyễn Thị Lan Hương"
    assert dc.find("dc:description", NS).text == "Tóm tắt & <chi tiết>"  # escaped, parsed back
    assert "nhựa" in [s.text for s in dc.findall("dc:subject", NS)]
    assert f"https://{REPO}/csdl/ket-qua/{made[0].pk}/" in [
        i.text for i in dc.findall("dc:identifier", NS)
    ]
    assert dc.find("dc:contributor", NS).text == "Trường Đại học Hải Phòng"

    patents = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:patent")
    assert identifiers(patents) == [oai.identifier_for(r.pk) for r in made[::2]]
    field4 = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="field:4")
    assert identifiers(field4) == [oai.identifier_for(r.pk) for r in made[1::2]]

    got = call(
        client, verb="GetRecord", identifier=oai.identifier_for(made[1].pk), metadataPrefix="oai_dc"
    )
    assert got.find("o:GetRecord/o:record/o:metadata/oai_dc:dc/dc:title", NS).text.endswith(
        "vi tảo"
    )
    assert got.find("o:request", NS).attrib == {
        "verb": "GetRecord",
        "identifier": oai.identifier_for(made[1].pk),
        "metadataPrefix": "oai_dc",
    }


def test_from_and_until_in_both_granularities(client, results):
    made, _hidden = results

    def ids(**args):
        root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
        return identifiers(root) if error_code(root) is None else error_code(root)

    assert ids(**{"from": "2025-01-02", "until": "2025-01-03"}) == [
        oai.identifier_for(r.pk) for r in made[1:3]
    ]
    assert ids(**{"from": "2025-01-02T08:00:00Z", "until": "2025-01-02T08:00:00Z"}) == [
        oai.identifier_for(made[1].pk)
    ]
    assert ids(**{"from": "2025-01-02T08:00:01Z"})[0] == oai.identifier_for(made[2].pk)
    assert ids(until="2025-01-01") == [oai.identifier_for(made[0].pk)]
    assert ids(**{"from": "2030-01-01"}) == "noRecordsMatch"
    assert ids(set="type:variety") == "noRecordsMatch"
    assert ids(set="no-such-set") == "noRecordsMatch"
    assert ids(**{"from": "2025-01-02", "until": "2025-01-03T00:00:00Z"}) == "badArgument"  # mixed
    assert ids(**{"from": "2025-01-05", "until": "2025-01-02"}) == "badArgument"
    assert ids(**{"from": "02/01/2025"}) == "badArgument"
    assert ids(**{"from": "2025-02-30"}) == "badArgument"
    assert ids(**{"from": "2025-01-02T08:00:00.5Z"}) == "badArgument"  # finer than supported


def test_resumption_tokens_walk_the_whole_list_exactly_once(client, results, monkeypatch):
    made, _hidden = results
    monkeypatch.setattr(oai, "PAGE_SIZE", 4)
    for verb in ("ListIdentifiers", "ListRecords"):
        seen, cursors = [], []
        root = call(client, verb=verb, metadataPrefix="oai_dc")
        while True:
            seen += identifiers(root, verb)
            token = root.find(f"o:{verb}/o:resumptionToken", NS)
            assert token.get("completeListSize") == "6"
            cursors.append(token.get("cursor"))
            if not token.text:
                break
            assert UTC_SECOND.match(token.get("expirationDate"))
            root = call(client, "post", verb=verb, resumptionToken=token.text)
            assert root.find("o:request", NS).get("resumptionToken") == token.text
        assert seen == [oai.identifier_for(r.pk) for r in made]
        assert cursors == ["0", "4"]


def test_bad_resumption_tokens(client, results, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 4)
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find("o:ListIdentifiers/o:resumptionToken", NS).text
    assert (
        error_code(call(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx"))
        == "badResumptionToken"
    )
    assert (
        error_code(call(client, verb="ListRecords", resumptionToken="not-a-token"))
        == "badResumptionToken"
    )
    both = call(client, verb="ListIdentifiers", resumptionToken=token, metadataPrefix="oai_dc")
    assert error_code(both) == "badArgument"  # resumptionToken is exclusive
    monkeypatch.setattr(oai, "TOKEN_MAX_AGE", -1)  # expired
    assert (
        error_code(call(client, verb="ListIdentifiers", resumptionToken=token))
        == "badResumptionToken"
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": ["a", "b"]}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        (
            {"verb": "GetRecord", "identifier": "oai:x:result/1", "metadataPrefix": ""},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "yesterday"},
            "badArgument",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:other.org:result/1",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": f"oai:{REPO}:result/999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
    ],
)
@pytest.mark.django_db
def test_error_codes(client, params, code):
    root = call(client, **params)
    assert error_code(root) == code
    request_el = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert request_el.attrib == {}  # the spec: no attributes echoed for these errors
    assert len(root.findall("o:error", NS)) == 1 and len(root) == 3


def test_cannot_disseminate_format_and_hidden_records_on_get_record(client, results):
    made, hidden = results
    unknown = call(
        client, verb="GetRecord", identifier=oai.identifier_for(made[0].pk), metadataPrefix="marc21"
    )
    assert error_code(unknown) == "cannotDisseminateFormat"
    restricted = call(
        client, verb="GetRecord", identifier=oai.identifier_for(hidden.pk), metadataPrefix="oai_dc"
    )
    assert error_code(restricted) == "idDoesNotExist"
    posted = call(
        client,
        "post",
        verb="GetRecord",
        identifier=oai.identifier_for(made[0].pk),
        metadataPrefix="oai_dc",
    )
    assert posted.find("o:GetRecord", NS) is not None


@pytest.mark.django_db
def test_an_empty_repository_answers_no_records_match(client):
    assert error_code(call(client, verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"
    assert call(client, verb="Identify").find("o:Identify/o:earliestDatestamp", NS).text
