//! Campaign ledgers through the API: a definition loaded (and a bad one refused with its
//! lines), rows written by the 安委办 and by a township in its own scope (another township's
//! row answering like a missing one), version conflicts, the import with a bad row and the
//! Excel ledger read back.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

const GAS: &str = r#"
[campaign]
code = "gas_users"
name = "城镇燃气用户排查"
version = 1

[[object]]
key = "user"
name = "燃气用户"
title = ["name"]
fill = ["township", "admin"]

[[object.field]]
key = "place"
label = "所在乡镇（村）"
type = "region"
required = true

[[object.field]]
key = "name"
label = "用户名称"
type = "text"
required = true

[[object.field]]
key = "alarm"
label = "安装报警器"
type = "yesno"
required = true

[[object.field]]
key = "alarm_on"
label = "安装日期"
type = "date"
required_when = { field = "alarm", equals = true }

[[indicator]]
key = "users"
label = "排查燃气用户"
unit = "户"
object = "user"

[[indicator]]
key = "alarms"
label = "安装报警器"
unit = "户"
object = "user"
where = [{ field = "alarm", equals = true }]
"#;

#[tokio::test]
async fn a_ledger_is_kept_through_the_api_in_each_callers_scope() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;

    // A township may not load a definition; a broken one is refused with its line.
    let r = t
        .call(
            "POST",
            "/api/v1/campaign-ledgers",
            Some(&town),
            Some(json!({"source": GAS})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let broken = GAS.replace("type = \"yesno\"", "type = \"boolean\"");
    let r = t
        .call(
            "POST",
            "/api/v1/campaign-ledgers",
            Some(&admin),
            Some(json!({"source": broken})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let line = broken
        .lines()
        .position(|l| l.contains("boolean"))
        .unwrap_or(0)
        + 1;
    assert!(r.text().contains(&format!("第{line}行")), "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/campaign-ledgers",
            Some(&admin),
            Some(json!({"source": GAS})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        r.json()["definition"]["objects"][0]["fields"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );

    // A township writes in its own township; a row elsewhere is refused.
    let rows = "/api/v1/campaign-ledgers/gas_users/user/rows";
    let row = |place: &str, name: &str| json!({"fields": {"place": place, "name": name, "alarm": true, "alarm_on": "2022-03-01"}, "recorded_on": "2022-03-02"});
    let r = t
        .call("POST", rows, Some(&town), Some(row("枫林村", "枫林饭店")))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let mine = r.json();
    let id = mine["record"]["id"].as_i64().unwrap();
    assert_eq!(mine["record"]["region_code"], VILLAGE_A1);
    assert_eq!(mine["fields"][0]["text"], "枫林村");
    let r = t
        .call("POST", rows, Some(&town), Some(row("永泰镇", "永泰饭店")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["place"][0]
            .as_str()
            .unwrap_or("")
            .contains("不是本辖区")
    );

    // A missing required-when value names its field.
    let r = t
        .call(
            "POST",
            rows,
            Some(&admin),
            Some(json!({"fields": {"place": "永泰镇", "name": "永泰饭店", "alarm": "是"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["alarm_on"][0]
            .as_str()
            .unwrap_or("")
            .contains("安装日期")
    );
    let r = t
        .call("POST", rows, Some(&admin), Some(row("永泰镇", "永泰饭店")))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let other = r.json()["record"]["id"].as_i64().unwrap();

    // Each township sees its own rows; another township's row answers like a missing one.
    let r = t.call("GET", rows, Some(&town), None).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(1));
    let r = t.call("GET", rows, Some(&admin), None).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(2));
    let r = t
        .call(
            "GET",
            &format!("/api/v1/campaign-rows/{other}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call("GET", "/api/v1/campaign-rows/999999", Some(&town), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/campaign-rows/{other}"),
            Some(&town),
            Some(json!({"fields": {"place": "永泰镇", "name": "x", "alarm": "否"}, "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A correction with the version read; a stale version conflicts.
    let edit =
        json!({"fields": {"place": "枫林村", "name": "枫林大饭店", "alarm": "否"}, "version": 1});
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/campaign-rows/{id}"),
            Some(&town),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["record"]["title"], "枫林大饭店");
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/campaign-rows/{id}"),
            Some(&town),
            Some(edit),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // The facet filter and the search.
    let r = t
        .call("GET", &format!("{rows}?facet=alarm=是"), Some(&admin), None)
        .await;
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.text()
    );
    let r = t
        .call("GET", &format!("{rows}?q=大饭店"), Some(&admin), None)
        .await;
    assert_eq!(r.json()["items"][0]["record"]["id"].as_i64(), Some(id));

    // An import with a bad row writes nothing; the ledger reads back with Chinese headers.
    let csv = "所在乡镇（村）,用户名称,安装报警器,安装日期\n临江镇,临江茶楼,是,2022-05-01\n永泰镇,永泰茶楼,是,\n";
    let (ct, body) = multipart(&[("file", Some("g.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/campaign-ledgers/gas_users/user/import",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert!(
        lines.len() == 1 && lines[0].starts_with("第3行") && lines[0].contains("安装日期"),
        "{lines:?}"
    );
    let (ct, body) = multipart(&[("file", Some("g.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/campaign-ledgers/gas_users/user/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/campaign-ledgers/gas_users/user/export",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert!(
        table.headers.iter().any(|h| h == "安装报警器"),
        "{:?}",
        table.headers
    );
    assert_eq!(table.rows.len(), 3);

    // Deleting needs the version; the audit keeps the row.
    let r = t
        .call(
            "DELETE",
            &format!("/api/v1/campaign-rows/{other}?version=1"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "GET",
            &format!("/api/v1/campaign-rows/{other}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
