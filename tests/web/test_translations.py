"""Vietnamese is the source language; the English catalogue must cover every string."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "khcn" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, continuation lines joined, header skipped."""
    entries = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        head = re.split(r"^msgid_plural |^msgstr", block, flags=re.M)[0]
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', head, re.M))
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if not msgid or not strs:
            continue
        for head, cont in strs:
            entries.append((msgid, head + "".join(re.findall(r'"(.*)"', cont))))
    return entries


def test_every_string_has_an_english_translation():
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr in entries if not msgstr]
    assert missing == []
    fuzzy = PO.read_text(encoding="utf-8").count("#, fuzzy")
    assert fuzzy == 0


def test_placeholders_survive_translation():
    for msgid, msgstr in _entries(PO.read_text(encoding="utf-8")):
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ), msgid


@pytest.mark.django_db
def test_login_page_switches_to_english(client):
    vi = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập KHCN" in vi and 'lang="vi"' in vi
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    en = client.get("/dang-nhap/").content.decode()
    assert 'lang="en"' in en and "Đăng nhập KHCN" not in en


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    page = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page and "Đăng nhập KHCN" in page
