"""`khcn workdays add|count`: the calendar from the shell; bad input is a Vietnamese error."""

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from khcn.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "2026-02-13", "10"], "2026-03-06"),
        (["add", "2026-05-15", "-30"], "2026-03-31"),
        (["add", "15/05/2026", "-30"], "2026-03-31"),
        (["add", "13/2/2026", "1"], "2026-02-23"),
        (["add", "2026-02-13", "0"], "2026-02-13"),
        (["add", "2026-02-10", "7", "--unit", "calendar"], "2026-02-23"),
        (["add", "2026-02-24", "-7", "--unit", "calendar"], "2026-02-13"),
        (["count", "2026-02-13", "2026-03-06"], "10"),
        (["count", "06/03/2026", "13/02/2026"], "-10"),
        (["count", "2024-05-03", "2024-05-06"], "2"),
    ],
)
def test_workdays(args, expected):
    assert run(*args) == expected


def test_agency_calendar(agency_a):
    CalendarOverride.objects.create(
        agency=agency_a,
        date=dt.date(2026, 5, 13),
        kind=CalendarOverride.Kind.OFF,
        name="Nghỉ kỷ niệm",
        legal_document="Thông báo 86/TB-UBND",
    )

    assert run("add", "2026-05-12", "1", "--agency", "hp-test") == "2026-05-14"
    assert run("add", "2026-05-12", "1") == "2026-05-13"
    assert run("count", "2026-05-12", "2026-05-14", "--agency", "hp-test") == "1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "2026-02-30", "1"],
            "“2026-02-30” không phải là ngày hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd).",
        ),
        (["add", "2026-02-13", "mười"], "“mười” không phải là số ngày (số nguyên, có thể âm)."),
        (["add", "2026-02-13", "99999"], "Số ngày phải trong khoảng -3650 đến 3650."),
        (["add", "2026-02-13", "1", "--agency", "khong-co"], "Không có cơ quan mã “khong-co”."),
        (["count", "2026-02-13", "1/1/1900"], "Năm 1900 nằm ngoài khoảng 1990–2100."),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert str(caught.value) == message


def test_from_the_shell_bad_input_exits_non_zero_without_a_traceback(tmp_path):
    env = {**os.environ, "KHCN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "khcn.settings"}
    env.pop("DATABASE_URL", None)  # the date is refused before any database is opened
    result = subprocess.run(
        [sys.executable, "-m", "khcn", "workdays", "add", "31/02/2026", "3"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert "“31/02/2026” không phải là ngày hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
