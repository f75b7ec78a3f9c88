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
use std::collections::BTreeMap;
use std::sync::Arc;

const SOURCE: &str = include_str!("../data/source-report-2022.txt");

mod masks;
use masks::Mask::{Figure as F, Name as N};
use masks::{C, MASKS, UNITS};

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
    let ts = crate::demo_store(seed);
    let clock = Arc::new(FixedClock::at_date(
        chrono::NaiveDate::from_ymd_opt(2023, 1, 10).unwrap(),
    ));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    let caller = app.system_caller("test").unwrap();
    let ems = ts
        .store
        .list_departments(&caller.scope, app.clock.today())
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
                get("campaign.zijianfang.surveyed_commercial")
                    + get("campaign.zijianfang.surveyed_residential"),
                get("campaign.zijianfang.surveyed"),
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
        // 自然灾害应对 from the records (demo::disasters): the cold wave's one round and the
        // June heavy rain's two; 386 + 2,254 evacuated and 152 + 1,166 relocated, checked.
        assert!(
            md.contains("成功应对冰雪、强降雨自然灾害["),
            "seed {seed}: the kinds named from the events"
        );
        assert_eq!(figure_after(&md, "disasters.responses"), 3.0);
        assert_eq!(figure_after(&md, "disasters.people_evacuated"), 2640.0);
        assert_eq!(figure_after(&md, "disasters.people_relocated"), 1318.0);
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
