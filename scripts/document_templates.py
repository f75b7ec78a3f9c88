#!/usr/bin/env python3
"""Writes the shipped Word templates of the enforcement documents (执法文书), one .docx per
document type, into crates/anjian-app/src/documents/templates/ (compiled into the binary).

Usage: scripts/document_templates.py        (standard library only; output is deterministic)

The layout follows the official formats of 执法文书: the agency's name and the title centred
in 宋体 bold, the number block right-aligned, the addressee block, the body in 仿宋 三号 (16 pt)
on a 24 pt line with a two-character first-line indent, the agency and the date (2022年6月1日)
at the bottom right with the place of the seal (印章), signature places where the format has
them, and for documents served on a party a 送达回证 on a page of its own. Page: A4, left and
right margins of GB/T 9704, top and bottom a little narrower (28 and 25 mm) so that a typical
decision or order, body and signatures, fits on one page.

What must stay together is marked in the paragraphs, so Word and LibreOffice keep it whatever
the length of the body: the body's paragraph keeps with the next (docx_fill leaves that on the
last of the paragraphs a multi-line body becomes, see there), and every paragraph of the
closing block (signature places, the agency with its seal, the date) keeps its lines together
and, but for the date, keeps with the next. So the end of the body, the signatures and the
seal move to the next page together, never the seal alone. A test in
crates/anjian-app/src/documents/tests.rs fails if a template is written without them.

Everything record-specific is a placeholder `{名称}` that anjian fills when the document is
downloaded (see crates/anjian-app/src/docx_fill.rs and documents::DOCX_PLACEHOLDERS); a
county may download a template, edit it in Word and upload it again.
After changing this script run it and commit the .docx files it writes.
"""
import pathlib
import zipfile
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/anjian-app/src/documents/templates"

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY_FONT = "仿宋"
# Exact line height of the body, in twentieths of a point (24 pt: one and a half lines of
# its 16 pt characters).
LINE = 480
TITLE_FONT = "宋体"
FULL_WIDTH_SPACE = "\u3000"


def run(text, font=BODY_FONT, size=32, bold=False, underline=False):
    props = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:hint="eastAsia"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if underline:
        props += '<w:u w:val="single"/>'
    props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(runs, jc=None, indent=False, line=LINE, before=0, after=0, page_break=False,
         keep_next=False, keep_lines=False, widow_control=False):
    """A paragraph. Properties in the order the schema requires (CT_PPrBase)."""
    ppr = ""
    if keep_next:
        ppr += "<w:keepNext/>"
    if keep_lines:
        ppr += "<w:keepLines/>"
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    if widow_control:
        ppr += "<w:widowControl/>"
    ppr += f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>'
    if indent:
        ppr += '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


def heading(title, page_break=False):
    """The agency's name, the title and the number block."""
    return (
        para(run("{机关}", TITLE_FONT, 40, bold=True), jc="center", line=560, page_break=page_break)
        + para(run(title, TITLE_FONT, 44, bold=True), jc="center", line=640, before=160, after=60)
        + para(run("{文号}"), jc="right", after=160)
    )


def kept(runs, jc=None, before=0, last=False, line=LINE):
    """A paragraph of the closing block: never split, and kept with the next but for the last."""
    return para(runs, jc=jc, before=before, line=line, keep_next=not last, keep_lines=True)


def signature_block(before=300):
    """The agency (with the place of its seal) and the date, bottom right: the end of the
    closing block."""
    return kept(run("{机关}（印章）"), jc="right", before=before) + kept(
        run("{日期}"), jc="right", last=True
    )


def sign_line(label, value, before=0):
    return kept(run(label) + run(value), before=before)


def label_line(label, value):
    return para(run(label) + run(value))


def cell(text, width, bold=False, jc=None, size=28):
    ppr = '<w:spacing w:before="0" w:after="0" w:line="400" w:lineRule="exact"/>'
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr>{ppr}</w:pPr>{run(text, size=size, bold=bold)}</w:p></w:tc>'
    )


def service_receipt():
    """送达回证: a page of its own after the document."""
    rows = [
        ("送达文书名称", "{文书名称}", 600),
        ("送达文书文号", "{文号}", 600),
        ("受送达人", "{受送达人}", 600),
        ("送达地点", "{送达地点}", 600),
        ("送达方式", "{送达方式}", 600),
        ("送达日期", "{送达日期}", 600),
        ("收件人（签名）", "　　　　　　　　　　　　年　　月　　日", 1000),
        ("送达人（签名）", "　　　　　　　　　　　　年　　月　　日", 1000),
        ("见证人（签名）", "　　　　　　　　　　　　年　　月　　日", 900),
        ("备注", "受送达人拒绝签收的，送达人应当在备注栏注明拒收事由和日期，由送达人、见证人签名，将文书留在受送达人的住所（留置送达）。", 1200),
    ]
    borders = "".join(
        f'<w:{b} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        for b in ["top", "left", "bottom", "right", "insideH", "insideV"]
    )
    tbl = (
        '<w:tbl><w:tblPr><w:tblW w:w="8844" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="120" w:type="dxa"/><w:right w:w="120" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2400"/><w:gridCol w:w="6444"/></w:tblGrid>'
    )
    for label, value, height in rows:
        tbl += (
            f'<w:tr><w:trPr><w:trHeight w:val="{height}" w:hRule="atLeast"/><w:cantSplit/></w:trPr>'
            + cell(label, 2400, bold=True, jc="center")
            + cell(value, 6444)
            + "</w:tr>"
        )
    tbl += "</w:tbl>"
    return (
        para(run("{机关}", TITLE_FONT, 40, bold=True), jc="center", line=640, page_break=True)
        + para(run("送 达 回 证", TITLE_FONT, 44, bold=True), jc="center", line=720, before=120, after=240)
        + tbl
        + para(run("（本回证由送达人填写，随文书送达后交回存档）", size=24), line=400, before=120)
    )


def party_block(label):
    return (
        label_line(f"{label}：", "{当事人}")
        + label_line("地址：", "{地址}")
        + label_line("法定代表人（负责人）：", "{法定代表人}")
        + label_line("统一社会信用代码：", "{统一社会信用代码}")
    )


def body():
    """The issued text; its end keeps with the closing block that follows."""
    return para(run("{正文}"), indent=True, keep_next=True, widow_control=True)


def penalty_decision():
    return (
        heading("行政处罚决定书")
        + party_block("被处罚单位（人）")
        + body()
        + signature_block()
        + service_receipt()
    )


def simple_decision():
    return (
        heading("行政（当场）处罚决定书")
        + party_block("被处罚单位（人）")
        + body()
        + sign_line("执法人员（签名）：", "{执法人员}　　执法证号：", before=120)
        + sign_line("当事人（签名）：", "　　　　　　　　　　年　　月　　日")
        + kept(run("（本决定书当场交付当事人，当事人签名即为签收）", size=24), line=400)
        + signature_block(before=120)
    )


def rectification_order():
    return (
        heading("责令限期整改指令书")
        + party_block("被检查单位")
        + body()
        # The officers come from the roster with their certificate numbers (行政处罚法 art. 42).
        + sign_line("执法人员（签名）：", "{执法人员}", before=200)
        + sign_line("被检查单位负责人（签名）：", "　　　　　　　年　　月　　日")
        + signature_block(before=200)
        + service_receipt()
    )


def generic(title, to_party):
    return heading(title) + body() + signature_block() + (service_receipt() if to_party else "")


SECT = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1587" w:right="1474" w:bottom="1417" w:left="1588" w:header="851" w:footer="851" w:gutter="0"/>'
    '</w:sectPr>'
)

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/><w:spacing w:line="{LINE}" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""


def core(title):
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{escape(title)}（模板）</dc:title><dc:creator>anjian</dc:creator></cp:coreProperties>"""


# (code, title, served on a party) — keep in step with documents::catalogue::DOC_TYPES.
TYPES = [
    ("inspection_record", "现场检查记录", True),
    ("rectification_order", "责令限期整改指令书", True),
    ("recheck_opinion", "整改复查意见书", True),
    ("onsite_measure", "现场处理措施决定书", True),
    ("case_register", "立案审批表", False),
    ("penalty_notice", "行政处罚告知书", True),
    ("hearing_notice", "听证告知书", True),
    ("penalty_decision", "行政处罚决定书", True),
    ("simple_decision", "行政（当场）处罚决定书", True),
    ("case_close", "结案审批表", False),
    ("hearing_meeting_notice", "听证会通知书", True),
    ("legal_review_opinion", "行政处罚法制审核意见书", False),
    ("collective_discussion", "行政处罚集体讨论记录", False),
    ("deferral_approval", "延期（分期）缴纳罚款批准书", True),
    ("payment_reminder", "催告书", True),
    ("enforcement_application", "强制执行申请书", False),
    ("transfer_letter", "涉嫌犯罪案件移送书", False),
]

SPECIAL = {
    "penalty_decision": penalty_decision,
    "simple_decision": simple_decision,
    "rectification_order": rectification_order,
}


def write(code, title, to_party):
    content = SPECIAL[code]() if code in SPECIAL else generic(title, to_party)
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{content}{SECT}</w:body></w:document>'
    path = OUT / f"{code}.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("docProps/core.xml", core(title)),
            ("word/_rels/document.xml.rels", DOC_RELS),
            ("word/styles.xml", STYLES),
            ("word/document.xml", document),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2022, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for code, title, to_party in TYPES:
        print(write(code, title, to_party).relative_to(ROOT))
