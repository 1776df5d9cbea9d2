import io

import docx
import pytest
from docx.oxml.ns import qn

from khcn.documents.render import default_template


def docx_text(content: bytes) -> str:
    """Every paragraph of a .docx, table cells included, one per line."""
    body = docx.Document(io.BytesIO(content)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(line for line in lines if line)


def edited_template(code: str, *paragraphs: str) -> bytes:
    """The default template of `code` with `paragraphs` added at the end, as Word would save it."""
    document = docx.Document(io.BytesIO(default_template(code)))
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def text_of():
    return docx_text
