//! Stationed safety supervisors (派驻安全生产监督管理员): a township or a department stations
//! supervisors at enterprises and key places (重点地段: a construction site, a mine entrance)
//! for a period; each supervisor checks in at a site on every visit (what was checked from a
//! short per-sector checklist, findings, photos), confirms a weekly summary, and is spot
//! checked (抽查: was the supervisor there, was the record true) and rated monthly by the
//! dispatching unit or the 安委办.
//!
//! The rules here are pure: which assignments are active on a day, which sites of a week went
//! unvisited (coverage), what a spot check's answers make of it, and what a visit's checklist
//! must say.

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeSet;

coded! {
    /// 重点地段的类别.
    PlaceKind {
        ConstructionSite = "construction_site", "建筑施工工地" | "施工工地" | "工地";
        MineEntrance = "mine_entrance", "矿山井口（采区）" | "矿山井口" | "井口" | "采区";
        Road = "road", "道路交通重点路段" | "重点路段" | "路段";
        Water = "water", "水域（渡口、码头）" | "水域" | "渡口" | "码头";
        Forest = "forest", "林区（山场）" | "林区" | "山场";
        Crowded = "crowded", "人员密集场所" | "人员密集";
        Other = "other", "其他重点地段" | "其他";
    }
}

coded! {
    /// The answer to one checklist item at a visit.
    CheckAnswer {
        Normal = "normal", "正常" | "是" | "符合";
        Problem = "problem", "有问题" | "否" | "不符合" | "问题";
        NotApplicable = "na", "不适用" | "无此项";
    }
}

coded! {
    /// 抽查结果: both answers yes is 合格; otherwise 不合格 and a follow-up is required.
    SpotResult {
        Pass = "pass", "合格";
        Fail = "fail", "不合格";
    }
}

coded! {
    /// 月度评价.
    Rating {
        Excellent = "excellent", "优秀";
        Competent = "competent", "称职" | "良好" | "合格";
        Basic = "basic", "基本称职" | "基本合格";
        Incompetent = "incompetent", "不称职" | "不合格";
    }
}

/// A site a supervisor is stationed at: an enterprise or a key place.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Site {
    Enterprise(i64),
    Place(i64),
}

impl Site {
    /// From the two nullable columns a record keeps: exactly one is set.
    pub fn of(enterprise_id: Option<i64>, place_id: Option<i64>) -> Option<Site> {
        match (enterprise_id, place_id) {
            (Some(e), None) => Some(Site::Enterprise(e)),
            (None, Some(p)) => Some(Site::Place(p)),
            _ => None,
        }
    }

    pub fn enterprise_id(self) -> Option<i64> {
        match self {
            Site::Enterprise(e) => Some(e),
            Site::Place(_) => None,
        }
    }

    pub fn place_id(self) -> Option<i64> {
        match self {
            Site::Place(p) => Some(p),
            Site::Enterprise(_) => None,
        }
    }
}

/// An assignment's days: from `starts_on` to `ends_on` inclusive (open while it runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Span {
    /// The end is not before the start.
    pub fn check(self) -> Result<(), String> {
        match self.ends_on {
            Some(e) if e < self.starts_on => Err("派驻结束日期不能早于开始日期".into()),
            _ => Ok(()),
        }
    }

    pub fn covers(self, day: NaiveDate) -> bool {
        day >= self.starts_on && self.ends_on.is_none_or(|e| day <= e)
    }

    /// Whether any day of `from..=to` is in the span.
    pub fn overlaps(self, from: NaiveDate, to: NaiveDate) -> bool {
        self.starts_on <= to && self.ends_on.is_none_or(|e| e >= from)
    }
}

/// The week (Monday to Sunday) holding `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    (monday, monday + Duration::days(6))
}

/// "2022年第39周（9月26日—10月2日）".
pub fn week_label(monday: NaiveDate) -> String {
    let sunday = monday + Duration::days(6);
    let iso = monday.iso_week();
    format!(
        "{}年第{}周（{}月{}日—{}月{}日）",
        iso.year(),
        iso.week(),
        monday.month(),
        monday.day(),
        sunday.month(),
        sunday.day()
    )
}

/// One assignment as coverage sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub assignment_id: i64,
    pub supervisor_id: i64,
    pub site: Site,
    pub span: Span,
}

/// A site of a week that no supervisor posted there visited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unvisited {
    pub assignment_id: i64,
    pub supervisor_id: i64,
    pub site: Site,
    /// The days of the week the assignment covered (a posting that began on Thursday owes a
    /// visit over Thursday to Sunday only).
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The postings of the week beginning `monday` with no visit by their supervisor to their site
/// on one of the week's days they covered. `visits` are (supervisor, site, day). A posting
/// whose days in the week are all after `today` owes nothing yet; one that covers today
/// but not yet a visit is listed (the week is still open: it is "not yet visited").
pub fn unvisited(
    monday: NaiveDate,
    postings: &[Posting],
    visits: &[(i64, Site, NaiveDate)],
    today: NaiveDate,
) -> Vec<Unvisited> {
    let sunday = monday + Duration::days(6);
    let seen: BTreeSet<(i64, Site, NaiveDate)> = visits.iter().copied().collect();
    let mut out = Vec::new();
    for p in postings {
        if !p.span.overlaps(monday, sunday) {
            continue;
        }
        let from = p.span.starts_on.max(monday);
        let to = p.span.ends_on.map_or(sunday, |e| e.min(sunday));
        if from > today {
            continue;
        }
        let visited = seen
            .range((p.supervisor_id, p.site, from)..=(p.supervisor_id, p.site, to))
            .next()
            .is_some();
        if !visited {
            out.push(Unvisited {
                assignment_id: p.assignment_id,
                supervisor_id: p.supervisor_id,
                site: p.site,
                from,
                to,
            });
        }
    }
    out
}

/// A spot check's result from its two answers.
pub fn spot_result(present: bool, record_true: bool) -> SpotResult {
    if present && record_true {
        SpotResult::Pass
    } else {
        SpotResult::Fail
    }
}

/// One item of a sector's checklist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CheckItem {
    pub key: String,
    pub text: String,
}

/// A visit's answers checked against the checklist: every item answered, and a visit with
/// an item answered 有问题 states its findings. Answers are (item key, answer).
pub fn check_answers(
    items: &[CheckItem],
    answers: &[(String, CheckAnswer)],
    findings: &str,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let missing: Vec<&str> = items
        .iter()
        .filter(|i| !answers.iter().any(|(k, _)| *k == i.key))
        .map(|i| i.text.as_str())
        .collect();
    if !missing.is_empty() {
        out.push((
            "checklist",
            format!("请逐项填写检查情况：{}", missing.join("；")),
        ));
    }
    if let Some((k, _)) = answers
        .iter()
        .find(|(k, _)| !items.iter().any(|i| i.key == *k))
    {
        out.push(("checklist", format!("检查项“{k}”不在本行业的检查表中")));
    }
    let problem = answers.iter().any(|(_, a)| *a == CheckAnswer::Problem);
    if problem && findings.trim().is_empty() {
        out.push(("findings", "有检查项为“有问题”，请填写发现的问题".into()));
    }
    out
}

/// A month as typed ("2022-10", "2022年10月"): its first day.
pub fn parse_month(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim().trim_end_matches('月').replace('年', "-");
    let mut it = t.splitn(2, '-');
    let y = it.next().and_then(|y| y.trim().parse::<i32>().ok());
    let m = it.next().and_then(|m| m.trim().parse::<u32>().ok());
    match (y, m) {
        (Some(y), Some(m)) => {
            NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| "月份应为 YYYY-MM".to_string())
        }
        _ => Err("月份应为 YYYY-MM".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        // 2022-09-28 is a Wednesday.
        assert_eq!(week_of(d("2022-09-28")), (d("2022-09-26"), d("2022-10-02")));
        assert_eq!(week_of(d("2022-09-26")).0, d("2022-09-26"));
        assert_eq!(week_of(d("2022-10-02")).0, d("2022-09-26"));
        assert_eq!(
            week_label(d("2022-09-26")),
            "2022年第39周（9月26日—10月2日）"
        );
    }

    /// The week of 2022-09-26, worked by hand: four postings.
    /// - #1 (supervisor 10 at enterprise 1, all week): visited Tuesday → covered.
    /// - #2 (supervisor 10 at place 5, all week): visited by supervisor 11, not 10 → unvisited.
    /// - #3 (supervisor 11 at enterprise 2, from Thursday): visited Wednesday, before the
    ///   posting began → unvisited over Thursday–Sunday.
    /// - #4 (supervisor 12 at enterprise 3, ended the Sunday before) → owes nothing.
    /// - #5 (supervisor 12 at enterprise 4, from the coming Saturday, today is Friday) → owes
    ///   nothing yet.
    #[test]
    fn coverage_of_a_week_worked_by_hand() {
        let week = d("2022-09-26");
        let p = |id, sup, site, from: &str, to: Option<&str>| Posting {
            assignment_id: id,
            supervisor_id: sup,
            site,
            span: Span {
                starts_on: d(from),
                ends_on: to.map(d),
            },
        };
        let postings = [
            p(1, 10, Site::Enterprise(1), "2022-09-22", None),
            p(2, 10, Site::Place(5), "2022-09-22", Some("2022-10-31")),
            p(3, 11, Site::Enterprise(2), "2022-09-29", None),
            p(4, 12, Site::Enterprise(3), "2022-09-01", Some("2022-09-25")),
            p(5, 12, Site::Enterprise(4), "2022-10-01", None),
        ];
        let visits = [
            (10, Site::Enterprise(1), d("2022-09-27")),
            (11, Site::Place(5), d("2022-09-27")),
            (11, Site::Enterprise(2), d("2022-09-28")),
            // Last week's visit does not count.
            (12, Site::Enterprise(3), d("2022-09-25")),
        ];
        let out = unvisited(week, &postings, &visits, d("2022-09-30"));
        let ids: Vec<i64> = out.iter().map(|u| u.assignment_id).collect();
        assert_eq!(ids, vec![2, 3]);
        assert_eq!((out[1].from, out[1].to), (d("2022-09-29"), d("2022-10-02")));
        // A week later, #5 has begun and owes its visit too; #4 still nothing.
        let out = unvisited(d("2022-10-03"), &postings, &visits, d("2022-10-09"));
        let ids: Vec<i64> = out.iter().map(|u| u.assignment_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 5]);
    }

    #[test]
    fn a_spot_check_passes_only_when_the_supervisor_was_there_and_the_record_true() {
        assert_eq!(spot_result(true, true), SpotResult::Pass);
        assert_eq!(spot_result(false, true), SpotResult::Fail);
        assert_eq!(spot_result(true, false), SpotResult::Fail);
    }

    #[test]
    fn a_visit_answers_every_item_and_states_its_findings() {
        let items = vec![
            CheckItem {
                key: "exits".into(),
                text: "安全出口、疏散通道畅通".into(),
            },
            CheckItem {
                key: "hot_work".into(),
                text: "动火作业审批".into(),
            },
        ];
        let a = |k: &str, v| (k.to_string(), v);
        assert!(
            check_answers(
                &items,
                &[
                    a("exits", CheckAnswer::Normal),
                    a("hot_work", CheckAnswer::NotApplicable)
                ],
                ""
            )
            .is_empty()
        );
        let e = check_answers(&items, &[a("exits", CheckAnswer::Problem)], "");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].1.contains("动火作业审批"));
        assert_eq!(e[1].0, "findings");
        let e = check_answers(
            &items,
            &[
                a("exits", CheckAnswer::Problem),
                a("hot_work", CheckAnswer::Normal),
                a("ladder", CheckAnswer::Normal),
            ],
            "二楼疏散通道堆放纸箱",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].1.contains("ladder"));
    }

    #[test]
    fn months_and_spans() {
        assert_eq!(parse_month("2022-10"), Ok(d("2022-10-01")));
        assert_eq!(parse_month("2022年10月"), Ok(d("2022-10-01")));
        assert!(parse_month("2022-13").is_err());
        let s = Span {
            starts_on: d("2022-09-22"),
            ends_on: Some(d("2022-10-31")),
        };
        assert!(s.check().is_ok() && s.covers(d("2022-10-31")) && !s.covers(d("2022-11-01")));
        assert!(
            Span {
                starts_on: d("2022-09-22"),
                ends_on: Some(d("2022-09-21"))
            }
            .check()
            .is_err()
        );
    }
}
