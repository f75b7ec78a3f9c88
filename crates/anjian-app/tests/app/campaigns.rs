//! Campaign ledgers (issue 17): a campaign the code has never seen is loaded from a file,
//! filled through an Excel import, and its indicators appear in a report template and drill
//! down to the imported rows, without recompiling; a second version adds a field and old
//! rows keep theirs. Bad definitions and bad rows are refused with their line or row.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::import::{ImportOptions, ImportSource};
use anjian_app::{App, AppError};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::campaigns::CampaignObjectFilter;
use anjian_store::paging::Keyset;
use anjian_store::regions::RegionInput;
use anjian_store::stats::StatFilter;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const VILLAGE_A: &str = "360982100201";
const TOWN_B: &str = "360982101000";

const V1: &str = r#"
[campaign]
code = "ebike_charging"
name = "电动自行车充电场所排查"
version = 1

[[object]]
key = "site"
name = "充电场所"
title = ["name"]
date = "checked_on"

[[object.field]]
key = "place"
label = "所在乡镇（村）"
type = "region"
required = true

[[object.field]]
key = "name"
label = "场所名称"
type = "text"
required = true

[[object.field]]
key = "checked_on"
label = "排查日期"
type = "date"
required = true

[[object.field]]
key = "sockets"
label = "充电接口数"
type = "number"
unit = "个"
min = 1

[[indicator]]
key = "sites"
label = "排查充电场所"
unit = "处"
object = "site"

[[indicator]]
key = "sockets"
label = "排查充电接口"
unit = "个"
object = "site"
sum = "sockets"
"#;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn county() -> (TestStore, App) {
    let ts = TestStore::sqlite().unwrap();
    let clock = Arc::new(FixedClock::at_date(day("2023-01-10")));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    anjian_app::catalogue::ensure_defaults(&app).unwrap();
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    let region = |code: &str, name: &str, parent: Option<&str>| RegionInput {
        code: rc(code),
        name: name.into(),
        parent_code: parent.map(rc),
    };
    ts.store
        .upsert_regions(
            &ch,
            &[
                region(COUNTY, "清江市", None),
                region(TOWN_A, "临江镇", Some(COUNTY)),
                region(TOWN_B, "永泰镇", Some(COUNTY)),
                region(VILLAGE_A, "枫林村", Some(TOWN_A)),
            ],
        )
        .unwrap();
    ts.store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    (ts, app)
}

/// A spreadsheet as a township would fill it, written by an Excel library.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_campaign_never_seen_is_loaded_imported_reported_and_drilled() {
    let (_ts, app) = county();
    let admin = app.system_caller("test").unwrap();
    app.load_campaign(&admin, V1).unwrap();

    let sheet = xlsx(&[
        &["所在乡镇（村）", "场所名称", "排查日期", "充电接口数（个）"],
        &["临江镇枫林村", "枫林小区充电棚", "2022-04-02", "24"],
        &["永泰镇", "永泰商业街充电点", "2022-05-10", "12"],
        &["临江镇", "临江中学车棚", "2021-12-30", "6"],
    ]);
    let t = ImportSource::bytes("xlsx", sheet.clone());
    let r = app
        .import_campaign_rows(
            &admin,
            "ebike_charging",
            "site",
            &t,
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(
        (r.valid, r.invalid_count, r.written),
        (3, 0, 3),
        "{:?}",
        r.lines()
    );

    // A report template naming the new indicators, rendered for 2022.
    let period = anjian_domain::period::Period::year(2022).unwrap();
    let template = "充电场所{{ m(\"campaign.ebike_charging.sites\") }}处，接口{{ m(\"campaign.ebike_charging.sockets\") }}个。";
    let rendered = app.render_report_with(&admin, &period, template).unwrap();
    let figure = |id: &str| {
        rendered
            .figures
            .iter()
            .find(|f| f.metric == id)
            .unwrap()
            .clone()
    };
    assert_eq!(figure("campaign.ebike_charging.sites").raw, Some(2));
    assert_eq!(figure("campaign.ebike_charging.sockets").raw, Some(36));

    // The drill-down lists exactly the 2022 rows, adding up to the figure.
    let (value, rows) = app
        .metric_drill(
            &admin,
            "campaign.ebike_charging.sockets",
            &period,
            &StatFilter::default(),
            100,
        )
        .unwrap();
    let rows = rows.unwrap();
    assert_eq!(value.raw, Some(36));
    let mut labels: Vec<&str> = rows.iter().map(|d| d.label.as_str()).collect();
    labels.sort();
    assert_eq!(labels, ["枫林小区充电棚", "永泰商业街充电点"]);
    assert_eq!(rows.iter().map(|d| d.amount).sum::<i64>(), 36);
    assert!(rows.iter().all(|d| d.entity == "campaign_object"));

    // A township's own figure covers its own rows only.
    let town = StatFilter {
        region_prefix: Some("360982100".into()),
        ..Default::default()
    };
    let (v, _) = app
        .metric_drill(&admin, "campaign.ebike_charging.sites", &period, &town, 10)
        .unwrap();
    assert_eq!(v.raw, Some(1));

    // Version 2 adds a field; old rows keep version 1 and their values.
    let v2 = V1.replace("version = 1", "version = 2").replace(
        "[[indicator]]\nkey = \"sites\"",
        "[[object.field]]\nkey = \"manager\"\nlabel = \"管理人\"\ntype = \"text\"\n\n[[indicator]]\nkey = \"sites\"",
    );
    app.load_campaign(&admin, &v2).unwrap();
    let sheet = xlsx(&[
        &[
            "所在乡镇（村）",
            "场所名称",
            "排查日期",
            "充电接口数（个）",
            "管理人",
        ],
        &["永泰镇", "永泰卫生院车棚", "2022-08-01", "4", "李四"],
    ]);
    let t = ImportSource::bytes("xlsx", sheet.clone());
    let r = app
        .import_campaign_rows(
            &admin,
            "ebike_charging",
            "site",
            &t,
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(r.written, 1, "{:?}", r.lines());
    let page = app
        .campaign_rows_page(
            &admin,
            &CampaignObjectFilter {
                campaign: "ebike_charging".into(),
                object_type: "site".into(),
                ..Default::default()
            },
            &Keyset::first(100),
        )
        .unwrap();
    assert_eq!(page.items.len(), 4);
    for row in &page.items {
        let has_manager = row.fields.iter().any(|f| f.key == "manager");
        if row.record.title == "永泰卫生院车棚" {
            assert_eq!(row.record.definition_version, 2);
            assert!(has_manager);
            assert_eq!(row.record.data["manager"], "李四");
        } else {
            assert_eq!(row.record.definition_version, 1);
            assert!(!has_manager, "an old row keeps its version's fields");
        }
    }
    let rendered = app.render_report_with(&admin, &period, template).unwrap();
    assert_eq!(
        rendered
            .figures
            .iter()
            .find(|f| f.metric == "campaign.ebike_charging.sockets")
            .unwrap()
            .raw,
        Some(40)
    );
}

#[test]
fn bad_definitions_are_refused_with_line_and_reason_and_nothing_loads() {
    let (_ts, app) = county();
    let admin = app.system_caller("test").unwrap();
    let lines = |src: &str| match app.load_campaign(&admin, src) {
        Err(AppError::Validation(e)) => e.fields["source"].clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let unknown_type = V1.replace("type = \"date\"", "type = \"when\"");
    let msgs = lines(&unknown_type);
    let line = unknown_type
        .lines()
        .position(|l| l.contains("\"when\""))
        .unwrap()
        + 1;
    assert!(msgs[0].starts_with(&format!("第{line}行：")), "{msgs:?}");
    let dup = V1.replace("key = \"sockets\"\nlabel", "key = \"name\"\nlabel");
    assert!(lines(&dup).iter().any(|m| m.contains("字段“name”重复")));
    let missing = V1.replace("sum = \"sockets\"", "sum = \"plugs\"");
    assert!(lines(&missing).iter().any(|m| m.contains("“plugs”不存在")));
    assert!(app.campaigns_loaded(&admin).unwrap().is_empty());

    // A loaded version may not be loaded again, nor a field dropped by the next.
    app.load_campaign(&admin, V1).unwrap();
    assert!(matches!(
        app.load_campaign(&admin, V1),
        Err(AppError::Validation(_))
    ));
    let dropped = V1
        .replace("version = 1", "version = 2")
        .replace("[[object.field]]\nkey = \"sockets\"\nlabel = \"充电接口数\"\ntype = \"number\"\nunit = \"个\"\nmin = 1\n", "")
        .replace("\n[[indicator]]\nkey = \"sockets\"\nlabel = \"排查充电接口\"\nunit = \"个\"\nobject = \"site\"\nsum = \"sockets\"\n", "");
    assert!(lines(&dropped).iter().any(|m| m.contains("不能删除")));
}

#[test]
fn bad_rows_are_reported_by_row_and_nothing_is_written_unless_skipped() {
    let (_ts, app) = county();
    let admin = app.system_caller("test").unwrap();
    app.load_campaign(&admin, V1).unwrap();
    let sheet = xlsx(&[
        &["所在乡镇（村）", "场所名称", "排查日期", "充电接口数（个）"],
        &["临江镇", "好的一行", "2022-04-02", "3"],
        &["外县某村", "坏的一行", "2022-04-31", "0"],
        &["永泰镇", "", "2022-05-01", "abc"],
    ]);
    let t = ImportSource::bytes("xlsx", sheet.clone());
    let r = app
        .import_campaign_rows(
            &admin,
            "ebike_charging",
            "site",
            &t,
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!((r.valid, r.invalid_count, r.written), (1, 2, 0));
    let lines = r.lines();
    assert!(lines[0].starts_with("第3行："), "{lines:?}");
    assert!(lines[0].contains("外县某村"), "{lines:?}");
    assert!(lines[0].contains("排查日期"), "{lines:?}");
    assert!(lines[1].starts_with("第4行："), "{lines:?}");
    assert!(lines[1].contains("请填写场所名称"), "{lines:?}");
    assert!(lines[1].contains("充电接口数应为数字"), "{lines:?}");
    let f = CampaignObjectFilter {
        campaign: "ebike_charging".into(),
        object_type: "site".into(),
        ..Default::default()
    };
    assert!(
        app.campaign_rows_page(&admin, &f, &Keyset::first(10))
            .unwrap()
            .items
            .is_empty()
    );
    let r = app
        .import_campaign_rows(
            &admin,
            "ebike_charging",
            "site",
            &t,
            ImportOptions {
                skip_invalid: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(r.written, 1);
    assert_eq!(
        app.campaign_rows_page(&admin, &f, &Keyset::first(10))
            .unwrap()
            .items
            .len(),
        1
    );
}

#[test]
fn the_shipped_definitions_load_into_a_county_and_name_their_metrics() {
    let (_ts, app) = county();
    let admin = app.system_caller("test").unwrap();
    for (file, source) in anjian_app::campaigns::SHIPPED {
        let v = app
            .load_campaign(&admin, source)
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(format!("{}.toml", v.definition.code), file);
    }
    let cat = app.metric_catalogue().unwrap();
    for id in [
        "campaign.zijianfang.surveyed",
        "campaign.ranqi.alarm_fitted",
        "campaign.yanhua.outlets_managed",
        "campaign.dafei.adits_sealed",
        "campaign.weikuangku.monitored",
    ] {
        assert!(
            cat.iter().any(|m| m.id == id),
            "{id} missing from the catalogue"
        );
    }
}
