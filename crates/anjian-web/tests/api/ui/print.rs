//! Printing: the pages carry what the print stylesheet needs (a header row the printer can
//! repeat, the page's paper, the line naming the county), and the stylesheet has the rules.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test]
async fn pages_print_as_records_lists_and_documents() {
    let t = spawn();
    let css = t
        .send(Request::get("/static/app.css").body(Body::empty()).unwrap())
        .await
        .text();
    for rule in [
        "table.grid thead { display: table-header-group; }",
        "table.grid tr { break-inside: avoid; }",
        "@page wide",
        "body.print-wide { page: wide; }",
        "@page document",
        "counter(page)",
        "dl.props { display: grid; grid-template-columns: 36mm 1fr;",
    ] {
        assert!(css.contains(rule), "the print stylesheet lacks {rule}");
    }
    let (session, _) = t.web_login("admin").await;
    // A wide list: landscape, its header row in <thead>.
    let list = t.page("/hazards", &session).await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("<body class=\"print-wide\">"), "{html}");
    assert!(html.contains("<table class=\"grid\">\n  <thead><tr><th class=\"num\">编号</th>"));
    // A record: portrait, the county's line at the top.
    let record = t
        .page(&format!("/enterprises/{}", t.ids.a_haz), &session)
        .await
        .text();
    assert!(record.contains("<body class=\"\">"));
    assert!(record.contains("<div class=\"print-head\"><b>"));
    assert!(record.contains("<thead><tr><th>证照类别</th>"));
    // The 统计报告: a document.
    let report = t
        .page("/statistics/report?period=2022", &session)
        .await
        .text();
    assert!(report.contains("<body class=\"print-document\">"));
}
