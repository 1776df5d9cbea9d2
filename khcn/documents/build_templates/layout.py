"""python-docx building blocks in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

Used by `build_templates` to write the default templates; nothing here runs when a
document is rendered. A4, margins 20 / 20 / 30 / 15 mm (top, bottom, left, right),
Times New Roman; the header is a borderless two-column table (issuing authority
left, national title right) with short rules drawn as paragraph borders.
"""

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 13
PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
LANDSCAPE_TEXT_W = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT  # 252 mm
# Header columns: the issuing authority (left) and the national title (right). The
# table is a little wider than the text so that the national title fits on one line.
HEADER_SHIFT = 8
HEADER_W = (68, TEXT_W + HEADER_SHIFT - 68)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- document ------------------------------------------------------------------------------------


def new_document(title: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    _margins(section)
    _fonts(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "KHCN", "KHCN"
    props.comments = props.keywords = props.subject = ""
    props.revision = 1
    _page_numbers(section)
    return doc


def _margins(section) -> None:
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _fonts(doc) -> None:
    """Times New Roman everywhere, including the document defaults (theme fonts removed)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    for rpr in [defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))]:
        _set_fonts(rpr)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    for name in ("Table Grid", "Normal Table"):
        _set_fonts(doc.styles[name].element.get_or_add_rPr())


def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]
    for kind in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{kind}"), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _page_numbers(section) -> None:
    """Page number centred in the header from the second page on (NĐ 30 Phụ lục I, mục 8)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def landscape_section(doc):
    """A new page in landscape, for a wide annex table."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_H), Mm(PAGE_W)
    _margins(section)
    return section


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- paragraphs ----------------------------------------------------------------------------------


def par(
    container,
    parts="",
    *,
    align=JUSTIFY,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    before: float = 0,
    after: float = 6,
    first_line: float = 0,
    left: float = 0,
    line: float = 1.15,
    keep_next: bool = False,
    reuse: bool = False,
):
    """A paragraph of runs. `parts` is a string or [(text, {"bold": …, "italic": …}), …].

    `reuse`: write into the container's first, still empty paragraph (a new table cell
    has one) instead of adding another.
    """
    if reuse and container.paragraphs and not container.paragraphs[0].text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    paragraph.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = line
    fmt.first_line_indent = Mm(first_line) if first_line else None
    fmt.left_indent = Mm(left) if left else None
    fmt.keep_with_next = keep_next or None
    if isinstance(parts, str):
        parts = [(parts, {})]
    for text, style in parts:
        run = paragraph.add_run(text)
        run.font.size = Pt(style.get("size", size))
        run.bold = style.get("bold", bold) or None
        run.italic = style.get("italic", italic) or None
    return paragraph


def body(container, parts, **kw):
    """A body paragraph: justified, first line indented 10 mm, 6 pt after."""
    kw.setdefault("first_line", 10)
    return par(container, parts, **kw)


def tag(container, text: str):
    """A paragraph holding only a docxtpl block tag ({%p if … %}); docxtpl removes it."""
    return par(container, text, align=LEFT, after=0, line=1.0)


def rule(container, *, length: float, box: float, before: float = 2, after: float = 0):
    """A horizontal rule `length` mm long centred in a box `box` mm wide: the top border of
    an empty 1 pt paragraph indented from both sides."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    paragraph.alignment = CENTER
    side = Mm(max((box - length) / 2, 0))
    fmt.left_indent, fmt.right_indent = side, side
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = Pt(2)
    run = paragraph.add_run()
    run.font.size = Pt(1)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    # Word wants pBdr before shd, tabs, spacing, ind and jc (the order of CT_PPr).
    for later in ("shd", "tabs", "spacing", "ind", "jc"):
        anchor = ppr.find(qn(f"w:{later}"))
        if anchor is not None:
            anchor.addprevious(borders)
            break
    else:
        ppr.append(borders)
    return paragraph


# --- tables --------------------------------------------------------------------------------------


def table(container, widths: list[float], *, grid: bool, indent: float = 0):
    """A fixed-layout table with column widths in mm; `grid` draws all borders."""
    tbl = container.add_table(rows=0, cols=len(widths))
    tbl.style = container.part.document.styles["Table Grid" if grid else "Normal Table"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER if grid else WD_TABLE_ALIGNMENT.LEFT
    tbl.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/>
    tblpr = tbl._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = _insert_ordered(tblpr, OxmlElement("w:tblW"), TBLPR_ORDER)
    width.set(qn("w:w"), str(_twips(sum(widths))))
    width.set(qn("w:type"), "dxa")
    if indent:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(_twips(indent)))
        ind.set(qn("w:type"), "dxa")
        _insert_ordered(tblpr, ind, TBLPR_ORDER)
    if not grid:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            m = OxmlElement(f"w:{side}")
            m.set(qn("w:w"), "0")
            m.set(qn("w:type"), "dxa")
            margins.append(m)
        _insert_ordered(tblpr, margins, TBLPR_ORDER)
    for col, w in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(_twips(w)))
    tbl._khcn_widths = widths
    return tbl


# The order Word requires for the children of <w:tblPr> (CT_TblPr, ECMA-376 §17.4.60).
TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _insert_ordered(parent, child, order: list[str]):
    """Insert `child` before the first sibling that must follow it."""
    name = child.tag.rsplit("}", 1)[-1]
    later = {qn(f"w:{n}") for n in order[order.index(name) + 1 :]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def row(tbl, cells=(), *, header: bool = False, size: float = 12, bold: bool = False, aligns=None):
    """Append a row; `cells` are strings (or part lists) written one paragraph each."""
    new = tbl.add_row()
    for cell, w in zip(new.cells, tbl._khcn_widths, strict=True):
        cell.width = Mm(w)
    trpr = new._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))  # a row is never cut across two pages
    if header:
        trpr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    for index, content in enumerate(cells):
        align = (aligns[index] if aligns else None) or (CENTER if header else LEFT)
        par(
            new.cells[index],
            content,
            align=align,
            size=size,
            bold=bold or header,
            before=2,
            after=2,
            line=1.0,
            reuse=True,
        )
    return new


def loop_rows(tbl, loop: str, cells, *, size: float = 12, aligns=None) -> None:
    """Rows repeated by docxtpl: `{%tr for … %}`, the row of `cells`, `{%tr endfor %}`."""
    row(tbl, [f"{{%tr {loop} %}}"], size=size)
    row(tbl, cells, size=size, aligns=aligns)
    row(tbl, ["{%tr endfor %}"], size=size)


def merge_row(tbl, first: int, last: int):
    """Merge the cells first..last of the last row; returns the merged cell, keeping only
    its first paragraph when the others are empty (merging concatenates them)."""
    cells = tbl.rows[-1].cells
    merged = cells[first].merge(cells[last])
    for paragraph in merged.paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    return merged


# --- the parts of an administrative document ------------------------------------------------------


def header(doc, *, number: str) -> None:
    """Authority and national title; number ("Số: …/QĐ-SKHCN") and place, date beneath."""
    left_w, right_w = HEADER_W
    tbl = table(doc, list(HEADER_W), grid=False, indent=-HEADER_SHIFT / 2)
    top = row(tbl)
    left, right = top.cells
    par(left, "{{ agency.parent_name }}", align=CENTER, size=12, after=0, line=1.0, reuse=True)
    par(left, "{{ agency.name }}", align=CENTER, size=12, bold=True, after=0, line=1.0)
    rule(left, length=24, box=left_w, after=4)
    par(
        right,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        align=CENTER,
        size=12,
        bold=True,
        after=0,
        line=1.0,
        reuse=True,
    )
    par(right, "Độc lập - Tự do - Hạnh phúc", align=CENTER, size=13, bold=True, after=0, line=1.0)
    rule(right, length=57, box=right_w, after=4)
    bottom = row(tbl)
    left, right = bottom.cells
    par(left, number, align=CENTER, size=13, after=0, line=1.0, reuse=True)
    par(
        right,
        "{{ agency.place }}, {{ doc.date|ngay }}",
        align=CENTER,
        size=13,
        italic=True,
        after=0,
        line=1.0,
        reuse=True,
    )


def number(sign: str) -> str:
    """ "Số: 125/QĐ-SKHCN", "…" while the document has no number yet."""
    return f"Số: {{{{ doc.number or '…' }}}}/{sign}-{{{{ agency.short }}}}"


def title(doc, name: str, subject: str | None = None, *, rule_under: bool = True) -> None:
    """The document's name in bold capitals and its subject (trích yếu) beneath, centred."""
    par(doc, name, align=CENTER, size=14, bold=True, before=18, after=0, line=1.0, keep_next=True)
    if subject:
        par(doc, subject, align=CENTER, size=14, bold=True, after=0, line=1.0, keep_next=True)
    if rule_under:
        rule(doc, length=40, box=TEXT_W, after=12)
    else:
        par(doc, "", after=6)


def recipients_and_signature(
    doc, recipients: list[str], *, authority: str = "{{ signer.title }}"
) -> None:
    """ "Nơi nhận:" bottom left (bold italic 12 pt, list 11 pt); the signature block right."""
    _keep_with_previous(doc)
    tbl = table(doc, [80, TEXT_W - 80], grid=False)
    cells = row(tbl).cells
    par(
        cells[0],
        "Nơi nhận:",
        align=LEFT,
        size=12,
        bold=True,
        italic=True,
        before=6,
        after=0,
        line=1.0,
        reuse=True,
    )
    for item in recipients:
        par(cells[0], f"- {item}", align=LEFT, size=11, after=0, line=1.0)
    _signature(cells[1], authority, "", "{{ signer.name }}")


def two_signatures(doc, left: tuple[str, str, str], right: tuple[str, str, str]) -> None:
    """Two signature blocks side by side, each (authority, note, name): the parties of a
    contract, the secretary and the chair of a council."""
    _keep_with_previous(doc)
    tbl = table(doc, [TEXT_W / 2, TEXT_W / 2], grid=False)
    cells = row(tbl).cells
    _signature(cells[0], *left)
    _signature(cells[1], *right)


def _keep_with_previous(doc) -> None:
    """The signature never stands alone on a page: the last paragraph goes along with it."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True


def _signature(cell, authority: str, note: str, name: str) -> None:
    par(cell, authority, align=CENTER, size=13, bold=True, before=6, after=0, line=1.0, reuse=True)
    if note:
        par(cell, note, align=CENTER, size=12, italic=True, after=0, line=1.0)
    for _ in range(4):
        par(cell, "", align=CENTER, after=0)
    par(cell, name, align=CENTER, size=13, bold=True, after=0, line=1.0)
