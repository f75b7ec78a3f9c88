use super::*;
use std::collections::BTreeMap;

struct Places;

impl Resolve for Places {
    fn region(&self, typed: &str) -> Option<String> {
        match typed {
            "360982100000" | "城关镇" => Some("360982100000".into()),
            "360982100201" | "城关镇东门村" => Some("360982100201".into()),
            _ => None,
        }
    }
    fn enterprise(&self, typed: &str) -> Option<i64> {
        (typed == "红星燃气站").then_some(7)
    }
    fn attachment(&self, _typed: &str) -> Option<i64> {
        None
    }
}

const CHARGING: &str = r#"
[campaign]
code = "ebike_charging"
name = "电动自行车充电场所排查"
version = 1
starts_on = 2023-03-01

[[object]]
key = "site"
name = "充电场所"
title = ["name"]
date = "checked_on"
cadence = "monthly"

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
key = "kind"
label = "场所类型"
type = "choice"
options = ["住宅小区", "商业场所", "其他"]
required = true

[[object.field]]
key = "sockets"
label = "充电接口数"
type = "number"
unit = "个"
min = 1
max = 5000

[[object.field]]
key = "fire_hazard"
label = "存在火灾隐患"
type = "yesno"

[[object.field]]
key = "measure"
label = "整改措施"
type = "text"
required_when = { field = "fire_hazard", equals = true }

[[indicator]]
key = "sites"
label = "排查电动自行车充电场所"
unit = "处"
object = "site"

[[indicator]]
key = "sockets"
label = "排查充电接口"
unit = "个"
object = "site"
sum = "sockets"
where = [{ field = "kind", in = ["住宅小区", "商业场所"] }]
"#;

fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn refusal(src: &str) -> Vec<DefinitionError> {
    match Definition::parse(src) {
        Ok(_) => panic!("definition should be refused"),
        Err(e) => e,
    }
}

#[test]
fn a_campaign_never_seen_reads_from_its_file() {
    let d = Definition::parse(CHARGING).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.code, "ebike_charging");
    assert_eq!(d.version, 1);
    let o = d.object("site").unwrap_or_else(|| panic!("site"));
    assert_eq!(o.fields.len(), 7);
    assert_eq!(o.cadence, Cadence::Monthly);
    assert_eq!(o.region_field().map(|f| f.key.as_str()), Some("place"));
    assert_eq!(d.indicators.len(), 2);
    assert_eq!(d.indicators[1].agg, IndicatorAgg::Sum("sockets".into()));
}

#[test]
fn a_row_is_read_checked_and_tallied() {
    let d = Definition::parse(CHARGING).unwrap_or_else(|e| panic!("{e:?}"));
    let o = d.object("site").unwrap_or_else(|| panic!("site"));
    let data = o
        .read(
            &typed(&[
                ("place", "城关镇东门村"),
                ("name", "东门小区充电棚"),
                ("checked_on", "2023-04-02"),
                ("kind", "住宅小区"),
                ("sockets", "24"),
                ("fire_hazard", "否"),
            ]),
            &Places,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(data["place"], "360982100201");
    assert_eq!(data["sockets"], 24);
    assert_eq!(data["fire_hazard"], false);
    assert_eq!(o.title_of(&data), "东门小区充电棚");
    let recorded = chrono::NaiveDate::from_ymd_opt(2023, 5, 1).unwrap_or_default();
    let t = d.tallies("site", &data, recorded);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].day.to_string(), "2023-04-02");
    assert_eq!(t[1].amount, 24);
}

#[test]
fn a_rows_errors_name_each_field_in_words() {
    let d = Definition::parse(CHARGING).unwrap_or_else(|e| panic!("{e:?}"));
    let o = d.object("site").unwrap_or_else(|| panic!("site"));
    let e = o
        .read(
            &typed(&[
                ("place", "外县某村"),
                ("checked_on", "2023-02-30"),
                ("kind", "工厂"),
                ("sockets", "0"),
                ("fire_hazard", "是"),
                ("colour", "红"),
            ]),
            &Places,
        )
        .err()
        .unwrap_or_default();
    let msg = |k: &str| e.fields.get(k).map(|v| v.join("；")).unwrap_or_default();
    assert!(msg("place").contains("不是本辖区"), "{e:?}");
    assert!(msg("name").contains("请填写场所名称"));
    assert!(msg("checked_on").contains("排查日期"));
    assert!(msg("kind").contains("住宅小区、商业场所、其他"));
    assert!(msg("sockets").contains("不能小于1个"));
    assert!(msg("measure").contains("存在火灾隐患为“是”时须填写整改措施"));
    assert!(msg("colour").contains("不是“充电场所”的字段"));
}

#[test]
fn an_unknown_field_type_is_refused_with_its_line() {
    let src = CHARGING.replace("type = \"yesno\"", "type = \"colour\"");
    let e = refusal(&src);
    let line = src
        .lines()
        .position(|l| l.contains("\"colour\""))
        .unwrap_or(0)
        + 1;
    assert_eq!(e[0].line, line, "{e:?}");
    assert!(e[0].message.contains("colour"), "{e:?}");
    assert!(e[0].message.contains("不认识的取值"), "{e:?}");
}

#[test]
fn a_duplicate_field_is_refused_with_its_line() {
    let src = CHARGING.replace("key = \"measure\"", "key = \"sockets\"");
    let e = refusal(&src);
    let at = src
        .find("key = \"sockets\"\nlabel = \"整改措施\"")
        .unwrap_or(0);
    let line = src[..at].matches('\n').count() + 1;
    assert!(
        e.iter()
            .any(|x| x.line == line && x.message.contains("字段“sockets”重复")),
        "{e:?}"
    );
}

#[test]
fn an_indicator_over_a_missing_field_is_refused_with_its_line() {
    let src = CHARGING.replace("sum = \"sockets\"", "sum = \"outlets\"");
    let e = refusal(&src);
    let line = src
        .lines()
        .position(|l| l.contains("\"outlets\""))
        .unwrap_or(0)
        + 1;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, line);
    assert!(e[0].message.contains("“outlets”不存在"));
    let src = CHARGING.replace("field = \"kind\", in", "field = \"type\", in");
    let e = refusal(&src);
    assert!(e[0].message.contains("条件引用的字段“type”不存在"), "{e:?}");
}

#[test]
fn broken_toml_and_misplaced_rules_are_refused_with_lines() {
    let e = refusal("[campaign]\ncode = \"x\"\nname = \n");
    assert_eq!(e[0].line, 3, "{e:?}");
    let e = refusal(&CHARGING.replace(
        "unit = \"个\"\nmin = 1",
        "unit = \"个\"\noptions = [\"a\"]\nmin = 1",
    ));
    assert!(e.iter().any(|x| x.message.contains("options")), "{e:?}");
    let e = refusal(&CHARGING.replace("type = \"region\"", "type = \"text\""));
    assert!(e.iter().any(|x| x.message.contains("region")), "{e:?}");
    let e = refusal(&CHARGING.replace("key = \"sites\"", "key = \"sites\"\ncolour = 1"));
    assert!(e[0].message.contains("不认识的项“colour”"), "{e:?}");
    let e = refusal(&CHARGING.replace("equals = true", "equals = \"也许\""));
    assert!(
        e[0].message.contains("不是字段“存在火灾隐患”可能的值"),
        "{e:?}"
    );
}

#[test]
fn a_new_version_adds_fields_and_may_not_drop_or_retype_them() {
    let v1 = Definition::parse(CHARGING).unwrap_or_else(|e| panic!("{e:?}"));
    let added = CHARGING.replace("version = 1", "version = 2").replace(
        "[[indicator]]\nkey = \"sites\"",
        "[[object.field]]\nkey = \"manager\"\nlabel = \"管理人\"\ntype = \"text\"\n\n[[indicator]]\nkey = \"sites\"",
    );
    let v2 = Definition::parse(&added).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(v2.check_successor(&v1).is_ok());
    assert!(
        v1.check_successor(&v2).is_err(),
        "an older version never follows"
    );
    let renamed = added.replace("code = \"ebike_charging\"", "code = \"other\"");
    let other = Definition::parse(&renamed).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        other.check_successor(&v1).is_err(),
        "another campaign never follows"
    );
    let no_sum = added.replace(
        "\n[[indicator]]\nkey = \"sockets\"\nlabel = \"排查充电接口\"\nunit = \"个\"\nobject = \"site\"\nsum = \"sockets\"\nwhere = [{ field = \"kind\", in = [\"住宅小区\", \"商业场所\"] }]\n",
        "",
    );
    let v2 = Definition::parse(&no_sum).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(v2.indicators.len(), 1);
    let e = v2.check_successor(&v1).err().unwrap_or_default();
    assert!(
        e.iter().any(|x| x.message.contains("指标“排查充电接口”")),
        "{e:?}"
    );
    let same = Definition::parse(CHARGING).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(same.check_successor(&v1).is_err(), "the version must rise");
    let retyped = CHARGING.replace("version = 1", "version = 2").replace(
        "label = \"整改措施\"\ntype = \"text\"",
        "label = \"整改措施\"\ntype = \"number\"",
    );
    let v2 = Definition::parse(&retyped).unwrap_or_else(|e| panic!("{e:?}"));
    let e = v2.check_successor(&v1).err().unwrap_or_default();
    assert!(e[0].message.contains("类型不能改变"), "{e:?}");
    let line = retyped
        .lines()
        .position(|l| l.contains("key = \"measure\""))
        .unwrap_or(0);
    assert_eq!(e[0].line, line, "the line of the field's table header");
    let dropped = CHARGING
        .replace("version = 1", "version = 2")
        .replace(
            "\"住宅小区\", \"商业场所\", \"其他\"]",
            "\"住宅小区\", \"商业场所\"]",
        )
        .replace("in = [\"住宅小区\", \"商业场所\"]", "equals = \"住宅小区\"");
    let v2 = Definition::parse(&dropped).unwrap_or_else(|e| panic!("{e:?}"));
    let e = v2.check_successor(&v1).err().unwrap_or_default();
    assert!(e[0].message.contains("选项“其他”不能删除"), "{e:?}");
}

#[test]
fn stock_indicators_end_on_their_until_day() {
    let src = r#"
[campaign]
code = "tailings"
name = "尾矿库"
version = 1

[[object]]
key = "pond"
name = "尾矿库"
date = "listed_on"

[[object.field]]
key = "place"
label = "所在地"
type = "region"
required = true

[[object.field]]
key = "listed_on"
label = "入库日期"
type = "date"

[[object.field]]
key = "delisted_on"
label = "销库日期"
type = "date"

[[object.field]]
key = "volume"
label = "库容"
type = "number"
unit = "万立方米"
decimals = 2

[[indicator]]
key = "ponds"
label = "尾矿库"
unit = "座"
object = "pond"
stock = true
until = "delisted_on"

[[indicator]]
key = "volume"
label = "总库容"
unit = "万立方米"
object = "pond"
sum = "volume"
where = [{ field = "volume", at_least = 10.5 }]
"#;
    let d = Definition::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.indicators[1].scale, 100);
    let o = d.object("pond").unwrap_or_else(|| panic!("pond"));
    let data = o
        .read(
            &typed(&[
                ("place", "城关镇"),
                ("listed_on", "2010-01-01"),
                ("delisted_on", "2022-09-30"),
                ("volume", "10.5"),
            ]),
            &Places,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
    let t = d.tallies("pond", &data, day);
    assert_eq!(t.len(), 2, "{t:?}");
    assert_eq!(
        t[0].until.map(|d| d.to_string()).as_deref(),
        Some("2022-09-30")
    );
    assert_eq!(t[1].amount, 1050);
    let mut small = data.clone();
    small.insert("volume".into(), serde_json::Value::from(1049));
    assert_eq!(d.tallies("pond", &small, day).len(), 1);
}

#[test]
fn an_empty_list_and_a_condition_on_a_required_field_are_refused_with_their_lines() {
    let src = CHARGING.replace("in = [\"住宅小区\", \"商业场所\"]", "in = []");
    let e = refusal(&src);
    let line = src.lines().position(|l| l.contains("in = []")).unwrap_or(0) + 1;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, line);
    assert!(e[0].message.contains("至少要列出一个取值"), "{e:?}");
    let src = CHARGING.replace(
        "required_when = { field = \"fire_hazard\", equals = true }",
        "required = true\nrequired_when = { field = \"fire_hazard\", equals = true }",
    );
    let e = refusal(&src);
    let line = src
        .lines()
        .position(|l| l.starts_with("required_when"))
        .unwrap_or(0)
        + 1;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, line);
    assert!(e[0].message.contains("required_when 不起作用"), "{e:?}");
}
