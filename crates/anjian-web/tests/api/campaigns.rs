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

/// The same ledger reported monthly from March 2022 (the fixture's day is 2022-06-01).
fn monthly() -> String {
    GAS.replace(
        "version = 1\n",
        "version = 1\nstarts_on = 2022-03-01\nends_on = 2022-12-31\n",
    )
    .replace(
        "fill = [\"township\", \"admin\"]",
        "fill = [\"township\", \"admin\"]\ncadence = \"monthly\"\ndue_days = 5",
    )
}

#[tokio::test]
async fn the_pages_load_a_definition_fill_a_row_and_report_a_period() {
    let t = spawn();
    let (admin, admin_csrf) = t.web_login("admin").await;
    let (town, town_csrf) = t.web_login("town_a").await;

    // A refused definition keeps the text and names the line.
    let broken = monthly().replace("type = \"yesno\"", "type = \"boolean\"");
    let r = t
        .form(
            "/campaign-ledgers",
            &admin,
            &[("_csrf", &admin_csrf), ("source", &broken)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let line = broken
        .lines()
        .position(|l| l.contains("boolean"))
        .unwrap_or(0)
        + 1;
    assert!(r.text().contains(&format!("第{line}行")), "{}", r.text());
    assert!(
        r.text().contains("城镇燃气用户排查"),
        "the form keeps what was pasted"
    );
    let src = monthly();
    let r = t
        .form(
            "/campaign-ledgers",
            &admin,
            &[("_csrf", &admin_csrf), ("source", &src)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = t.page("/campaign-ledgers/gas_users", &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("安装报警器") && r.text().contains("燃气用户台账"));

    // The form is built from the definition; a refusal keeps what was typed.
    let r = t.page("/campaign-ledgers/gas_users/user/new", &town).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("枫林村") && r.text().contains("安装日期"));
    let typed = [
        ("_csrf", town_csrf.as_str()),
        ("place", VILLAGE_A1),
        ("name", "枫林饭店"),
        ("alarm", "是"),
        ("alarm_on", ""),
        ("recorded_on", "2022-05-20"),
    ];
    let r = t
        .form("/campaign-ledgers/gas_users/user/new", &town, &typed)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("枫林饭店"),
        "the form keeps the name typed"
    );
    assert!(r.text().contains("须填写安装日期"), "{}", r.text());
    let mut typed = typed.to_vec();
    typed[4] = ("alarm_on", "2022-05-18");
    let r = t
        .form("/campaign-ledgers/gas_users/user/new", &town, &typed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let r = t.page(&to, &town).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("枫林饭店") && html.contains("2022-05-18") && html.contains("登记"),
        "{html}"
    );

    // An edit shows in the row's history, field by field.
    let id = to
        .trim_start_matches("/campaign-rows/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    let edit = [
        ("_csrf", town_csrf.as_str()),
        ("version", "1"),
        ("place", VILLAGE_A1),
        ("name", "枫林大饭店"),
        ("alarm", "是"),
        ("alarm_on", "2022-05-18"),
        ("recorded_on", "2022-05-20"),
    ];
    let r = t
        .form(&format!("/campaign-rows/{id}/edit"), &town, &edit)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.page(&format!("/campaign-rows/{id}"), &town).await.text();
    assert!(html.contains("用户名称：枫林饭店 → 枫林大饭店"), "{html}");

    // A hazard number that is not the township's answers like a missing one.
    let r = t
        .form(
            &format!("/campaign-rows/{id}/hazards"),
            &town,
            &[("_csrf", &town_csrf), ("hazard_id", "999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("未找到编号为 999999 的隐患"),
        "{}",
        r.text()
    );

    // The township owes March, April and May; it reports April as "no change".
    let r = t.page("/todos", &town).await;
    assert!(
        r.text().contains("专项行动台账报送") && r.text().contains("2022年3月"),
        "{}",
        r.text()
    );
    let html = t
        .page("/campaign-ledgers/gas_users/user", &town)
        .await
        .text();
    assert!(html.contains("本单位待报送") && html.contains("2022年5月"));
    let r = t
        .form(
            "/campaign-ledgers/gas_users/user/report",
            &town,
            &[
                ("_csrf", &town_csrf),
                ("period_start", "2022-04-01"),
                ("no_change", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = t
        .form(
            "/campaign-ledgers/gas_users/user/report",
            &town,
            &[("_csrf", &town_csrf), ("period_start", "2022-04-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("2022年4月已经报送过"));
    let todos = t.page("/todos", &town).await.text();
    assert!(todos.contains("2022年3月") && !todos.contains("2022年4月"));

    // The 安委办 sees who has reported the latest ended period (May): nobody yet.
    let admin_token = t.token("admin").await;
    let r = t
        .call(
            "GET",
            "/api/v1/campaign-ledgers/gas_users/user/reports?period=2022-04-15",
            Some(&admin_token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let units = r.json()["units"].as_array().cloned().unwrap_or_default();
    let status_of = |name: &str| {
        units
            .iter()
            .find(|u| u["unit_name"] == name)
            .map(|u| u["status"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(status_of("临江镇").as_deref(), Some("无变化"));
    assert_eq!(status_of("永泰镇").as_deref(), Some("未报送"));
    let html = t
        .page("/campaign-ledgers/gas_users/user", &admin)
        .await
        .text();
    assert!(
        html.contains("报送情况：2022年5月") && html.contains("未报送"),
        "{html}"
    );
}

#[tokio::test]
async fn a_row_that_calls_for_a_hazard_opens_the_hazard_form_filled_and_links_what_is_registered() {
    let t = spawn();
    let (admin, admin_csrf) = t.web_login("admin").await;
    let (town, town_csrf) = t.web_login("town_a").await;
    let src = GAS
        .replace("version = 1\n", "version = 1\nsector = \"fire\"\n")
        .replace(
            "title = [\"name\"]",
            "title = [\"name\"]\nhazard_when = [{ field = \"alarm\", equals = false }]",
        );
    let r = t
        .form(
            "/campaign-ledgers",
            &admin,
            &[("_csrf", &admin_csrf), ("source", &src)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = t
        .form(
            "/campaign-ledgers/gas_users/user/new",
            &town,
            &[
                ("_csrf", town_csrf.as_str()),
                ("place", VILLAGE_A1),
                ("name", "枫林小吃店"),
                ("alarm", "否"),
                ("recorded_on", "2022-05-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let id = to
        .trim_start_matches("/campaign-rows/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    let html = t.page(&format!("/campaign-rows/{id}"), &town).await.text();
    let form_link = format!("/hazards/new?campaign_row={id}");
    assert!(html.contains(&form_link), "{html}");

    // The form opens with the row's place, sector, location and what calls for a hazard.
    let r = t.page(&form_link, &town).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("城镇燃气用户排查（燃气用户）排查发现安装报警器为“否”"),
        "{html}"
    );
    assert!(html.contains("value=\"枫林小吃店\""), "{html}");
    assert!(html.contains(&format!("name=\"campaign_row\" value=\"{id}\"")));
    // Outside the caller's scope the row answers like a missing one.
    let (qiye, _) = t.web_login("qiye").await;
    let r = t.page(&form_link, &qiye).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // A refused registration keeps the row; a good one is linked to it.
    let mut fields = vec![
        ("_csrf", town_csrf.clone()),
        ("campaign_row", id.clone()),
        ("region_code", VILLAGE_A1.to_string()),
        ("sector", "fire".to_string()),
        ("level", "general".to_string()),
        ("source", "inspection".to_string()),
        ("description", String::new()),
        ("found_on", "2022-05-20".to_string()),
        ("deadline", "2099-06-20".to_string()),
        ("location", "枫林小吃店".to_string()),
        ("enterprise_id", String::new()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/hazards/new", &town, &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text()
            .contains(&format!("name=\"campaign_row\" value=\"{id}\""))
    );
    fields[6].1 = "枫林小吃店未安装可燃气体报警装置".to_string();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/hazards/new", &town, &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let hazard = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim_start_matches("/hazards/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    assert!(hazard.parse::<i64>().is_ok(), "{hazard}");
    let html = t.page(&format!("/campaign-rows/{id}"), &town).await.text();
    assert!(html.contains(&format!("/hazards/{hazard}\"")), "{html}");
    assert!(
        !html.contains(&form_link),
        "the row no longer asks for a hazard"
    );
}
