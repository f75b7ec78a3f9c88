//! The demo county, calibrated (issue 14): its 2022 report reads like the source report.
//! Every masked figure of the source report (`tests/data/source-report-2022.txt`, a copy of
//! `../shared/reference/source-report-2022.txt`) has a number in the generated report with
//! as many digits as the mask has stars (`***万元`: a three-digit integer part), and the
//! figures agree with one another.
//!
//! How the two reports are aligned, so that a reader can retrace it:
//!
//! 1. A mask is a run of `*` in the source. It is numeric when a counting unit follows it
//!    (optionally after 万 and 余: `**万方`, `*万余份`, `**余块`); otherwise it is a name
//!    (`**市`, `**省`, `**等`), and every such mask is listed in [`MASKS`] as a name.
//! 2. [`MASKS`] lists every mask of the source in order. A name is given by its source text;
//!    a figure by its source text, the generated report's words right before the number,
//!    the figure's metric (with its dimensions, as its drill-down link states them) and the
//!    generated report's words right after the number.
//! 3. The test walks the source's masks and the table together: each mask must lie in its
//!    entry's source text. It walks the generated report (Markdown, each figure a link
//!    `[number](/metrics/metric?period=2022&dimensions)`) in the same order: each figure's
//!    words must come next, followed by its link and its unit.
//! 4. The number's integer part has exactly as many digits as the mask has stars (and is
//!    not zero).

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_domain::period::Period;
use anjian_domain::{Clock, FixedClock};
use anjian_store::testing::TestStore;
use std::collections::BTreeMap;
use std::sync::Arc;

const SOURCE: &str = include_str!("data/source-report-2022.txt");

/// Counting units (量词) and measures after which a mask is a number.
const UNITS: [&str; 29] = [
    "个", "件", "处", "起", "家", "人", "次", "份", "元", "米", "方", "条", "座", "辆", "名", "户",
    "所", "场", "期", "台", "套", "项", "栋", "公斤", "轮", "架", "块", "册", "%",
];

/// One mask of the source report, in order.
enum Mask {
    /// A name (a city, a province, a township, a mining area, a congress): the source text
    /// around it.
    Name(&'static str),
    /// A figure: (source text around the mask, the generated report's words before the
    /// number, the metric and its dimensions, the words after the number).
    Figure(&'static str, &'static str, &'static str, &'static str),
}

use Mask::{Figure as F, Name as N};

/// The main campaign's dimension, and the 应急管理局's (`EMS` is its department id).
const C: &str = "campaign=bairi2022";

/// Every mask of the source report, in order (130: 104 figures, 26 names).
const MASKS: [Mask; 130] = [
    // 一（一）责任体系
    N("《**市安全生产包片包线"),
    N("《**市2022年度消防和森林防灭火工作考核"),
    F(
        "电子礼炮等**项新兴行业",
        "电子礼炮等",
        "org.new_industries",
        "项新兴行业",
    ),
    F(
        "与**个乡镇",
        "严格考核管理，与",
        "work.letter_township",
        "个乡镇",
    ),
    F(
        "、**个市直部门",
        "个乡镇、",
        "work.letter_department",
        "个市直部门",
    ),
    F(
        "和**家规模以上企业",
        "个市直部门和",
        "work.letter_enterprise",
        "家规模以上企业",
    ),
    // 一（二）监管执法: the 应急管理局's own figures, as the source states the 应急 system's.
    F(
        "全市**个负有安全生产监管职责的部门",
        "全市",
        "plans.departments",
        "个负有安全生产监管职责的部门",
    ),
    N("启用**省安全生产行政执法管理系统"),
    F(
        "下达各类行政执法文书****份",
        "下达各类行政执法文书",
        "documents.issued?department=EMS",
        "份",
    ),
    F(
        "办理行政处罚案件***件",
        "办理行政处罚案件",
        "cases.filed?department=EMS",
        "件",
    ),
    F(
        "一般程序**件",
        "一般程序",
        "cases.general?department=EMS",
        "件",
    ),
    F(
        "简易程序***件",
        "简易程序",
        "cases.simple?department=EMS",
        "件",
    ),
    // 一（三）百日攻坚: every department, during the campaign.
    F(
        "共发现安全隐患****处",
        "共发现安全隐患",
        "hazards.found_by_regulators?C",
        "处",
    ),
    F(
        "（其中：重大隐患**处）",
        "（其中：重大隐患",
        "hazards.found_major_by_regulators?C",
        "处",
    ),
    F(
        "整改事故隐患****处",
        "整改事故隐患",
        "hazards.closed?C",
        "处",
    ),
    F(
        "（其中整改重大隐患**处）",
        "（其中整改重大隐患",
        "hazards.closed_major?C",
        "处",
    ),
    F(
        "查纠各类违法行为****起",
        "查纠各类违法行为",
        "violations.found?C",
        "起",
    ),
    F("立案调查****起", "立案调查", "cases.investigated?C", "起"),
    F(
        "实施经济处罚***万元",
        "实施经济处罚",
        "cases.fines?C",
        "万元",
    ),
    F(
        "责令停产停业**家",
        "责令停产停业",
        "cases.stop_production?C",
        "家",
    ),
    F(
        "暂扣或吊销许可证照**个",
        "暂扣或吊销许可证照",
        "cases.licence?C",
        "个",
    ),
    F("取缔关闭*处", "取缔关闭", "cases.closure?C", "处"),
    F(
        "移送司法机关处理**人",
        "移送司法机关处理",
        "transfers.transferred?C",
        "人",
    ),
    F("落实举报奖励*起", "落实举报奖励", "rewards.paid?C", "起"),
    // 打非治违
    N("聚焦***金矿区域"),
    N("、**炭质板岩区域"),
    F(
        "制止盗采行为**起",
        "制止盗采行为",
        "work.theft_stopped",
        "起",
    ),
    F(
        "遣散务工人员**人",
        "遣散务工人员",
        "work.workers_dispersed",
        "人",
    ),
    F("拆除工棚*座", "拆除工棚", "work.sheds_removed", "座"),
    F(
        "处置盗采机械设备**台",
        "处置盗采机械设备",
        "work.machines_disposed",
        "台",
    ),
    F(
        "关闭封堵废弃矿硐（矿坑）***个",
        "关闭封堵废弃矿硐（矿坑）",
        "work.adits_sealed",
        "个",
    ),
    // 自建房
    F(
        "共排查居民自建房*****栋",
        "共排查居民自建房",
        "houses.surveyed",
        "栋",
    ),
    F(
        "其中经营性自建房****栋",
        "其中经营性自建房",
        "work.house_surveyed_commercial",
        "栋",
    ),
    F(
        "非经营性自建房*****栋",
        "非经营性自建房",
        "work.house_surveyed_residential",
        "栋",
    ),
    F(
        "鉴定和评估****栋",
        "鉴定和评估",
        "work.house_appraised",
        "栋",
    ),
    // 城镇燃气
    F(
        "开展燃气安全执法*次",
        "开展燃气安全执法",
        "work.gas_enforcement",
        "次",
    ),
    F("督导检查*次", "督导检查", "work.gas_supervision", "次"),
    F(
        "排查整治问题隐患**处",
        "排查整治问题隐患",
        "hazards.closed?sector=gas",
        "处",
    ),
    F(
        "安装燃气报警装置***家",
        "安装燃气报警装置",
        "work.gas_alarm_fitted",
        "家",
    ),
    // 一（四）重点领域: 交通运输
    F(
        "清理塌方**万方",
        "清理塌方",
        "work.landslide_cleared",
        "万方",
    ),
    F("波形护栏****米", "波形护栏", "work.guardrail_metres", "米"),
    F(
        "开展各类执法活动**次",
        "开展各类执法活动",
        "work.road_enforcement",
        "次",
    ),
    F(
        "查处道路交通重点违法行为****起",
        "查处道路交通重点违法行为",
        "work.road_violations",
        "起",
    ),
    // 消防
    F(
        "火灾隐患或违法行为****处",
        "火灾隐患或违法行为",
        "hazards.closed?sector=fire",
        "处",
    ),
    F(
        "责令“三停”**家",
        "责令“三停”",
        "work.fire_three_stops",
        "家",
    ),
    F(
        "整改重大火灾隐患**起",
        "整改重大火灾隐患",
        "hazards.closed_major?sector=fire",
        "起",
    ),
    // 非煤矿山
    F(
        "地下开采矿山企业*家",
        "地下开采矿山企业",
        "work.mine_closed",
        "家",
    ),
    F("闭库销号*座", "闭库销号", "work.tailings_delisted", "座"),
    F(
        "尾矿库闭库治理*座",
        "尾矿库闭库治理",
        "work.tailings_treated",
        "座",
    ),
    F(
        "完成了*座尾矿库在线监测",
        "，完成",
        "work.tailings_monitored",
        "座尾矿库在线监测",
    ),
    // 危险化学品
    F(
        "立案查处非法违法案件**起",
        "立案查处非法违法案件",
        "cases.investigated?sector=hazchem",
        "起",
    ),
    F(
        "移交非法销售成品油案*起",
        "移交涉嫌犯罪案件",
        "transfers.cases?sector=hazchem",
        "起",
    ),
    F(
        "上级交办隐患整改**条",
        "上级交办隐患整改",
        "hazards.closed_assigned?sector=hazchem",
        "条",
    ),
    F(
        "执法检查发现隐患整改**处",
        "执法检查发现隐患整改",
        "hazards.closed_inspection?sector=hazchem",
        "处",
    ),
    F(
        "责令停产停业*家",
        "责令停产停业",
        "cases.stop_production?sector=hazchem",
        "家",
    ),
    F(
        "查扣非法储存氢氧化钠****公斤",
        "查扣非法储存危险化学品",
        "work.caustic_seized",
        "公斤",
    ),
    // 烟花爆竹
    F(
        "对全市*家烟花爆竹生产企业",
        "对全市",
        "enterprises.fireworks_producers",
        "家烟花爆竹生产企业",
    ),
    F(
        "、***家零售经营网点",
        "家烟花爆竹生产企业、",
        "enterprises.fireworks_retail",
        "家零售经营网点",
    ),
    F(
        "运输违法行为**起",
        "立案查处违法行为",
        "cases.investigated?sector=fireworks",
        "起",
    ),
    F(
        "整改隐患**条",
        "整改隐患",
        "hazards.closed?sector=fireworks",
        "条",
    ),
    // 建筑施工
    F(
        "检查施工项目**个",
        "检查施工项目",
        "work.projects_inspected",
        "个",
    ),
    F(
        "建筑工地***个/次",
        "建筑工地",
        "inspections.count?sector=construction",
        "个/次",
    ),
    F(
        "下达停工通知*份",
        "下达停工通知",
        "work.stop_work_notices",
        "份",
    ),
    F(
        "隐患整改通知***份",
        "隐患整改通知",
        "documents.rectification_orders?sector=construction",
        "份",
    ),
    F(
        "整改施工隐患***条",
        "整改施工隐患",
        "hazards.closed?sector=construction",
        "条",
    ),
    // 校园
    F("专用校车**台", "专用校车", "work.school_bus_tested", "台"),
    F(
        "接送学生的班车***台",
        "接送学生的班车",
        "work.shuttle_bus_tested",
        "台",
    ),
    N("、**市“九长”管理制度"),
    // 一（五）宣传教育
    F("先后*次将", "先后", "work.study_sessions", "次将"),
    N("新《**省安全生产条例》"),
    N("中央、省、**市各类安全生产工作视频会议"),
    F("视频会议**次", "视频会议", "work.video_conferences", "次"),
    F(
        "业务知识培训班*期",
        "业务知识培训班",
        "work.training_classes",
        "期",
    ),
    F(
        "培训人员***人次",
        "培训人员",
        "work.training_attendance",
        "人次",
    ),
    F("摆放展板**余块", "摆放展板", "work.boards", "块"),
    F(
        "法律法规汇编****余册",
        "法律法规汇编",
        "work.booklets",
        "册",
    ),
    F("宣传资料*万余份", "宣传资料", "work.leaflets", "万份"),
    F("播放宣传片*场", "播放宣传片", "work.films", "场"),
    // 一（六）基层基础
    N("建设活动，**等"),
    F(
        "等**个已验收达标乡镇",
        "乡村应急管理能力创建，",
        "work.township_standard.townships",
        "个乡镇通过验收达标",
    ),
    N("提升，**、"),
    N("、**、"),
    N("、**、"),
    N("、**、"),
    N("、** 5个乡镇"),
    F(
        "安全生产保障资金****万元",
        "安全生产保障资金",
        "work.safety_funds",
        "万元",
    ),
    F(
        "延伸到全市**个乡镇",
        "延伸到全市",
        "work.video_system.townships",
        "个乡镇",
    ),
    F("自然灾害*轮", "自然灾害", "work.disaster_response", "轮"),
    F(
        "紧急避险转移人口****人",
        "紧急避险转移人口",
        "work.people_evacuated",
        "人",
    ),
    F(
        "紧急转移安置人口****人",
        "紧急转移安置人口",
        "work.people_relocated",
        "人",
    ),
    // 二、亮点工作（一）醇基燃料: two districts, by name.
    N("分片区对**和"),
    N("和**两个城区所有"),
    N("联合对**和"),
    N("和**两个城区餐饮"),
    // （二）派驻监督员
    N("在**大期间"),
    F("全市**个乡镇、", "全市", "station.townships", "个乡镇"),
    F(
        "、**个市直单位",
        "个乡镇、",
        "station.departments",
        "个市直单位",
    ),
    F(
        "派驻监督员***人",
        "派驻监督员",
        "work.stationed_supervisors",
        "人",
    ),
    F(
        "重点地段***家（处）",
        "重点地段",
        "work.stationed_sites",
        "家（处）",
    ),
    // （三）一单四制、挂牌督办
    N("省、**市部署要求"),
    N("3月份**省重大事故隐患"),
    F(
        "重大事故隐患**条（危化",
        "管理重大事故隐患",
        "hazards.found_major",
        "条（危化",
    ),
    F(
        "危化*条",
        "危化",
        "hazards.found_major?sector=hazchem",
        "条",
    ),
    F(
        "建筑施工*条",
        "建筑施工",
        "hazards.found_major?sector=construction",
        "条",
    ),
    F("消防**条", "消防", "hazards.found_major?sector=fire", "条"),
    F(
        "除*条重大火灾隐患未到整改期限",
        "除",
        "major.not_due",
        "条未到整改期限",
    ),
    F(
        "其余**条均在规定的时限内",
        "外，",
        "major.closed_in_time",
        "条在规定的时限内",
    ),
    F(
        "挂牌督办整改重大火灾隐患**起",
        "挂牌督办整改重大火灾隐患",
        "listings.listed?sector=fire",
        "起",
    ),
    F(
        "摘牌销案**起",
        "摘牌销案",
        "listings.delisted?sector=fire",
        "起",
    ),
    F(
        "2021年挂牌督办的*起",
        "以前年度挂牌督办的",
        "listings.delisted_carried?sector=fire",
        "起",
    ),
    // （四）委托执法
    F(
        "下放简易程序执法权限**项",
        "下放简易程序执法权限",
        "commissions.items",
        "项",
    ),
    F("交警**项", "交警", "commissions.items?agency=交警", "项"),
    F("农机**项", "农机", "commissions.items?agency=农机", "项"),
    F("运管**项", "运管", "commissions.items?agency=运管", "项"),
    F(
        "查处交通违法行为****余起",
        "委托执法查处交通违法行为",
        "commissions.cases",
        "起",
    ),
    F(
        "处理重点违法行为**起",
        "处理重点违法行为",
        "work.referred_violations",
        "起",
    ),
    F(
        "移交涉嫌刑事犯罪案*起",
        "移交涉嫌刑事犯罪案",
        "commissions.transfers",
        "起",
    ),
    // （五）森林防灭火
    N("《**市2022年度消防和森林防灭火工作考评"),
    F("投入资金***万元", "投入资金", "work.forest_funds", "万元"),
    F(
        "防火勘察无人机**架",
        "防火勘察无人机",
        "work.forest_drones",
        "架",
    ),
    F(
        "高扬程消防水泵**台",
        "高扬程消防水泵",
        "work.forest_pumps",
        "台",
    ),
    N("协调驻*国企"),
    F("捐赠抽水泵***台", "捐赠抽水泵", "work.donated_pumps", "台"),
    F(
        "分别发放到**个乡镇",
        "分别发放到",
        "work.equipment_to_township.townships",
        "个乡镇",
    ),
    F(
        "、*个国有林场",
        "个乡镇、",
        "work.equipment_to_farm",
        "个国有林场",
    ),
    F(
        "频发多发的*个乡镇",
        "落实不力的",
        "work.townships_held_accountable",
        "个乡镇",
    ),
    F(
        "分管负责人*人次",
        "分管负责人",
        "work.warning_interviews",
        "人次",
    ),
    // 四、2023年工作思路
    N("省、**市安全生产决策部署"),
    N("确保省、**市部署"),
    N("《**省安全生产条例》和刑法"),
];

/// The masks of the source: (byte offset, stars, numeric).
fn source_masks() -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut rest = SOURCE;
    let mut at = 0;
    while let Some(i) = rest.find('*') {
        let stars = rest[i..].chars().take_while(|c| *c == '*').count();
        let after = &rest[i + stars..];
        let unit = after.strip_prefix('万').unwrap_or(after);
        let unit = unit.strip_prefix('余').unwrap_or(unit);
        let numeric = UNITS.iter().any(|u| unit.starts_with(u));
        out.push((at + i, stars, numeric));
        at += i + stars;
        rest = after;
    }
    out
}

/// Checks that the mask at `pos` lies in `text` (one run of stars) as the source has it.
fn mask_in(text: &str, pos: usize, stars: usize) -> bool {
    let Some(i) = text.find('*') else {
        return false;
    };
    let run = text[i..].chars().take_while(|c| *c == '*').count();
    run == stars && pos >= i && SOURCE.get(pos - i..pos - i + text.len()) == Some(text)
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The 2022 report of the demo county generated with `seed`, as Markdown, and the id of
/// its 应急管理局.
fn demo_report(seed: u64) -> (String, i64) {
    let ts = TestStore::sqlite().unwrap();
    let clock = Arc::new(FixedClock::at_date(
        chrono::NaiveDate::from_ymd_opt(2023, 1, 10).unwrap(),
    ));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    anjian_app::demo::generate(&app, seed, &mut |_, _, _| {}).unwrap();
    let caller = app.system_caller("test").unwrap();
    let ems = ts
        .store
        .list_departments(&caller.scope)
        .unwrap()
        .into_iter()
        .find(|d| d.name == "清江市应急管理局")
        .map(|d| d.id)
        .unwrap();
    let r = app
        .render_report(&caller, &Period::year(2022).unwrap())
        .unwrap();
    (r.markdown(""), ems)
}

/// Aligns the generated report with the source, figure by figure; answers each figure's
/// value by its key, and the failures.
fn align(md: &str, ems: i64) -> (BTreeMap<String, f64>, Vec<String>) {
    let mut failures = Vec::new();
    let mut values = BTreeMap::new();
    let masks = source_masks();
    assert_eq!(
        masks.len(),
        MASKS.len(),
        "the table lists every mask of the source"
    );
    let mut cursor = 0;
    for ((pos, stars, numeric), entry) in masks.iter().zip(MASKS.iter()) {
        let (src, gen_before, key, unit) = match entry {
            N(text) => {
                assert!(
                    mask_in(text, *pos, *stars),
                    "name {text} is not the source's next mask"
                );
                assert!(!numeric, "{text}: a unit follows, so it is a figure");
                continue;
            }
            F(src, before, key, unit) => (*src, *before, *key, *unit),
        };
        assert!(
            mask_in(src, *pos, *stars),
            "figure {src} is not the source's next mask"
        );
        assert!(numeric, "{src}: no unit follows, so it is a name");
        let key = key
            .replace("EMS", &ems.to_string())
            .replace("?C", &format!("?{C}"));
        let wanted = format!("{gen_before}[");
        let Some(found) = md[cursor..].find(&wanted) else {
            failures.push(format!(
                "{src}: the report has no “{gen_before}” figure after the previous one"
            ));
            continue;
        };
        let start = cursor + found + wanted.len();
        let rest = &md[start..];
        let (Some(close), Some(paren)) = (rest.find("](/metrics/"), rest.find(')')) else {
            failures.push(format!("{src}: “{gen_before}” is not followed by a figure"));
            continue;
        };
        let display = &rest[..close];
        let link = percent_decoded(&rest[close + "](/metrics/".len()..paren]);
        let link = link
            .replace("?period=2022&", "?")
            .replace("?period=2022", "");
        let after = &rest[paren + 1..];
        cursor = start + paren + 1;
        if link != key {
            failures.push(format!("{src}: the report states {link}, not {key}"));
        }
        if !after.starts_with(unit) {
            failures.push(format!(
                "{src}: “{gen_before}{display}” is followed by “{}”, not “{unit}”",
                after.chars().take(8).collect::<String>()
            ));
        }
        let integer = display.split('.').next().unwrap_or("");
        let digits = integer.chars().all(|c| c.is_ascii_digit());
        if !digits || integer.len() != *stars || integer.starts_with('0') {
            failures.push(format!(
                "{src}: {key} is {display}, not a number of {stars} digit(s)"
            ));
        }
        // Shown with `--nocapture`: the mask and the figure that fills it.
        println!("{src} → {display}");
        values.insert(key, display.parse::<f64>().unwrap_or(f64::NAN));
    }
    (values, failures)
}

/// The seeds to check: the demo's own (2022, what `serve --demo` shows), or those listed in
/// `ANJIAN_CALIBRATION_SEEDS` (e.g. `1,7,8`).
fn seeds() -> Vec<u64> {
    std::env::var("ANJIAN_CALIBRATION_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| vec![2022])
}

#[test]
fn report_2022_has_every_masked_figure_of_the_source_with_its_digits() {
    // The copy is the shared reference, where it is at hand.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/source-report-2022.txt");
    if let Ok(text) = std::fs::read_to_string(&shared) {
        assert_eq!(
            text, SOURCE,
            "tests/data/source-report-2022.txt is the reference"
        );
    }
    let names = MASKS.iter().filter(|m| matches!(m, N(_))).count();
    assert_eq!(
        (MASKS.len() - names, names),
        (104, 26),
        "104 figures, 26 names"
    );
    for seed in seeds() {
        let (md, ems) = demo_report(seed);
        let (v, failures) = align(&md, ems);
        assert!(
            failures.is_empty(),
            "seed {seed}:\n{}\n\n{md}",
            failures.join("\n")
        );
        // The figures agree with one another.
        let get = |k: &str| {
            let k = k
                .replace("EMS", &ems.to_string())
                .replace("?C", &format!("?{C}"));
            *v.get(&k).unwrap_or_else(|| panic!("{k}"))
        };
        let overdue = figure_after(&md, "major.overdue");
        let checks: [(&str, f64, f64); 10] = [
            (
                "一般程序 + 简易程序 = 行政处罚案件",
                get("cases.general?department=EMS") + get("cases.simple?department=EMS"),
                get("cases.filed?department=EMS"),
            ),
            (
                "危化 + 建筑施工 + 消防 = 重大事故隐患",
                get("hazards.found_major?sector=hazchem")
                    + get("hazards.found_major?sector=construction")
                    + get("hazards.found_major?sector=fire"),
                get("hazards.found_major"),
            ),
            (
                "时限内销号 + 未到整改期限 + 逾期 = 重大事故隐患",
                get("major.closed_in_time") + get("major.not_due") + overdue,
                get("hazards.found_major"),
            ),
            (
                "交警 + 农机 + 运管 = 下放执法权限",
                get("commissions.items?agency=交警")
                    + get("commissions.items?agency=农机")
                    + get("commissions.items?agency=运管"),
                get("commissions.items"),
            ),
            (
                "经营性 + 非经营性 = 排查居民自建房",
                get("work.house_surveyed_commercial") + get("work.house_surveyed_residential"),
                get("houses.surveyed"),
            ),
            (
                "立案调查 ≤ 查纠违法行为",
                get("cases.investigated?C").min(get("violations.found?C")),
                get("cases.investigated?C"),
            ),
            (
                "整改重大隐患 ≤ 整改事故隐患（专项行动）",
                get("hazards.closed_major?C").min(get("hazards.closed?C")),
                get("hazards.closed_major?C"),
            ),
            (
                "其中重大隐患 ≤ 专项行动发现重大隐患 ≤ 全年重大隐患",
                get("hazards.found_major_by_regulators?C").min(get("hazards.found_major")),
                get("hazards.found_major_by_regulators?C"),
            ),
            (
                "以前年度挂牌的摘牌 ≤ 摘牌销案",
                get("listings.delisted_carried?sector=fire")
                    .min(get("listings.delisted?sector=fire")),
                get("listings.delisted_carried?sector=fire"),
            ),
            (
                "危化移交案件 ≤ 危化立案查处",
                get("transfers.cases?sector=hazchem").min(get("cases.investigated?sector=hazchem")),
                get("transfers.cases?sector=hazchem"),
            ),
        ];
        for (what, left, right) in checks {
            assert_eq!(left, right, "seed {seed}: {what}");
        }
    }
}

/// The number of the first figure of `metric` (no dimensions) in the Markdown.
fn figure_after(md: &str, metric: &str) -> f64 {
    let link = format!("](/metrics/{metric}?period=2022)");
    let at = md
        .find(&link)
        .unwrap_or_else(|| panic!("the report states {metric}"));
    let open = md[..at].rfind('[').unwrap_or(at);
    md[open + 1..at].parse().unwrap_or(f64::NAN)
}

/// The classification by unit, on its own: a unit (optionally after 万 and 余) makes a
/// figure; a place or a name does not.
#[test]
fn masks_followed_by_a_unit_are_figures_and_the_others_names() {
    let masks = source_masks();
    assert_eq!(masks.len(), 130);
    let numeric = masks.iter().filter(|m| m.2).count();
    assert_eq!(numeric, 104);
    for (pos, stars, numeric) in masks {
        let after: String = SOURCE[pos + stars..].chars().take(3).collect();
        let place = [
            "市", "省", "金", "炭", "等", "、", "和", "两", "大", "国", " ",
        ]
        .iter()
        .any(|p| after.starts_with(p));
        assert_eq!(numeric, !place, "{after}");
    }
}
