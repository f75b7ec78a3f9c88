//! The shipped Word templates' page layout: what must stay together is marked in the
//! paragraphs (scripts/document_templates.py writes it; this fails if a regenerated template
//! lost it).

use super::{DOC_TYPES, shipped_docx};
use std::io::{Cursor, Read};

fn document_xml(code: &str) -> String {
    let bytes = shipped_docx(code).unwrap_or_else(|| panic!("no shipped template for {code}"));
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    xml
}

/// Every paragraph of the part, in document order (table cells included): (properties, text).
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    xml.split("<w:p>")
        .skip(1)
        .map(|p| {
            let p = p.split("</w:p>").next().unwrap_or_default();
            let ppr = p
                .split_once("<w:pPr>")
                .and_then(|(_, r)| r.split_once("</w:pPr>"))
                .map(|(x, _)| x.to_string())
                .unwrap_or_default();
            let text = p
                .split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .filter_map(|t| t.split_once("</w:t>").map(|(x, _)| x))
                .collect::<String>();
            (ppr, text)
        })
        .collect()
}

#[test]
fn the_end_of_the_body_the_signatures_and_the_seal_are_kept_together() {
    for t in DOC_TYPES {
        let paras = paragraphs(&document_xml(t.code));
        let body = paras
            .iter()
            .position(|(_, text)| text == "{正文}")
            .unwrap_or_else(|| panic!("{}: no {{正文}} paragraph", t.code));
        let date = body
            + paras[body..]
                .iter()
                .position(|(_, text)| text == "{日期}")
                .unwrap_or_else(|| panic!("{}: no {{日期}} after the body", t.code));
        let (ppr, _) = &paras[body];
        assert!(
            ppr.contains("<w:keepNext/>") && ppr.contains("<w:widowControl/>"),
            "{}: the body's paragraph must keep with the next, with widow control: {ppr}",
            t.code
        );
        assert!(
            paras[body + 1..date]
                .iter()
                .any(|(_, text)| text.contains("{机关}（印章）")),
            "{}: the seal's place is between the body and the date",
            t.code
        );
        for (ppr, text) in &paras[body + 1..=date] {
            assert!(
                ppr.contains("<w:keepLines/>"),
                "{}: “{text}” of the closing block must keep its lines together: {ppr}",
                t.code
            );
        }
        for (ppr, text) in &paras[body + 1..date] {
            assert!(
                ppr.contains("<w:keepNext/>"),
                "{}: “{text}” of the closing block must keep with the next: {ppr}",
                t.code
            );
        }
        // The date ends the chain: what follows (the 送达回证) is not pulled along.
        assert!(!paras[date].0.contains("<w:keepNext/>"), "{}", t.code);
    }
}

#[test]
fn the_service_receipt_starts_a_page_of_its_own() {
    for t in DOC_TYPES {
        let paras = paragraphs(&document_xml(t.code));
        let receipt = paras.iter().position(|(_, text)| text == "送 达 回 证");
        // A 当场 decision is signed for by the party on the document itself.
        assert_eq!(
            receipt.is_some(),
            t.to_party && t.code != "simple_decision",
            "{}: a document served on a party has a 送达回证, an internal form none",
            t.code
        );
        if let Some(i) = receipt {
            // Its heading is the agency's name, then the title.
            let (ppr, text) = &paras[i - 1];
            assert_eq!(text, "{机关}", "{}", t.code);
            assert!(ppr.contains("<w:pageBreakBefore/>"), "{}: {ppr}", t.code);
        }
    }
}
