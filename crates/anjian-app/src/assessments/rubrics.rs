//! Rubrics: saved by the 安委办 (each item checked against the metric catalogue), copied
//! from last year, and exchanged as Excel sheets (the export's columns are the import's).

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use anjian_domain::assessment::{Direction, Formula};
use anjian_store::stats::Metric;

/// One item of a rubric as typed: codes as text (a bad code is a field message, not a
/// refused body), the formula's numbers beside the item's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricItemInput {
    pub title: String,
    pub points: f64,
    /// `computed` (按指标计算) or `manual` (人工评分).
    pub method: String,
    /// The catalogue metric (its id or its name); for a rate, the numerator.
    #[serde(default)]
    pub metric: String,
    /// For a rate: the metric counting all the records (the denominator).
    #[serde(default)]
    pub of: String,
    /// `at_least` (不低于) or `at_most` (不高于).
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub target: Option<f64>,
    /// Points deducted per unit missed (per percentage point for a rate).
    #[serde(default)]
    pub per: Option<f64>,
    /// At most this many points deducted (the item's points when empty).
    #[serde(default)]
    pub cap: Option<f64>,
    #[serde(default)]
    pub standard: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricInput {
    pub year: i64,
    /// `township` (乡镇) or `department` (市直部门).
    pub unit_kind: String,
    pub title: String,
    pub items: Vec<RubricItemInput>,
    /// The version read, to save a new version of an existing rubric.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Copies a rubric into another year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricCopy {
    pub year: i64,
}

/// A rubric with its items in words, for pages and the Excel sheet.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RubricView {
    #[serde(flatten)]
    pub rubric: Rubric,
    pub unit_kind_label: String,
    pub total_points: f64,
    pub lines: Vec<RubricLine>,
    /// Whether an approved evaluation fixes it.
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RubricLine {
    pub no: usize,
    pub title: String,
    pub points: f64,
    pub method_label: String,
    /// The metric's name (and the denominator's for a rate), empty for a hand-scored item.
    pub metric_label: String,
    /// The formula in words ("不高于0处，每差1处扣1分，最多扣20分").
    pub rule: String,
    pub standard: String,
}

/// The rubric sheet's columns, in order (import and export).
pub static RUBRIC_COLUMNS: [Column; 10] = [
    Column::new("title", "考核内容", &["考核项目", "项目"]).required(),
    Column::new("points", "分值", &["分数"]).required(),
    Column::new("method", "评分方式", &["方式"]).required(),
    Column::new("metric", "指标", &["统计指标", "计算指标"]),
    Column::new("of", "比率分母指标", &["分母指标"]),
    Column::new("direction", "目标方向", &["方向"]),
    Column::new("target", "目标值", &["目标"]),
    Column::new("per", "每差一个单位扣分", &["扣分标准", "每项扣分"]),
    Column::new("cap", "最多扣分", &["扣分上限"]),
    Column::new("standard", "评分标准", &["说明"]),
];

fn metric_by<'a>(cat: &'a [Metric], s: &str) -> Option<&'a Metric> {
    let s = s.trim();
    cat.iter().find(|m| m.id == s).or_else(|| {
        let mut by_label = cat.iter().filter(|m| m.label == s);
        match (by_label.next(), by_label.next()) {
            (Some(m), None) => Some(m),
            _ => None,
        }
    })
}

fn method_of(s: &str) -> Option<Method> {
    let s = s.trim();
    Method::parse(s).or_else(|| domain::METHODS.into_iter().find(|m| m.label() == s))
}

fn direction_of(s: &str) -> Option<Direction> {
    let s = s.trim();
    Direction::parse(s).or_else(|| domain::DIRECTIONS.into_iter().find(|d| d.label() == s))
}

/// Whether `part`'s records are some of `whole`'s (the catalogue's `part_of`, followed up).
pub(crate) fn is_part_of(cat: &[Metric], part: &str, whole: &str) -> bool {
    let mut at = part;
    for _ in 0..cat.len() {
        match cat.iter().find(|m| m.id == at).and_then(|m| m.part_of) {
            Some(up) if up == whole => return true,
            Some(up) => at = up,
            None => return false,
        }
    }
    false
}

/// The typed items of a rubric, or every row's messages under `items[i].field`.
pub(crate) fn rubric_items(
    cat: &[Metric],
    kind: UnitKind,
    rows: &[RubricItemInput],
) -> std::result::Result<Vec<RubricItem>, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let mut items = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let f = |name: &str| format!("items[{i}].{name}");
        let n = i + 1;
        let method = method_of(&r.method).unwrap_or_else(|| {
            e.add(
                &f("method"),
                format!("第{n}项：评分方式应为“按指标计算”或“人工评分”"),
            );
            Method::Manual
        });
        let formula = match method {
            Method::Manual => {
                if !r.metric.trim().is_empty() {
                    e.add(&f("metric"), format!("第{n}项：人工评分的项目不填写指标"));
                }
                None
            }
            Method::Computed => {
                let metric = metric_by(cat, &r.metric);
                if r.metric.trim().is_empty() {
                    e.add(&f("metric"), format!("第{n}项：按指标计算的项目请选择指标"));
                } else if metric.is_none() {
                    e.add(
                        &f("metric"),
                        format!("第{n}项：指标“{}”不存在", r.metric.trim()),
                    );
                }
                let of = (!r.of.trim().is_empty()).then(|| metric_by(cat, &r.of));
                if matches!(of, Some(None)) {
                    e.add(
                        &f("of"),
                        format!("第{n}项：分母指标“{}”不存在", r.of.trim()),
                    );
                }
                if let (Some(m), Some(Some(d))) = (metric, of)
                    && m.id != d.id
                    && !is_part_of(cat, &m.id, &d.id)
                {
                    e.add(
                        &f("of"),
                        format!(
                            "第{n}项：比率须为同一批记录中的占比，“{}”不是“{}”的一部分",
                            m.label, d.label
                        ),
                    );
                }
                if kind == UnitKind::Department {
                    for m in [metric, of.flatten()].into_iter().flatten() {
                        if !m.source.carries_department() {
                            e.add(
                                &f("metric"),
                                format!("第{n}项：指标“{}”不按部门统计，不能用于部门考核", m.label),
                            );
                        }
                    }
                }
                let direction = direction_of(&r.direction).unwrap_or_else(|| {
                    e.add(
                        &f("direction"),
                        format!("第{n}项：目标方向应为“不低于”或“不高于”"),
                    );
                    Direction::AtLeast
                });
                let need = |v: Option<f64>, field: &str, what: &str, e: &mut ValidationErrors| {
                    v.unwrap_or_else(|| {
                        e.add(&f(field), format!("第{n}项：请填写{what}"));
                        -1.0
                    })
                };
                let target = need(r.target, "target", "目标值", &mut e);
                let per = need(r.per, "per", "每差一个单位扣的分", &mut e);
                Some(Formula {
                    metric: metric
                        .map(|m| m.id.clone())
                        .unwrap_or_else(|| r.metric.trim().to_string()),
                    of: of.map(|d| {
                        d.map(|d| d.id.clone())
                            .unwrap_or_else(|| r.of.trim().to_string())
                    }),
                    direction,
                    target,
                    per,
                    cap: r.cap.unwrap_or(r.points),
                })
            }
        };
        items.push(RubricItem {
            title: r.title.trim().to_string(),
            points: r.points,
            method,
            formula,
            standard: r.standard.trim().to_string(),
        });
    }
    let mut checked = domain::validate_items(&items);
    // The row's own messages first; a field already refused above is not refused twice.
    for (k, v) in checked.fields.iter_mut() {
        if e.fields.contains_key(k) {
            v.clear();
        }
    }
    checked.fields.retain(|_, v| !v.is_empty());
    e.merge(checked);
    e.into_result().map(|()| items)
}

fn kind_of(s: &str) -> std::result::Result<UnitKind, ValidationErrors> {
    UnitKind::parse(s.trim())
        .or_else(|| {
            domain::UNIT_KINDS
                .into_iter()
                .find(|k| k.label() == s.trim())
        })
        .ok_or_else(|| ValidationErrors::single("unit_kind", "考核对象应为乡镇（街道）或市直部门"))
}

impl App {
    fn require_rubric_editor(&self, caller: &Caller) -> Result<()> {
        if caller.can(Permission::ConfigureCounty) {
            Ok(())
        } else {
            Err(caller.refuse("修改考核细则"))
        }
    }

    /// Saves a rubric: a new one for its year and kind, or (with `id` and `version`) a new
    /// version of an existing one, every item checked against the catalogue.
    pub fn save_rubric(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &RubricInput,
    ) -> Result<RubricView> {
        self.require_rubric_editor(caller)?;
        let county = self.assessment_county()?;
        let cat = self.metric_catalogue()?;
        let mut e = ValidationErrors::new();
        if !(2000..=2100).contains(&input.year) {
            e.add("year", "年度应为2000至2100之间的年份");
        }
        let title = input.title.trim();
        if title.is_empty() {
            e.add("title", "请填写考核细则名称");
        } else if title.chars().count() > 100 {
            e.add("title", "名称最多100字");
        }
        let kind = kind_of(&input.unit_kind).map_err(|k| e.merge(k)).ok();
        let items = rubric_items(&cat, kind.unwrap_or_default(), &input.items)
            .map_err(|k| e.merge(k))
            .ok();
        let before = match id {
            Some(id) => Some(self.store.get_rubric(county.as_str(), id)?),
            None => None,
        };
        if let (Some(b), Some(k)) = (&before, kind)
            && (b.year != input.year || b.unit_kind != k)
        {
            e.add(
                "year",
                "修改考核细则不能改变年度和考核对象，如需其他年度请复制",
            );
        }
        e.into_result()?;
        let (Some(kind), Some(items)) = (kind, items) else {
            return Err(AppError::Internal("rubric validated without items".into()));
        };
        if before.is_none()
            && self
                .store
                .list_rubrics(county.as_str(), Some(input.year))?
                .iter()
                .any(|r| r.unit_kind == kind)
        {
            return Err(AppError::Conflict(format!(
                "{}年度{}考核细则已存在，请在原细则上修改",
                input.year,
                kind.label()
            )));
        }
        self.refuse_fixed(before.as_ref())?;
        let r = Rubric {
            id: before.as_ref().map_or(0, |b| b.id),
            county_code: county.as_str().to_string(),
            year: input.year,
            unit_kind: kind,
            title: title.to_string(),
            items,
            version: input
                .version
                .or(before.as_ref().map(|b| b.version))
                .unwrap_or(1),
            ..Default::default()
        };
        let saved = self
            .store
            .save_rubric(&caller.change(&caller.scope, self), &r)?;
        self.rubric_view(saved, &cat)
    }

    fn refuse_fixed(&self, r: Option<&Rubric>) -> Result<()> {
        if let Some(r) = r
            && self.rubric_fixed(r)?
        {
            return Err(AppError::Conflict(
                "该考核细则已有审定的考核结果，不能再修改".into(),
            ));
        }
        Ok(())
    }

    fn rubric_fixed(&self, r: &Rubric) -> Result<bool> {
        Ok(self
            .store
            .list_assessments(&r.county_code, Some(r.year))?
            .iter()
            .any(|a| a.rubric_id == r.id && a.status == domain::EvaluationState::Approved))
    }

    pub(crate) fn rubric_view(&self, rubric: Rubric, cat: &[Metric]) -> Result<RubricView> {
        let label = |id: &str| {
            cat.iter()
                .find(|m| m.id == id)
                .map_or_else(|| id.to_string(), |m| m.label.clone())
        };
        let unit = |id: &str| {
            cat.iter()
                .find(|m| m.id == id)
                .map_or("", |m| m.unit.as_str())
                .to_string()
        };
        let lines = rubric
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| RubricLine {
                no: i + 1,
                title: it.title.clone(),
                points: it.points,
                method_label: it.method.label().to_string(),
                metric_label: it
                    .formula
                    .as_ref()
                    .map_or_else(String::new, |f| match &f.of {
                        Some(of) => format!("{} ÷ {}", label(&f.metric), label(of)),
                        None => label(&f.metric),
                    }),
                rule: it
                    .formula
                    .as_ref()
                    .map_or_else(String::new, |f| f.words(&unit(&f.metric))),
                standard: it.standard.clone(),
            })
            .collect();
        Ok(RubricView {
            unit_kind_label: rubric.unit_kind.label().to_string(),
            total_points: pts(rubric.items.iter().map(|i| domain::centi(i.points)).sum()),
            lines,
            fixed: self.rubric_fixed(&rubric)?,
            rubric,
        })
    }

    /// The county's rubrics (one year's when given).
    pub fn rubrics(&self, caller: &Caller, year: Option<i64>) -> Result<Vec<RubricView>> {
        self.require_assessment_reader(caller)?;
        let cat = self.metric_catalogue()?;
        self.store
            .list_rubrics(self.assessment_county()?.as_str(), year)?
            .into_iter()
            .map(|r| self.rubric_view(r, &cat))
            .collect()
    }

    pub fn rubric(&self, caller: &Caller, id: i64) -> Result<RubricView> {
        self.require_assessment_reader(caller)?;
        let r = self
            .store
            .get_rubric(self.assessment_county()?.as_str(), id)?;
        self.rubric_view(r, &self.metric_catalogue()?)
    }

    /// Copies a rubric (last year's, typically) into another year, its title's year
    /// changed.
    pub fn copy_rubric(&self, caller: &Caller, id: i64, to: &RubricCopy) -> Result<RubricView> {
        self.require_rubric_editor(caller)?;
        let from = self
            .store
            .get_rubric(self.assessment_county()?.as_str(), id)?;
        let input = RubricInput {
            year: to.year,
            unit_kind: from.unit_kind.as_str().into(),
            title: from
                .title
                .replace(&from.year.to_string(), &to.year.to_string()),
            items: from.items.iter().map(item_input).collect(),
            version: None,
        };
        self.save_rubric(caller, None, &input)
    }

    /// The rubric as an Excel sheet (the columns the import reads).
    pub fn rubric_sheet(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let v = self.rubric(caller, id)?;
        let cat = self.metric_catalogue()?;
        let label =
            |id: &str| metric_by(&cat, id).map_or_else(|| id.to_string(), |m| m.label.clone());
        let num = |v: f64| domain::centi_text(domain::centi(v));
        let rows: Vec<Vec<String>> = v
            .rubric
            .items
            .iter()
            .map(|it| {
                let f = it.formula.as_ref();
                vec![
                    it.title.clone(),
                    num(it.points),
                    it.method.label().to_string(),
                    f.map_or_else(String::new, |f| label(&f.metric)),
                    f.and_then(|f| f.of.as_deref())
                        .map_or_else(String::new, label),
                    f.map_or_else(String::new, |f| f.direction.label().to_string()),
                    f.map_or_else(String::new, |f| num(f.target)),
                    f.map_or_else(String::new, |f| num(f.per)),
                    f.map_or_else(String::new, |f| num(f.cap)),
                    it.standard.clone(),
                ]
            })
            .collect();
        let headers: Vec<&str> = RUBRIC_COLUMNS.iter().map(|c| c.label).collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &v.rubric.title,
            &headers,
            &[30.0, 8.0, 12.0, 26.0, 20.0, 10.0, 10.0, 14.0, 10.0, 40.0],
            &rows,
        )
    }

    /// A blank rubric sheet: the columns the import reads (评分方式 按指标计算 or 人工评分;
    /// 指标 by its name in the catalogue), one row per item to fill in.
    pub fn rubric_template_sheet(&self, caller: &Caller) -> Result<Vec<u8>> {
        self.require_rubric_editor(caller)?;
        let headers: Vec<&str> = RUBRIC_COLUMNS.iter().map(|c| c.label).collect();
        let rows: Vec<Vec<String>> = Vec::new();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "考核细则",
            &headers,
            &[30.0, 8.0, 12.0, 26.0, 20.0, 10.0, 10.0, 14.0, 10.0, 40.0],
            &rows,
        )
    }

    /// Imports a rubric's items from a sheet into the year's rubric of the kind (a new
    /// version when it exists). Every row is checked first and each bad row reported; a
    /// rubric is whole, so with any bad row nothing is written.
    pub fn import_rubric(
        &self,
        caller: &Caller,
        year: i64,
        unit_kind: &str,
        title: Option<&str>,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        self.require_rubric_editor(caller)?;
        let kind = kind_of(unit_kind)?;
        let county = self.assessment_county()?;
        let cat = self.metric_catalogue()?;
        let map = map_columns(t, &RUBRIC_COLUMNS, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut bad = RowErrors::new(limits.max_errors);
        let mut ok = Vec::new();
        for (rownum, cells) in map.rows(t) {
            let get = |k: &str| map.get(cells, k);
            let mut pre = ValidationErrors::new();
            let mut number = |k: &str, what: &str| -> Option<f64> {
                let v = get(k).replace(',', "");
                if v.trim().is_empty() {
                    return None;
                }
                match v.trim().trim_end_matches('%').parse::<f64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        pre.add(k, format!("{what}应为数字，实为“{v}”"));
                        None
                    }
                }
            };
            let input = RubricItemInput {
                title: get("title"),
                points: number("points", "分值").unwrap_or(-1.0),
                method: get("method"),
                metric: get("metric"),
                of: get("of"),
                direction: get("direction"),
                target: number("target", "目标值"),
                per: number("per", "每差一个单位扣分"),
                cap: number("cap", "最多扣分"),
                standard: get("standard"),
            };
            let mut errors = match rubric_items(&cat, kind, std::slice::from_ref(&input)) {
                Ok(items) if pre.is_empty() => {
                    ok.push((input, items));
                    continue;
                }
                Ok(_) => ValidationErrors::new(),
                Err(e) => e,
            };
            errors.merge(pre);
            bad.push(*rownum, || {
                errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let key = f.rsplit('.').next().unwrap_or(f);
                        let label = RUBRIC_COLUMNS
                            .iter()
                            .find(|c| c.key == key)
                            .map_or("其他", |c| c.label);
                        // Row messages say 第1项; the sheet's row number says which.
                        m.iter()
                            .map(move |m| format!("{label}：{}", m.trim_start_matches("第1项：")))
                    })
                    .collect()
            });
        }
        let existing = self
            .store
            .list_rubrics(county.as_str(), Some(year))?
            .into_iter()
            .find(|r| r.unit_kind == kind);
        ImportReport::finish(map.total(t), ok, bad, &map, false, |ok| {
            let n = ok.len();
            let input = RubricInput {
                year,
                unit_kind: kind.as_str().into(),
                title: title
                    .map(str::to_string)
                    .or_else(|| existing.as_ref().map(|r| r.title.clone()))
                    .unwrap_or_else(|| format!("{year}年度{}安全生产工作考核细则", kind.label())),
                items: ok.into_iter().map(|(i, _)| i).collect(),
                version: existing.as_ref().map(|r| r.version),
            };
            self.save_rubric(caller, existing.as_ref().map(|r| r.id), &input)?;
            Ok(n)
        })
    }
}

/// A stored item as typed input (for copying).
pub(crate) fn item_input(it: &RubricItem) -> RubricItemInput {
    let f = it.formula.as_ref();
    RubricItemInput {
        title: it.title.clone(),
        points: it.points,
        method: it.method.as_str().into(),
        metric: f.map_or_else(String::new, |f| f.metric.clone()),
        of: f.and_then(|f| f.of.clone()).unwrap_or_default(),
        direction: f.map_or_else(String::new, |f| f.direction.as_str().into()),
        target: f.map(|f| f.target),
        per: f.map(|f| f.per),
        cap: f.map(|f| f.cap),
        standard: it.standard.clone(),
    }
}
