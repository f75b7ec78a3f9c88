//! The plan's form, shared by a new draft (the list page) and a revised one (the plan's
//! page): its lines and key enterprises are tables of rows (`ui::rows`), every number is
//! read or refused with its row and column named, and key enterprises are picked by name or
//! 统一社会信用代码 (`App::resolve_enterprise`) instead of typed record numbers.

use super::super::rows::{self, Table};
use super::super::{FieldErrors, Kept, Numbers, refusal};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::plans::{PlanInput, PlanLine, PlanRevision};
use anjian_app::records::organisation::Department;
use anjian_domain::plan::PlanCategory;

/// The plan's lines: inspections planned by sector, category and month.
pub(super) const LINES: Table = Table {
    name: "lines",
    caption: "计划",
    columns: &[
        ("sector", "行业领域"),
        ("category", "类别"),
        ("month", "月份"),
        ("planned", "计划检查数"),
    ],
};

/// The key enterprises, one picker per row.
pub(super) const KEYS: Table = Table {
    name: "keys",
    caption: "重点企业",
    columns: &[("enterprise", "企业")],
};

/// Blank rows of a fresh form.
const FRESH_LINES: usize = 4;
const FRESH_KEYS: usize = 2;

/// What the plan form shows: where it goes, what can be chosen, and the values (fresh,
/// filled in from the plan, or as typed).
pub(super) struct PlanForm {
    /// `/plans` or `/plans/{id}/revise`.
    pub action: String,
    /// The sectors the lines choose from: (code, name).
    pub sectors: Vec<(String, String)>,
    /// The departments a caller who acts for any department drafts for (empty: their own,
    /// or the plan's when revising).
    pub departments: Vec<(i64, String)>,
    /// The year of a new plan (a default), or the revised plan's (fixed).
    pub year: i32,
    pub revising: bool,
    /// The revised plan's version (hidden).
    pub version: i64,
    pub kept: Kept,
}

impl PlanForm {
    pub fn categories(&self) -> [(&'static str, &'static str); 2] {
        [PlanCategory::Key, PlanCategory::General].map(|c| (c.as_str(), c.label()))
    }
    pub fn months(&self) -> std::ops::RangeInclusive<u32> {
        1..=12
    }
    /// Row `i`'s month as typed when it is none of the twelve (kept, to be corrected).
    pub fn odd_month(&self, i: impl std::borrow::Borrow<usize>) -> String {
        let m = self.kept.nth("lines.month", i);
        match m.parse::<u32>() {
            Ok(n) if (1..=12).contains(&n) && m == n.to_string() => String::new(),
            _ => m,
        }
    }
    pub fn line_rows(&self) -> std::ops::Range<usize> {
        self.kept.rows("lines.sector", FRESH_LINES)
    }
    pub fn key_rows(&self) -> std::ops::Range<usize> {
        self.kept.rows("keys.enterprise", FRESH_KEYS)
    }
}

/// The sectors a plan's lines may name, by name: the caller's own department's, or for a
/// caller who acts for any department, those of every department with supervision duty.
pub(super) fn sector_choices(
    pc: &PageCaller,
    deps: &[Department],
    names: &[(String, String)],
) -> Vec<(String, String)> {
    let own = pc.caller.bound_department();
    let codes: Vec<&str> = deps
        .iter()
        .filter(|d| match own {
            Some(id) => d.id == id,
            None => d.has_supervision_duty,
        })
        .flat_map(|d| d.sectors.iter().map(|s| s.sector_code.as_str()))
        .collect();
    names
        .iter()
        .filter(|(c, _)| codes.is_empty() || codes.contains(&c.as_str()))
        .cloned()
        .collect()
}

/// A plan's values as the form's pairs (for revising it), with one blank line to add to.
pub(super) fn pairs_of(plan: &anjian_app::records::plans::Plan, keys: &[String]) -> FormPairs {
    let mut p: Vec<(String, String)> = vec![
        ("title".into(), plan.title.clone()),
        (
            "random_share_percent".into(),
            plan.random_share_percent.to_string(),
        ),
    ];
    let blank = ["", "", "", ""];
    for l in plan
        .lines
        .iter()
        .map(|l| {
            [
                l.sector.clone(),
                l.category.as_str().to_string(),
                l.month.to_string(),
                l.planned.to_string(),
            ]
        })
        .chain(std::iter::once(blank.map(String::from)))
    {
        for ((c, _), v) in LINES.columns.iter().zip(l) {
            p.push((LINES.input(c), v));
        }
    }
    for k in keys.iter().map(String::as_str).chain(std::iter::once("")) {
        p.push((KEYS.input("enterprise"), k.to_string()));
    }
    FormPairs(p)
}

/// The lines filled in, read, and the place on the page of each; a cell that does not read is
/// refused with its row and column named, never taken as 0.
fn read_lines(form: &FormPairs, e: &mut FieldErrors) -> (Vec<PlanLine>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut places = Vec::new();
    for r in LINES.filled(form) {
        let i = r.index;
        let (sector, category, month, planned) = (r.cell(0), r.cell(1), r.cell(2), r.cell(3));
        if sector.is_empty() {
            LINES.refuse(e, i, "sector", "未选择");
        }
        if PlanCategory::parse(category).is_none() {
            LINES.refuse(e, i, "category", "应选择重点检查或一般检查");
        }
        let month = match month.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => m,
            _ if month.is_empty() => {
                LINES.refuse(e, i, "month", "未选择");
                0
            }
            _ => {
                LINES.refuse(e, i, "month", &format!("“{month}”不对，应为1至12月"));
                0
            }
        };
        let planned = match planned.parse::<u32>() {
            Ok(n) => n,
            Err(_) if planned.is_empty() => {
                LINES.refuse(e, i, "planned", "未填写");
                0
            }
            Err(_) => {
                LINES.refuse(
                    e,
                    i,
                    "planned",
                    &format!("“{planned}”不对，应为不小于0的整数（次）"),
                );
                0
            }
        };
        lines.push(PlanLine {
            sector: sector.to_string(),
            category: category.to_string(),
            month,
            planned,
        });
        places.push(i);
    }
    (lines, places)
}

/// What a submitted plan form asks for.
pub(super) enum Outcome {
    /// A row added or removed: the form to show again, nothing saved.
    Edited(FormPairs),
    Saved(i64),
    Refused(FieldErrors),
}

/// Reads the form and saves the plan: a new draft (`revise` = `None`) or a new version of
/// draft `revise`.
pub(super) async fn submit(
    state: &AppState,
    pc: &PageCaller,
    form: &FormPairs,
    revise: Option<i64>,
) -> Result<Outcome, PageError> {
    if !form.get("_propose").is_empty() {
        return propose(state, pc, form).await;
    }
    if let Some(again) = rows::edit(form, &[&LINES, &KEYS]) {
        return Ok(Outcome::Edited(again));
    }
    let mut n = Numbers::new(form);
    let year = n.int("year", "年度");
    let share = n.int("random_share_percent", "随机抽查比例");
    let department_id = n.int("department_id", "编制部门");
    let version = n.int("version", "版本");
    let mut errors = n.errors;
    let (lines, places) = read_lines(form, &mut errors);
    let keys = KEYS.filled(form);
    let title = form.get("title");
    let caller = pc.caller.clone();
    let outcome = blocking(state, move |app| {
        let mut ids = Vec::new();
        for k in &keys {
            match app.resolve_enterprise(&caller, k.cell(0))? {
                Ok(Some(id)) => ids.push(id),
                Ok(None) => {}
                Err(m) => KEYS.refuse(&mut errors, k.index, "enterprise", &format!("：{m}")),
            }
        }
        // A department has one plan a year: an existing one is revised on its own page
        // (the use case would take the new form as a revision of it).
        if revise.is_none()
            && let Some(y) = year
        {
            let dep = department_id.or(caller.user.department_id);
            if app
                .plans(&caller, Some(y))?
                .iter()
                .any(|p| Some(p.department_id) == dep)
            {
                errors.add(
                    "year",
                    format!("该部门{y}年度的执法计划已经编制，请打开该计划修改"),
                );
            }
        }
        if !errors.is_empty() {
            return Ok(Outcome::Refused(errors));
        }
        // An empty share is refused by the use case, which names it.
        let share = share.unwrap_or(-1);
        let saved = match revise {
            None => app.save_plan(
                &caller,
                &PlanInput {
                    department_id,
                    year: year.unwrap_or_default(),
                    title,
                    lines,
                    key_enterprise_ids: ids,
                    random_share_percent: share,
                    version: None,
                },
            ),
            Some(id) => app.revise_plan(
                &caller,
                id,
                &PlanRevision {
                    title,
                    lines,
                    key_enterprise_ids: ids,
                    random_share_percent: share,
                    version: version.unwrap_or_default(),
                },
            ),
        };
        Ok(match saved {
            Ok(p) => Outcome::Saved(p.id),
            Err(e) => Outcome::Refused(LINES.place(refusal(e)?, &places)),
        })
    })
    .await?;
    Ok(outcome)
}

/// "按风险等级生成建议": the form again with its lines and key enterprises filled from the
/// enterprises' risk grades and the county's inspection frequencies (nothing saved; the user
/// edits them before saving). A refusal (no department) is the form's message.
async fn propose(
    state: &AppState,
    pc: &PageCaller,
    form: &FormPairs,
) -> Result<Outcome, PageError> {
    let mut n = Numbers::new(form);
    let department_id = n.int("department_id", "编制部门");
    if !n.errors.is_empty() {
        return Ok(Outcome::Refused(n.errors));
    }
    let caller = pc.caller.clone();
    let proposal = blocking(state, move |app| {
        Ok(app.risk_steering_plan_proposal(&caller, department_id))
    })
    .await?;
    let p = match proposal {
        Ok(p) => p,
        Err(e) => return Ok(Outcome::Refused(refusal(e)?)),
    };
    let names: std::collections::HashMap<i64, String> = p
        .enterprises
        .iter()
        .map(|g| (g.enterprise_id, g.name.clone()))
        .collect();
    let mut pairs: Vec<(String, String)> = form
        .0
        .iter()
        .filter(|(k, _)| {
            (!k.starts_with("lines.") && !k.starts_with("keys.") && !k.starts_with('_'))
                || k == "_csrf"
        })
        .cloned()
        .collect();
    let blank = || ["", "", "", ""].map(String::from);
    for l in p
        .lines
        .iter()
        .map(|l| {
            [
                l.sector.clone(),
                l.category.clone(),
                l.month.to_string(),
                l.planned.to_string(),
            ]
        })
        .chain(std::iter::once(blank()))
    {
        for ((c, _), v) in LINES.columns.iter().zip(l) {
            pairs.push((LINES.input(c), v));
        }
    }
    for k in p
        .key_enterprise_ids
        .iter()
        .filter_map(|id| names.get(id).cloned())
        .chain(std::iter::once(String::new()))
    {
        pairs.push((KEYS.input("enterprise"), k));
    }
    Ok(Outcome::Edited(FormPairs(pairs)))
}
