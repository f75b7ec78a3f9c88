//! Hostile import files, made on demand for the tests and for `anjian bench import-bombs`:
//! an .xlsx zip bomb, a CSV of junk rows, a CSV too wide, a CSV with a giant cell. Each is
//! built while streaming (the bomb is deflated as it is written), never held inflated.

use std::io::{Cursor, Write};

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// An .xlsx whose one sheet has a header row and `rows` identical rows without row
/// numbers: 2,350,000 rows are some 110 MB of XML in a file of a few hundred KB.
pub fn xlsx_bomb(rows: usize) -> Vec<u8> {
    let header = format!(
        "<row>{}</row>",
        [
            "所在区划代码",
            "行业领域",
            "隐患等级",
            "隐患来源",
            "隐患描述",
            "发现日期"
        ]
        .iter()
        .map(|h| format!("<c t=\"inlineStr\"><is><t>{h}</t></is></c>"))
        .collect::<String>()
    );
    let row = "<row><c t=\"inlineStr\"><is><t>x</t></is></c><c><v>1</v></c><c t=\"inlineStr\"><is><t>junk</t></is></c></row>";
    xlsx_with_sheet(&header, rows, row)
}

/// An .xlsx of one sheet: `head` (the first row's XML) and `rows` copies of `row`.
pub fn xlsx_with_sheet(head: &str, rows: usize, row: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{REL_NS}\"><Relationship Id=\"rId1\" Type=\"{DOC_REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{DOC_REL}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{REL_NS}\"><Relationship Id=\"rId1\" Type=\"{DOC_REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
    ];
    let mut ok = true;
    for (name, text) in parts {
        ok &= z.start_file(name, opts).is_ok() && z.write_all(text.as_bytes()).is_ok();
    }
    ok &= z.start_file("xl/worksheets/sheet1.xml", opts).is_ok();
    ok &= z
        .write_all(
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{MAIN_NS}\"><sheetData>{head}"
            )
            .as_bytes(),
        )
        .is_ok();
    // Rows are written a thousand at a time: the XML is never held whole.
    let block = row.repeat(1000);
    let mut left = rows;
    while left > 0 && ok {
        let n = left.min(1000);
        let part = if n == 1000 {
            block.as_str()
        } else {
            block.get(..row.len() * n).unwrap_or_default()
        };
        ok &= z.write_all(part.as_bytes()).is_ok();
        left -= n;
    }
    ok &= z.write_all(b"</sheetData></worksheet>").is_ok();
    match z.finish() {
        Ok(c) if ok => c.into_inner(),
        _ => Vec::new(),
    }
}

/// A CSV with a hazard header and `rows` rows of junk ("x,y").
pub fn junk_csv(rows: usize) -> Vec<u8> {
    let mut out = "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期\n"
        .as_bytes()
        .to_vec();
    for _ in 0..rows {
        out.extend_from_slice(b"x,y\n");
    }
    out
}

/// A CSV with a hazard header and a row with a value in column `cols`.
pub fn wide_csv(cols: usize) -> Vec<u8> {
    let mut out = "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期\n"
        .as_bytes()
        .to_vec();
    out.extend(std::iter::repeat_n(b',', cols));
    out.extend_from_slice(b"x\n");
    out
}

/// A CSV with a hazard header and one description of `chars` characters.
pub fn giant_cell_csv(chars: usize) -> Vec<u8> {
    let mut out = "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期\n360982100200,消防,一般隐患,监督检查,"
        .as_bytes()
        .to_vec();
    out.extend(std::iter::repeat_n(b'a', chars));
    out.extend_from_slice(b",2022-05-10\n");
    out
}
