//! Minimal Word (.docx) documents: a title, paragraphs and one table, in the fonts and
//! layout of Chinese official documents (方正小标宋/仿宋 where installed, 宋体 otherwise).

use crate::{AppError, Result};
use std::io::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn run(text: &str, size_half_points: u32, bold: bool, font: &str) -> String {
    format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>{}<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        if bold { "<w:b/>" } else { "" },
        esc(text)
    )
}

fn para(text: &str, center: bool, size: u32, bold: bool, font: &str, indent: bool) -> String {
    format!(
        r#"<w:p><w:pPr>{}{}<w:spacing w:line="560" w:lineRule="exact"/></w:pPr>{}</w:p>"#,
        if center {
            r#"<w:jc w:val="center"/>"#
        } else {
            ""
        },
        if indent {
            r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#
        } else {
            ""
        },
        run(text, size, bold, font)
    )
}

/// A document with a centred title, a document number line, body paragraphs, an optional
/// table (headers, rows) and a closing signature and date.
pub fn document(
    title: &str,
    doc_no: &str,
    body: &[String],
    table: Option<(&[&str], &[Vec<String>])>,
    signature: &str,
    date: &str,
) -> Result<Vec<u8>> {
    let mut xml = String::new();
    xml.push_str(&para(title, true, 44, true, "方正小标宋简体", false));
    if !doc_no.is_empty() {
        xml.push_str(&para(doc_no, true, 32, false, "仿宋_GB2312", false));
    }
    for p in body {
        xml.push_str(&para(p, false, 32, false, "仿宋_GB2312", true));
    }
    if let Some((headers, rows)) = table {
        xml.push_str(r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>"#);
        let cell = |t: &str, bold: bool| {
            format!(r#"<w:tc><w:p>{}</w:p></w:tc>"#, run(t, 21, bold, "宋体"))
        };
        xml.push_str("<w:tr>");
        for h in headers {
            xml.push_str(&cell(h, true));
        }
        xml.push_str("</w:tr>");
        for r in rows {
            xml.push_str("<w:tr>");
            for c in r {
                xml.push_str(&cell(c, false));
            }
            xml.push_str("</w:tr>");
        }
        xml.push_str("</w:tbl>");
    }
    xml.push_str(&format!(
        r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr>{}</w:p>"#,
        run(signature, 32, false, "仿宋_GB2312")
    ));
    xml.push_str(&format!(
        r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr>{}</w:p>"#,
        run(date, 32, false, "仿宋_GB2312")
    ));
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{xml}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    package(&document, None)
}

/// A date as official documents write it: `2026年12月2日`.
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A piece of report text: plain, or a figure linked to its drill-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Link { text: String, url: String },
}

/// A block of a report: a heading or a body paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Heading(String),
    Para(Vec<Span>),
}

/// A report (title, headings, paragraphs) whose figures are hyperlinks to their records.
pub fn report(blocks: &[Block]) -> Result<Vec<u8>> {
    let mut xml = String::new();
    let mut links: Vec<String> = Vec::new();
    for b in blocks {
        match b {
            Block::Title(t) => xml.push_str(&para(t, true, 44, false, "方正小标宋简体", false)),
            Block::Heading(t) => xml.push_str(&para(t, false, 32, false, "黑体", true)),
            Block::Para(spans) => {
                xml.push_str(r#"<w:p><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:spacing w:line="560" w:lineRule="exact"/></w:pPr>"#);
                for s in spans {
                    match s {
                        Span::Text(t) => xml.push_str(&run(t, 32, false, "仿宋_GB2312")),
                        Span::Link { text, url } => {
                            links.push(url.clone());
                            xml.push_str(&format!(
                                r#"<w:hyperlink r:id="rIdL{}">{}</w:hyperlink>"#,
                                links.len(),
                                run(text, 32, false, "仿宋_GB2312").replace(
                                    "<w:rPr>",
                                    r#"<w:rPr><w:color w:val="1F4E9A"/><w:u w:val="single"/>"#
                                )
                            ));
                        }
                    }
                }
                xml.push_str("</w:p>");
            }
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{xml}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let mut doc_rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, url) in links.iter().enumerate() {
        doc_rels.push_str(&format!(
            r#"<Relationship Id="rIdL{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{}" TargetMode="External"/>"#,
            i + 1,
            esc(url)
        ));
    }
    doc_rels.push_str("</Relationships>");
    package(&document, Some(&doc_rels))
}

fn package(document: &str, doc_rels: Option<&str>) -> Result<Vec<u8>> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let z = |e: zip::result::ZipError| AppError::Internal(format!("docx: {e}"));
    let io = |e: std::io::Error| AppError::Internal(format!("docx: {e}"));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut parts = vec![
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/document.xml", document),
    ];
    if let Some(r) = doc_rels {
        parts.push(("word/_rels/document.xml.rels", r));
    }
    for (name, data) in parts {
        w.start_file(name, opts).map_err(z)?;
        w.write_all(data.as_bytes()).map_err(io)?;
    }
    Ok(w.finish().map_err(z)?.into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_docx_is_a_zip_with_the_text() {
        let headers = ["编号", "隐患"];
        let rows = vec![vec!["1".to_string(), "储罐 <A&B>".to_string()]];
        let bytes = super::document(
            "通报",
            "安委办通〔2022〕1号",
            &["正文".into()],
            Some((&headers, &rows)),
            "安委办",
            "2022年6月16日",
        )
        .unwrap_or_default();
        assert!(bytes.starts_with(b"PK"));
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut doc = String::new();
        use std::io::Read;
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut doc)
            .unwrap_or_default();
        assert!(doc.contains("储罐 &lt;A&amp;B&gt;") && doc.contains("安委办通〔2022〕1号"));
    }
}
