//! Unit tests of the template filling.

use super::*;

fn doc(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (n, d) in [
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", xml.as_str()),
        ("word/styles.xml", "<w:styles/>"),
    ] {
        w.start_file(n, o).unwrap();
        w.write_all(d.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn v(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

#[test]
fn a_placeholder_split_over_runs_is_replaced_in_the_first_runs_format() {
    let t = doc(
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>当事人：{当</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:i/></w:rPr><w:t>事</w:t></w:r><w:r><w:t>人}。其他</w:t></w:r></w:p>"#,
    );
    assert_eq!(placeholders(&t).unwrap(), vec!["当事人".to_string()]);
    let out = fill(&t, &v(&[("当事人", "清江化工有限公司")])).unwrap();
    let xml = part(&out, "word/document.xml");
    assert!(
        xml.contains(r#"<w:b/></w:rPr><w:t xml:space="preserve">当事人：清江化工有限公司</w:t>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<w:i/></w:rPr><w:t xml:space="preserve"></w:t>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<w:t xml:space="preserve">。其他</w:t>"#),
        "{xml}"
    );
    assert!(!xml.contains('{'), "{xml}");
    // The other parts are copied as they were.
    assert_eq!(part(&out, "word/styles.xml"), "<w:styles/>");
}

#[test]
fn a_multi_line_value_becomes_paragraphs_with_the_paragraphs_properties() {
    let t = doc(
        r#"<w:p w14:paraId="1A2B"><w:pPr><w:ind w:firstLine="640"/></w:pPr><w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t>{违法事实}</w:t></w:r><w:r><w:t>（完）</w:t></w:r></w:p>"#,
    );
    let out = fill(&t, &v(&[("违法事实", "第一行\n第二行\r\n第三行")])).unwrap();
    let xml = part(&out, "word/document.xml");
    let p = r#"<w:p><w:pPr><w:ind w:firstLine="640"/></w:pPr><w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">"#;
    assert!(
        xml.contains(&format!("第一行</w:t></w:r></w:p>{p}第二行</w:t></w:r></w:p>{p}第三行</w:t></w:r><w:r><w:t>（完）</w:t></w:r></w:p>")),
        "{xml}"
    );
    assert_eq!(
        xml.matches("<w:p").count() - xml.matches("<w:pPr").count(),
        3
    );
    // In a hyperlink the lines are line breaks instead.
    let t = doc(r#"<w:p><w:hyperlink><w:r><w:t>{隐患}</w:t></w:r></w:hyperlink></w:p>"#);
    let xml = part(
        &fill(&t, &v(&[("隐患", "甲\n乙")])).unwrap(),
        "word/document.xml",
    );
    assert!(
        xml.contains("甲</w:t><w:br/><w:t xml:space=\"preserve\">乙"),
        "{xml}"
    );
}

#[test]
fn keep_with_next_stays_on_the_last_paragraph_a_value_makes() {
    let ppr = r#"<w:pPr><w:keepNext/><w:widowControl/><w:ind w:firstLine="640"/></w:pPr>"#;
    let t = doc(&format!(
        r#"<w:p>{ppr}<w:r><w:t>{{正文}}</w:t></w:r></w:p><w:p><w:pPr><w:keepNext/><w:keepLines/></w:pPr><w:r><w:t>{{机关}}（印章）</w:t></w:r></w:p>"#
    ));
    let out = fill(
        &t,
        &v(&[("正文", "甲\n乙\r\n丙"), ("机关", "清江市应急管理局")]),
    )
    .unwrap();
    let xml = part(&out, "word/document.xml");
    let unkept = r#"<w:pPr><w:widowControl/><w:ind w:firstLine="640"/></w:pPr>"#;
    let paras: Vec<&str> = xml.split("<w:p>").skip(1).collect();
    assert_eq!(paras.len(), 4, "{xml}");
    assert!(
        paras[0].starts_with(unkept) && paras[0].contains(">甲<"),
        "{xml}"
    );
    assert!(
        paras[1].starts_with(unkept) && paras[1].contains(">乙<"),
        "{xml}"
    );
    assert!(
        paras[2].starts_with(ppr) && paras[2].contains(">丙<"),
        "{xml}"
    );
    assert!(
        paras[3].starts_with("<w:pPr><w:keepNext/><w:keepLines/>"),
        "{xml}"
    );
    // A value of one line leaves the paragraph as it was.
    let xml = part(
        &fill(&t, &v(&[("正文", "甲")])).unwrap(),
        "word/document.xml",
    );
    assert!(xml.contains(&format!("<w:p>{ppr}")), "{xml}");
}

#[test]
fn values_are_escaped_and_template_entities_kept() {
    let t = doc(r#"<w:p><w:r><w:t>A&amp;B {罚款} &lt;x&gt;</w:t></w:r></w:p>"#);
    let out = fill(&t, &v(&[("罚款", "<1000 & 2000>\u{1}元")])).unwrap();
    let xml = part(&out, "word/document.xml");
    assert!(
        xml.contains("A&amp;B &lt;1000 &amp; 2000&gt;元 &lt;x&gt;"),
        "{xml}"
    );
}

#[test]
fn unknown_and_malformed_braces_are_left_alone() {
    let t = doc(r#"<w:p><w:r><w:t>{未知} { 空格 } {{当事人}} {</w:t></w:r></w:p>"#);
    assert_eq!(
        placeholders(&t).unwrap(),
        vec!["未知".to_string(), "当事人".to_string()]
    );
    let xml = part(
        &fill(&t, &v(&[("当事人", "甲")])).unwrap(),
        "word/document.xml",
    );
    assert!(xml.contains("{未知} { 空格 } {甲} {"), "{xml}");
}

#[test]
fn not_a_docx_and_bombs_are_refused() {
    assert!(placeholders(b"PK\x03\x04garbage").is_err());
    assert!(placeholders(b"plain text").is_err());
    // A part that unpacks past the bound.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", o).unwrap();
    w.start_file("word/document.xml", o).unwrap();
    w.write_all(&vec![b' '; 3 * 1024 * 1024]).unwrap();
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 64 * 1024);
    assert!(placeholders(&bomb).is_ok());
    let e = placeholders_within(&bomb, 2 * 1024 * 1024).unwrap_err();
    assert!(e.contains("解压后超过"), "{e}");
}
