"""The `khcn` command: the Django management commands a department needs.

    khcn demo                  load the demo data (refuses a database with real data)
    khcn serve                 production WSGI server (gunicorn)
    khcn worker                background job worker plus the daily scheduler
    khcn migrate               create or update the database
    khcn createsuperuser       create the platform operator account
    khcn token create --user NAME
    khcn audit verify
    khcn seed --scale N        generated data for benchmarks
    khcn workdays add 2026-02-13 10      the 10th working day after 13/2/2026 (2026-03-06)
    khcn workdays add 15/05/2026 -30     30 working days before (2026-03-31); --unit calendar
    khcn workdays count 2026-02-13 2026-03-06   working days in (A, B]; --agency CODE
Any other Django management command works too (`khcn check --deploy`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khcn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["khcn", *argv[1:]])


if __name__ == "__main__":
    main()
