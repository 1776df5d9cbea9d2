"""Write the default .docx templates into `templates_docx/`.

    .venv/bin/python -m khcn.documents.build_templates

The files are committed: they are what an agency starts from and may download,
edit in Word and upload again. Each holds docxtpl tags over the context contract
of `catalogue.py`: `{{ … }}`, `{%tr for … %}` rows in tables, `{%p if … %}`
paragraphs. The wording follows the usual practice of the departments; the legal
bases with "…" are left for each agency to complete.
"""

import io
import sys
from pathlib import Path

from khcn.documents.build_templates import contracts, decisions, minutes, procedures
from khcn.documents.build_templates import layout as L
from khcn.documents.catalogue import DOCUMENTS

OUT_DIR = Path(__file__).resolve().parent.parent / "templates_docx"

BUILDERS = {
    "task_list_decision": decisions.task_list_decision,
    "council_decision": decisions.council_decision,
    "council_minutes": minutes.council_minutes,
    "contract": contracts.contract,
    "acceptance_minutes": minutes.acceptance_minutes,
    "recognition_decision": decisions.recognition_decision,
    "liquidation_record": contracts.liquidation_record,
    "dossier_receipt": procedures.dossier_receipt,
    "apology_letter": procedures.apology_letter,
    "certificate": procedures.certificate,
}


def build(code: str) -> bytes:
    """The default template of `code` as .docx bytes."""
    from django.utils import translation

    with translation.override("vi"):
        doc = L.new_document(str(DOCUMENTS[code].title))
    BUILDERS[code](doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    codes = (argv if argv is not None else sys.argv[1:]) or list(DOCUMENTS)
    unknown = sorted(set(codes) - set(BUILDERS))
    if unknown:
        print(f"unknown documents: {', '.join(unknown)}", file=sys.stderr)
        return 2
    OUT_DIR.mkdir(exist_ok=True)
    for code in codes:
        path = OUT_DIR / f"{code}.docx"
        path.write_bytes(build(code))
        print(path)
    return 0
