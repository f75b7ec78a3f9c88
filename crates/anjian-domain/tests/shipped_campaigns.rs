//! The campaign definitions shipped with the application (`crates/anjian-app/data/campaigns`)
//! are accepted by the domain's reader, and realistic rows read and tally as the annual report
//! needs them.

use anjian_domain::campaign::{Definition, IndicatorAgg, Resolve, Tally};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../anjian-app/data/campaigns");
const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/campaigns.md");

/// A county of two townships, one village, one enterprise and one uploaded attachment.
struct County;

impl Resolve for County {
    fn region(&self, typed: &str) -> Option<String> {
        match typed {
            "360982100000" | "城关镇" => Some("360982100000".into()),
            "360982100201" | "城关镇东门村" => Some("360982100201".into()),
            "360982103000" | "金山乡" => Some("360982103000".into()),
            _ => None,
        }
    }
    fn enterprise(&self, typed: &str) -> Option<i64> {
        match typed {
            "清江市金山矿业有限公司" | "91360982MA35XXXX1K" => Some(41),
            "清江市红星花炮厂" => Some(17),
            _ => None,
        }
    }
    fn attachment(&self, typed: &str) -> Option<i64> {
        (typed == "901").then_some(901)
    }
}

fn files() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap_or_else(|e| panic!("{DIR}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    out
}

fn parse(path: &Path) -> Definition {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Definition::parse(&src).unwrap_or_else(|errs| {
        let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
        panic!("{} refused:\n{}", path.display(), lines.join("\n"))
    })
}

fn shipped(code: &str) -> Definition {
    parse(&Path::new(DIR).join(format!("{code}.toml")))
}

fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The tallies by indicator key.
fn by_key(t: &[Tally]) -> BTreeMap<&str, &Tally> {
    t.iter().map(|x| (x.indicator.as_str(), x)).collect()
}

#[test]
fn every_shipped_definition_is_accepted_with_distinct_codes() {
    let files = files();
    assert!(files.len() >= 6, "shipped definitions: {files:?}");
    let mut codes = BTreeSet::new();
    for path in &files {
        let d = parse(path);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        assert_eq!(
            d.code,
            stem,
            "{}: the file is named after its code",
            path.display()
        );
        assert!(codes.insert(d.code.clone()), "code {} twice", d.code);
        assert_eq!(d.version, 1, "{}", d.code);
        assert!(d.sector.is_some(), "{}: a sector", d.code);
        // The 2022 annual report counts them: each runs during 2022.
        let starts = d
            .starts_on
            .unwrap_or_else(|| panic!("{}: starts_on", d.code));
        assert!(starts <= day("2022-12-31"), "{}", d.code);
        assert!(
            d.ends_on.is_none_or(|e| e >= day("2022-12-31")),
            "{}",
            d.code
        );
        assert!(!d.indicators.is_empty(), "{}: indicators", d.code);
        for o in &d.objects {
            assert!(
                o.fields.len() <= 25,
                "{}.{}: {} fields",
                d.code,
                o.key,
                o.fields.len()
            );
            assert!(o.region_field().is_some_and(|f| f.required));
            assert!(
                d.indicators.iter().any(|i| i.object == o.key),
                "{}.{}: no indicator counts it",
                d.code,
                o.key
            );
        }
    }
    for code in [
        "zijianfang",
        "ranqi",
        "yanhua",
        "dafei",
        "chunji",
        "weikuangku",
    ] {
        assert!(codes.contains(code), "{code} is shipped");
    }
}

#[test]
fn every_metric_the_documentation_names_exists() {
    let doc = std::fs::read_to_string(DOC).unwrap_or_else(|e| panic!("{DOC}: {e}"));
    let mut ids = BTreeSet::new();
    for path in files() {
        let d = parse(&path);
        for i in &d.indicators {
            ids.insert(format!("campaign.{}.{}", d.code, i.key));
        }
    }
    let mut named = 0;
    for (at, _) in doc.match_indices("`campaign.") {
        let rest = &doc[at + 1..];
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        // `campaign.{code}.{key}` written as a pattern is not an id.
        if rest[id.len()..].starts_with('{') || id.ends_with('.') {
            continue;
        }
        named += 1;
        assert!(
            ids.contains(&id),
            "docs/campaigns.md names {id}, which no definition has"
        );
    }
    assert!(named >= 20, "the figure table names the metrics ({named})");
    for id in &ids {
        assert!(doc.contains(id.as_str()), "{id} is not documented");
    }
}

#[test]
fn a_commercial_house_graded_c_is_counted_and_calls_for_a_hazard() {
    let d = shipped("zijianfang");
    let o = d.object("building").unwrap_or_else(|| panic!("building"));
    let mut row = typed(&[
        ("region", "城关镇东门村"),
        ("address", "东门村上屋组12号"),
        ("owner", "刘建国"),
        ("phone", "13907950123"),
        ("use_kind", "经营性"),
        ("use", "餐饮"),
        ("structure", "砖混（砌体）"),
        ("floors", "3"),
        ("built_year", "1998"),
        ("area", "286.5"),
        ("occupants", "6"),
        ("altered", "是"),
        ("surveyed_on", "2022-06-08"),
        ("initial_judgement", "一般安全隐患"),
        ("grade", "C"),
        ("appraised_on", "2022-07-15"),
        ("appraiser", "清江市建设工程质量检测中心"),
        ("status", "整治中"),
        (
            "measures",
            "二层以上停止经营，拆除三层违规加层部分，一层墙体加固",
        ),
    ]);
    let data = o.read(&row, &County).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(data["area"], 2865);
    assert_eq!(data["altered"], true);
    assert_eq!(o.title_of(&data), "东门村上屋组12号 刘建国");
    assert!(
        o.hazard_when.iter().any(|c| c.holds(&data)),
        "a C-graded house calls for a hazard"
    );
    let t = d.tallies("building", &data, day("2022-06-09"));
    let t = by_key(&t);
    let keys: Vec<&str> = t.keys().copied().collect();
    assert_eq!(
        keys,
        [
            "appraised_commercial",
            "dangerous",
            "surveyed",
            "surveyed_commercial"
        ]
    );
    assert_eq!(t["surveyed"].day, day("2022-06-08"));
    assert_eq!(t["appraised_commercial"].day, day("2022-07-15"));
    assert!(t.values().all(|x| x.amount == 1 && x.until.is_none()));

    // The rules the officials meet: no grade for a 经营性 house, no measures for a C grade.
    row.remove("grade");
    row.remove("measures");
    let e = o.read(&row, &County).err().unwrap_or_default();
    let msg = |k: &str| e.fields.get(k).map(|v| v.join("；")).unwrap_or_default();
    assert!(
        msg("grade").contains("经营性/非经营性为“经营性”时须填写鉴定（评估）等级"),
        "{e:?}"
    );
    row.insert("grade".into(), "D".into());
    let e = o.read(&row, &County).err().unwrap_or_default();
    assert!(
        e.fields.get("measures").is_some_and(|m| m
            .join("")
            .contains("鉴定（评估）等级为“C或D”时须填写整治措施")),
        "{e:?}"
    );

    // A residential house needs no grade and counts only as surveyed.
    let data = o
        .read(
            &typed(&[
                ("region", "城关镇"),
                ("address", "城关镇解放路88号"),
                ("owner", "王秀英"),
                ("use_kind", "非经营性"),
                ("use", "自住"),
                ("structure", "钢筋混凝土"),
                ("floors", "2"),
                ("surveyed_on", "2022-06-10"),
                ("initial_judgement", "无隐患"),
                ("status", "无需整治"),
            ]),
            &County,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let t = d.tallies("building", &data, day("2022-06-10"));
    let keys: Vec<&str> = t.iter().map(|x| x.indicator.as_str()).collect();
    assert_eq!(keys, ["surveyed", "surveyed_residential"]);
    assert!(!o.hazard_when.iter().any(|c| c.holds(&data)));
}

#[test]
fn an_illegal_mining_point_sums_each_action() {
    let d = shipped("dafei");
    let o = d
        .object("illegal_point")
        .unwrap_or_else(|| panic!("illegal_point"));
    let data = o
        .read(
            &typed(&[
                ("region", "金山乡"),
                ("place", "老虎坳"),
                ("coordinates", "115.123456,28.654321"),
                ("point_kind", "非法采矿点"),
                ("mineral", "金矿"),
                ("source", "群众举报"),
                ("discovered_on", "2022-03-17"),
                ("thefts_stopped", "2"),
                ("workers_dispersed", "14"),
                ("sheds_removed", "3"),
                ("machines_disposed", "2"),
                ("adits_sealed", "4"),
                ("handed_over", "是"),
                (
                    "disposal",
                    "现场制止，拆除工棚，挖机扣押移交公安，矿硐爆破封堵",
                ),
            ]),
            &County,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let t = d.tallies("illegal_point", &data, day("2022-03-18"));
    let amounts: BTreeMap<&str, i64> = t.iter().map(|x| (x.indicator.as_str(), x.amount)).collect();
    let want: BTreeMap<&str, i64> = [
        ("points", 1),
        ("thefts_stopped", 2),
        ("workers_dispersed", 14),
        ("sheds_removed", 3),
        ("machines_disposed", 2),
        ("adits_sealed", 4),
    ]
    .into_iter()
    .collect();
    assert_eq!(amounts, want);
    assert!(t.iter().all(|x| x.day == day("2022-03-17")));
    let sums = d
        .indicators
        .iter()
        .filter(|i| matches!(i.agg, IndicatorAgg::Sum(_)))
        .count();
    assert_eq!(sums, 5);

    let bad = o
        .read(
            &typed(&[
                ("region", "金山乡"),
                ("place", "老虎坳"),
                ("coordinates", "老虎坳山脚"),
                ("point_kind", "非法采矿点"),
                ("mineral", "金矿"),
                ("source", "动态巡查"),
                ("discovered_on", "2022-03-17"),
                ("disposal", "现场制止"),
                ("rechecked_on", "2022-04-20"),
            ]),
            &County,
        )
        .err()
        .unwrap_or_default();
    let msg = |k: &str| bad.fields.get(k).map(|v| v.join("；")).unwrap_or_default();
    assert!(msg("coordinates").contains("经度,纬度"), "{bad:?}");
    assert!(msg("revived").contains("须填写复查发现死灰复燃"), "{bad:?}");
}

#[test]
fn a_delisted_pond_leaves_the_stock_on_its_delisting_day() {
    let d = shipped("weikuangku");
    let o = d.object("pond").unwrap_or_else(|| panic!("pond"));
    let data = o
        .read(
            &typed(&[
                ("name", "金山矿业1号尾矿库"),
                ("enterprise", "清江市金山矿业有限公司"),
                ("region", "金山乡"),
                ("grade", "五等"),
                ("dam_type", "上游式"),
                ("capacity", "32.5"),
                ("dam_height", "18.6"),
                ("head_top", "是"),
                ("status", "已销库"),
                ("in_use_since", "2006-01-01"),
                ("monitoring", "是"),
                ("monitoring_on", "2021-11-30"),
                ("connected", "是"),
                ("treatment_done", "是"),
                ("treated_on", "2022-05-20"),
                ("closed_on", "2022-08-31"),
                ("delisted_on", "2022-11-25"),
            ]),
            &County,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(data["capacity"], 3250);
    assert_eq!(data["enterprise"], 41);
    let t = d.tallies("pond", &data, day("2023-01-05"));
    let t = by_key(&t);
    let keys: Vec<&str> = t.keys().copied().collect();
    assert_eq!(
        keys,
        [
            "closed",
            "delisted",
            "head_delisted",
            "head_ponds",
            "monitored",
            "monitored_stock",
            "ponds",
            "treated"
        ]
    );
    assert_eq!(t["ponds"].day, day("2006-01-01"));
    assert_eq!(t["ponds"].until, Some(day("2022-11-25")));
    assert_eq!(t["monitored_stock"].day, day("2021-11-30"));
    assert_eq!(t["monitored_stock"].until, Some(day("2022-11-25")));
    assert_eq!(t["monitored"].day, day("2021-11-30"));
    assert_eq!(t["treated"].day, day("2022-05-20"));
    assert_eq!(t["head_delisted"].day, day("2022-11-25"));
    assert!(t["treated"].until.is_none());

    // A pond still in use: in the stock without end, and its closure dates not asked for.
    let data = o
        .read(
            &typed(&[
                ("name", "红岭选厂尾矿库"),
                ("region", "城关镇"),
                ("grade", "四等"),
                ("head_top", "否"),
                ("status", "在用"),
                ("safety_class", "病库"),
                ("in_use_since", "2012-06-01"),
                ("monitoring", "否"),
            ]),
            &County,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        o.hazard_when.iter().any(|c| c.holds(&data)),
        "a 病库 calls for a hazard"
    );
    let t = d.tallies("pond", &data, day("2022-02-01"));
    let keys: Vec<&str> = t.iter().map(|x| x.indicator.as_str()).collect();
    assert_eq!(keys, ["ponds"]);
    assert_eq!(t[0].until, None);
    let e = o
        .read(
            &typed(&[
                ("name", "红岭选厂尾矿库"),
                ("region", "城关镇"),
                ("grade", "四等"),
                ("head_top", "否"),
                ("status", "闭库"),
                ("in_use_since", "2012-06-01"),
                ("monitoring", "是"),
            ]),
            &County,
        )
        .err()
        .unwrap_or_default();
    for k in ["closed_on", "monitoring_on", "connected"] {
        assert!(e.fields.contains_key(k), "{k}: {e:?}");
    }
}

#[test]
fn a_restaurant_fitted_with_an_alarm_counts_on_the_fitting_day() {
    let d = shipped("ranqi");
    let o = d.object("gas_user").unwrap_or_else(|| panic!("gas_user"));
    let data = o
        .read(
            &typed(&[
                ("name", "老街口土菜馆"),
                ("region", "城关镇东门村"),
                ("address", "城关镇东门路36号"),
                ("user_kind", "餐饮"),
                ("gas_kind", "液化石油气"),
                ("cylinders", "3"),
                ("alarm", "已安装"),
                ("alarm_on", "2022-09-02"),
                ("shutoff_valve", "是"),
                ("metal_hose", "是"),
                ("checked_on", "2022-08-16"),
            ]),
            &County,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!o.hazard_when.iter().any(|c| c.holds(&data)));
    let t = d.tallies("gas_user", &data, day("2022-08-16"));
    let t = by_key(&t);
    let keys: Vec<&str> = t.keys().copied().collect();
    assert_eq!(keys, ["alarm_fitted", "restaurants", "users"]);
    assert_eq!(t["alarm_fitted"].day, day("2022-09-02"));
    assert_eq!(t["users"].day, day("2022-08-16"));

    let o = d
        .object("inspection")
        .unwrap_or_else(|| panic!("inspection"));
    let data = o
        .read(
            &typed(&[
                ("region", "城关镇"),
                ("checked_on", "2022-10-12"),
                ("kind", "执法检查"),
                ("target", "城关镇液化气供应站"),
                ("unit", "市住建局、市应急管理局"),
                ("problems_found", "5"),
                ("problems_fixed", "4"),
            ]),
            &County,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let t = d.tallies("inspection", &data, day("2022-10-12"));
    let amounts: Vec<(&str, i64)> = t.iter().map(|x| (x.indicator.as_str(), x.amount)).collect();
    assert_eq!(
        amounts,
        [
            ("enforcement", 1),
            ("problems_found", 5),
            ("problems_fixed", 4)
        ]
    );
}

#[test]
fn an_outlet_without_a_promise_is_not_under_management() {
    let d = shipped("yanhua");
    let o = d.object("outlet").unwrap_or_else(|| panic!("outlet"));
    let mut row = typed(&[
        ("name", "东门烟花爆竹零售点"),
        ("region", "城关镇东门村"),
        ("address", "城关镇东门路8号"),
        ("outlet_kind", "固定零售点"),
        ("licence_no", "（赣）YH零许证字〔2022〕第0031号"),
        ("licence_valid_to", "2023-12-31"),
        ("checked_on", "2022-12-20"),
        ("list_done", "是"),
        ("ledger_done", "是"),
        ("promise_signed", "否"),
    ]);
    let data = o.read(&row, &County).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(o.hazard_when.iter().any(|c| c.holds(&data)));
    let t = d.tallies("outlet", &data, day("2022-12-20"));
    let keys: Vec<&str> = t.iter().map(|x| x.indicator.as_str()).collect();
    assert_eq!(keys, ["outlets_checked"]);

    row.insert("promise_signed".into(), "是".into());
    row.insert("promise_on".into(), "2022-12-21".into());
    row.insert("promise_file".into(), "901".into());
    let data = o.read(&row, &County).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(data["promise_file"], 901);
    assert!(!o.hazard_when.iter().any(|c| c.holds(&data)));
    let t = d.tallies("outlet", &data, day("2022-12-20"));
    let t = by_key(&t);
    assert_eq!(t["outlets_managed"].day, day("2022-12-21"));
    assert_eq!(t["outlets_managed"].until, None);
}

#[test]
fn a_fuel_user_with_all_six_measures_is_compliant() {
    let d = shipped("chunji");
    let o = d.object("fuel_user").unwrap_or_else(|| panic!("fuel_user"));
    let measures = [
        "legal_source",
        "qualified_stove",
        "proper_storage",
        "no_dual_fuel",
        "safe_refuelling",
        "staff_trained",
    ];
    for m in measures {
        let f = o.field(m).unwrap_or_else(|| panic!("{m}"));
        assert!(f.required, "{m} is asked of every user");
    }
    let mut row = typed(&[
        ("name", "湘味小炒"),
        ("region", "城关镇"),
        ("address", "城关镇人民路102号"),
        ("place_kind", "餐饮店"),
        ("checked_on", "2022-10-18"),
        ("rectification", "无需整改"),
    ]);
    for m in measures {
        row.insert(m.into(), "是".into());
    }
    let data = o.read(&row, &County).unwrap_or_else(|e| panic!("{e:?}"));
    let keys: Vec<String> = d
        .tallies("fuel_user", &data, day("2022-10-18"))
        .into_iter()
        .map(|t| t.indicator)
        .collect();
    assert_eq!(keys, ["users", "compliant"]);
    assert!(!o.hazard_when.iter().any(|c| c.holds(&data)));

    row.insert("no_dual_fuel".into(), "否".into());
    row.insert("rectification".into(), "已整改".into());
    let e = o.read(&row, &County).err().unwrap_or_default();
    assert!(e.fields.contains_key("problems") && e.fields.contains_key("rectified_on"));
    row.insert("problems".into(), "后厨醇基燃料灶与液化气灶混用".into());
    row.insert("rectified_on".into(), "2022-10-25".into());
    let data = o.read(&row, &County).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(o.hazard_when.iter().any(|c| c.holds(&data)));
    let keys: Vec<String> = d
        .tallies("fuel_user", &data, day("2022-10-18"))
        .into_iter()
        .map(|t| t.indicator)
        .collect();
    assert_eq!(keys, ["users", "rectified"]);
}
