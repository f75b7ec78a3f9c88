//! 乡村应急能力创建 imported from a sheet: the self-assessments (one row per place, year and
//! checklist item; the rows of one place and year are its self-assessment, saved like the
//! form's 保存自评, opening the year's assessment when there is none) and the county's
//! acceptances (one row per place and year, recorded like the form's 登记验收结果). Every row
//! is checked first, through the same step as the form; each bad row is reported with its
//! number and column, and with any bad row nothing is written. The template sheets carry the
//! Chinese headers and the rows to fill in.

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use chrono::Datelike;
use std::collections::HashMap;

/// The columns of a self-assessment sheet.
pub static SELF_ASSESSMENT_IMPORT: [Column; 6] = [
    Column::new("year", "年度", &["自评年度", "创建年度"]).required(),
    Column::new("township", "乡镇（街道）", &["乡镇", "街道", "乡镇名称"]).required(),
    Column::new("village", "村（社区）", &["村", "社区", "村名称"]),
    Column::new("item", "创建项目", &["项目", "标准项目", "自评项目"]).required(),
    Column::new("met", "是否达到", &["自评结果", "达到"]).required(),
    Column::new("note", "自评说明", &["说明", "备注"]),
];

/// The columns of an acceptance sheet.
pub static ACCEPTANCE_IMPORT: [Column; 7] = [
    Column::new("year", "年度", &["验收年度", "创建年度"]).required(),
    Column::new("township", "乡镇（街道）", &["乡镇", "街道", "乡镇名称"]).required(),
    Column::new("village", "村（社区）", &["村", "社区", "村名称"]),
    Column::new("result", "验收结果", &["结果"]).required(),
    Column::new("accepted_on", "验收日期", &["验收时间"]).required(),
    Column::new("inspectors", "验收人员", &["验收组", "验收组成员"]).required(),
    Column::new("remarks", "验收意见", &["意见"]),
];

fn label(spec: &[Column], key: &str) -> &'static str {
    spec.iter()
        .find(|c| c.key == key)
        .map_or("其他", |c| c.label)
}

/// 是 / 否 as a sheet says them; blank is not yet assessed.
fn met_of(v: &str) -> Result<Option<bool>, ()> {
    match v.trim() {
        "" => Ok(None),
        "是" | "达到" | "已达到" | "符合" | "有" | "√" | "✓" | "Y" | "y" => {
            Ok(Some(true))
        }
        "否" | "未达到" | "不符合" | "无" | "×" | "✗" | "N" | "n" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// The places a sheet names, resolved in the caller's scope.
struct Places {
    townships: Vec<(String, String)>,
    villages: HashMap<String, Vec<(String, String)>>,
    /// The assessments in the caller's scope, by (region code, year).
    existing: HashMap<(String, i64), Assessment>,
}

impl Places {
    fn load(app: &App, caller: &Caller) -> Result<Self> {
        let existing = app
            .all_assessments(caller, &AssessmentFilter::default())?
            .into_iter()
            .map(|a| ((a.region_code.clone(), a.year), a))
            .collect();
        Ok(Places {
            townships: app.townships(caller)?,
            villages: HashMap::new(),
            existing,
        })
    }

    /// The region code of the township (and village) named, or the message for the row.
    fn find(
        &mut self,
        app: &App,
        caller: &Caller,
        township: &str,
        village: &str,
    ) -> Result<Result<String, String>> {
        let Some((code, name)) = self
            .townships
            .iter()
            .find(|(c, n)| n == township || c == township)
            .cloned()
        else {
            return Ok(Err(format!(
                "乡镇（街道）：未找到“{township}”或不在您的管辖范围内"
            )));
        };
        if village.is_empty() {
            return Ok(Ok(code));
        }
        if !self.villages.contains_key(&code) {
            let list = app
                .list_regions(caller, Some(&code), Some("village"))?
                .into_iter()
                .filter(|r| r.level == "village")
                .map(|r| (r.code, r.name))
                .collect();
            self.villages.insert(code.clone(), list);
        }
        Ok(self
            .villages
            .get(&code)
            .and_then(|vs| vs.iter().find(|(c, n)| n == village || c == village))
            .map(|(c, _)| c.clone())
            .ok_or_else(|| format!("村（社区）：{name}没有“{village}”")))
    }
}

fn year_of(v: &str) -> Option<i64> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|y| y.fract() == 0.0 && (2000.0..=2100.0).contains(y))
        .map(|y| y as i64)
}

/// A refusal of a step as a row's message: the fields by column, anything else in words.
fn step_messages(
    e: AppError,
    spec: &[Column],
    row_of: impl Fn(&str) -> usize,
) -> Vec<(usize, String)> {
    match e {
        AppError::Validation(v) => v
            .fields
            .iter()
            .flat_map(|(f, ms)| {
                let key = f.rsplit('.').next().unwrap_or(f);
                let key = match key {
                    "code" => "item",
                    "region_code" => "township",
                    k => k,
                };
                let at = row_of(f);
                ms.iter()
                    .map(move |m| (at, format!("{}：{m}", label(spec, key))))
                    .collect::<Vec<_>>()
            })
            .collect(),
        e => vec![(0, e.to_string())],
    }
}

impl App {
    /// Imports self-assessments (columns of [`SELF_ASSESSMENT_IMPORT`]): a township for
    /// itself and its villages, the 安委办 for any. Nothing is written if any row is bad.
    pub fn import_capability_self_assessments(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        if !Self::may_open_capability_assessments(caller) {
            return Err(caller.refuse("导入能力创建自评"));
        }
        let spec = &SELF_ASSESSMENT_IMPORT;
        let map = map_columns(t, spec, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut places = Places::load(self, caller)?;
        // Rows grouped by place and year, in the order each first appears.
        type Group = (Vec<String>, Vec<(usize, Vec<String>)>);
        let mut groups: Vec<Group> = Vec::new();
        for (rownum, cells) in map.rows(t) {
            let key: Vec<String> = ["year", "township", "village"]
                .iter()
                .map(|k| map.get(cells, k))
                .collect();
            if key.iter().all(String::is_empty) && map.get(cells, "item").is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, rows)) => rows.push((*rownum, cells.clone())),
                None => groups.push((key, vec![(*rownum, cells.clone())])),
            }
        }
        let mut ok: Vec<Assessment> = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        let mut seen: HashMap<(String, i64), usize> = HashMap::new();
        for (key, rows) in &groups {
            let mut msgs: Vec<Vec<String>> = vec![Vec::new(); rows.len()];
            let year = year_of(&key[0]);
            if year.is_none() {
                msgs[0].push(format!("{}：应为年份（如2022）", label(spec, "year")));
            }
            let place = match places.find(self, caller, &key[1], &key[2])? {
                Ok(c) => Some(c),
                Err(m) => {
                    msgs[0].push(m);
                    None
                }
            };
            if let (Some(code), Some(y)) = (&place, year) {
                let first = rows.first().map_or(0, |r| r.0);
                if let Some(r) = seen.insert((code.clone(), y), first) {
                    msgs[0].push(format!("与第{r}行是同一乡镇（村）同一年度的自评"));
                }
                let before = match places.existing.get(&(code.clone(), y)) {
                    Some(a) => Ok(a.clone()),
                    None => self.new_capability_assessment(
                        caller,
                        &AssessmentInput {
                            region_code: code.clone(),
                            year: y,
                        },
                    ),
                };
                match before {
                    Err(e) => {
                        for (_, m) in step_messages(e, spec, |_| 0) {
                            msgs[0].push(m);
                        }
                    }
                    Ok(before) => {
                        // Each row answers one item; the answers are the form's.
                        let mut answers = Vec::new();
                        let mut answer_row = Vec::new();
                        for (k, (_, cells)) in rows.iter().enumerate() {
                            let typed = map.get(cells, "item");
                            let Some(it) = before
                                .items
                                .iter()
                                .find(|i| i.name == typed || i.code == typed)
                            else {
                                msgs[k].push(format!(
                                    "{}：{}的创建标准中没有“{typed}”",
                                    label(spec, "item"),
                                    before.level.checklist_name()
                                ));
                                continue;
                            };
                            if answers.iter().any(|a: &ItemAnswer| a.code == it.code) {
                                msgs[k].push(format!(
                                    "{}：“{}”重复填写",
                                    label(spec, "item"),
                                    it.name
                                ));
                                continue;
                            }
                            let met = match met_of(&map.get(cells, "met")) {
                                Ok(m) => m,
                                Err(()) => {
                                    msgs[k].push(format!(
                                        "{}：应为“是”或“否”，实为“{}”",
                                        label(spec, "met"),
                                        map.get(cells, "met")
                                    ));
                                    None
                                }
                            };
                            answers.push(ItemAnswer {
                                code: it.code.clone(),
                                met,
                                note: map.get(cells, "note"),
                            });
                            answer_row.push(k);
                        }
                        let input = CapabilityActionInput {
                            action: CapabilityAction::Save.as_str().into(),
                            version: before.version,
                            items: answers,
                            ..CapabilityActionInput::default()
                        };
                        match self.capability_next(caller, &before, &input) {
                            Ok((a, _)) => {
                                if msgs.iter().all(Vec::is_empty) {
                                    ok.push(a);
                                }
                            }
                            Err(e) => {
                                let row_of = |f: &str| {
                                    f.strip_prefix("items[")
                                        .and_then(|r| r.split_once(']'))
                                        .and_then(|(n, _)| n.parse::<usize>().ok())
                                        .and_then(|n| answer_row.get(n).copied())
                                        .unwrap_or(0)
                                };
                                for (at, m) in step_messages(e, spec, row_of) {
                                    msgs[at].push(m);
                                }
                            }
                        }
                    }
                }
            }
            if msgs.iter().any(|m| !m.is_empty()) {
                let first_bad = rows
                    .iter()
                    .zip(&msgs)
                    .find(|(_, m)| !m.is_empty())
                    .map_or(0, |((r, _), _)| *r);
                for ((rownum, _), m) in rows.iter().zip(msgs) {
                    let m = if m.is_empty() {
                        vec![format!("同一份自评的第{first_bad}行有误，整份未导入")]
                    } else {
                        m
                    };
                    bad.push(*rownum, || m);
                }
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            let list: Vec<(Assessment, &str)> = ok.into_iter().map(|a| (a, "save")).collect();
            let mut scope = caller.scope.clone();
            scope.writable = true;
            Ok(self
                .store
                .import_capability_assessments(&caller.change(&scope, self), &list)?)
        })
    }

    /// Imports the county's acceptances (columns of [`ACCEPTANCE_IMPORT`]; 安委办): each row
    /// accepts a submitted assessment. Nothing is written if any row is bad.
    pub fn import_capability_acceptances(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        if !caller.can(Permission::DecideAsCountyOffice) || !caller.scope.writable {
            return Err(caller.refuse("导入能力创建验收结果"));
        }
        let spec = &ACCEPTANCE_IMPORT;
        let map = map_columns(t, spec, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut places = Places::load(self, caller)?;
        let mut ok: Vec<Assessment> = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        let mut seen: HashMap<(String, i64), usize> = HashMap::new();
        for (rownum, cells) in map.rows(t) {
            let get = |k: &str| map.get(cells, k);
            if ACCEPTANCE_IMPORT.iter().all(|c| get(c.key).is_empty()) {
                continue;
            }
            let mut msgs = Vec::new();
            let year = year_of(&get("year"));
            if year.is_none() {
                msgs.push(format!("{}：应为年份（如2022）", label(spec, "year")));
            }
            let result = match get("result").trim() {
                "达标" | "合格" | "通过" | "pass" => Some("pass".to_string()),
                "未达标" | "不合格" | "不通过" | "fail" => Some("fail".to_string()),
                "" => None,
                other => {
                    msgs.push(format!(
                        "{}：应为“达标”或“未达标”，实为“{other}”",
                        label(spec, "result")
                    ));
                    None
                }
            };
            let place = match places.find(self, caller, &get("township"), &get("village"))? {
                Ok(c) => Some(c),
                Err(m) => {
                    msgs.push(m);
                    None
                }
            };
            if let (Some(code), Some(y)) = (place, year) {
                if let Some(r) = seen.insert((code.clone(), y), *rownum) {
                    msgs.push(format!("与第{r}行是同一乡镇（村）同一年度的验收"));
                }
                match places.existing.get(&(code, y)) {
                    None => msgs.push(format!(
                        "{}：该乡镇（村）{y}年度没有自评记录",
                        label(spec, "township")
                    )),
                    Some(before) => {
                        let input = CapabilityActionInput {
                            action: CapabilityAction::Accept.as_str().into(),
                            version: before.version,
                            result,
                            accepted_on: Some(get("accepted_on")),
                            inspectors: Some(get("inspectors")),
                            remarks: Some(get("remarks")),
                            ..CapabilityActionInput::default()
                        };
                        let already_said =
                            msgs.iter().any(|m| m.starts_with(label(spec, "result")));
                        match self.capability_next(caller, before, &input) {
                            Ok((a, _)) => {
                                if msgs.is_empty() {
                                    ok.push(a);
                                }
                            }
                            Err(e) => {
                                for (_, m) in step_messages(e, spec, |_| 0) {
                                    if already_said && m.starts_with(label(spec, "result")) {
                                        continue;
                                    }
                                    msgs.push(m);
                                }
                            }
                        }
                    }
                }
            }
            if !msgs.is_empty() {
                bad.push(*rownum, || msgs);
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            let list: Vec<(Assessment, &str)> = ok.into_iter().map(|a| (a, "accept")).collect();
            Ok(self
                .store
                .import_capability_assessments(&caller.change(&caller.scope, self), &list)?)
        })
    }

    /// The self-assessment sheet to fill in: a row per township in the caller's scope and
    /// item of the township checklist, for this year (villages' rows are added the same way).
    pub fn capability_self_assessment_sheet(&self, caller: &Caller) -> Result<Vec<u8>> {
        if !Self::may_open_capability_assessments(caller) {
            return Err(caller.refuse("导入能力创建自评"));
        }
        let year = self.clock.today().year().to_string();
        let items: Vec<CapabilityItem> = self
            .store
            .list_capability_items()?
            .into_iter()
            .filter(|i| i.level == Level::Township && i.active)
            .collect();
        let mut rows = Vec::new();
        for (_, township) in self.townships(caller)? {
            for it in &items {
                rows.push(vec![
                    year.clone(),
                    township.clone(),
                    String::new(),
                    it.name.clone(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        let headers: Vec<&str> = SELF_ASSESSMENT_IMPORT.iter().map(|c| c.label).collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "能力创建自评",
            &headers,
            &[8.0, 16.0, 16.0, 16.0, 10.0, 40.0],
            &rows,
        )
    }

    /// The acceptance sheet to fill in: a row per assessment awaiting acceptance.
    pub fn capability_acceptance_sheet(&self, caller: &Caller) -> Result<Vec<u8>> {
        if !caller.can(Permission::DecideAsCountyOffice) {
            return Err(caller.refuse("导入能力创建验收结果"));
        }
        let f = AssessmentFilter {
            status: Some(anjian_domain::capability::CapabilityState::Submitted),
            ..AssessmentFilter::default()
        };
        let list = self.all_assessments(caller, &f)?;
        let names = self.place_names(caller, &list)?;
        let name = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|a| {
                vec![
                    a.year.to_string(),
                    name(&a.township_code),
                    if a.level == Level::Village {
                        name(&a.region_code)
                    } else {
                        String::new()
                    },
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect();
        let headers: Vec<&str> = ACCEPTANCE_IMPORT.iter().map(|c| c.label).collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "能力创建验收",
            &headers,
            &[8.0, 16.0, 16.0, 10.0, 12.0, 20.0, 40.0],
            &rows,
        )
    }
}
