//! Evaluations: started by the 安委办 for a rubric and a round, read as a ranking and per
//! unit, each deduction opened to its records, approved (frozen), and recomputed against
//! the frozen results.

use super::*;
use anjian_domain::assessment::{
    EvaluationAction, EvaluationFacts, EvaluationFlow, EvaluationState,
};
use anjian_domain::workflow::{offered, transition};
use anjian_store::assessments::{FrozenItem, NewUnit, RecordRef};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    pub rubric_id: i64,
    /// `half` (上半年) or `year` (全年).
    pub round: String,
}

/// A unit's results with its total (hundredths) and rank.
pub(crate) type Ranked = (Calc, i64, usize);

/// One item of a unit's results.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ItemScore {
    /// The item's number in the rubric (第N项, from 1), as the item paths name it.
    pub item: i64,
    pub title: String,
    pub points: f64,
    pub method: Method,
    /// The formula in words; the scoring standard for a hand-scored item.
    pub rule: String,
    /// What was measured, in words ("13处", "87.68%（185/211）"; "—" when nothing).
    pub value_text: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub deduction: f64,
    /// `None` while a hand-scored item awaits its score.
    pub score: Option<f64>,
    /// How the score was given: 按指标计算, the scorer (姓名（单位）), or the accepted objection.
    pub scored_by: String,
    pub note: String,
    /// A computed item's deduction opens to the records behind it (the item's page).
    pub opens: bool,
    /// How many records are behind the deduction, once frozen (a draft's are listed on
    /// the item's page as they stand).
    pub records: Option<usize>,
}

/// One unit's line of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitLine {
    pub unit_id: i64,
    pub unit_name: String,
    pub total: f64,
    pub rank: usize,
    /// Each item's score (`None`: not yet scored).
    pub scores: Vec<Option<f64>>,
    pub unscored: usize,
}

/// An evaluation: its rubric's items and the ranking of the units the caller sees.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EvaluationView {
    #[serde(flatten)]
    pub assessment: Assessment,
    pub period: String,
    pub period_name: String,
    pub round_label: String,
    pub status_label: String,
    pub unit_kind_label: String,
    pub items: Vec<RubricItem>,
    /// How many units were evaluated (a unit's rank is among all of them).
    pub unit_count: usize,
    pub units: Vec<UnitLine>,
    /// Hand-scored items still to score (county-wide callers only).
    pub unscored: usize,
    pub allowed_actions: Vec<&'static str>,
}

/// One unit's results, items and what it may do.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitView {
    pub assessment_id: i64,
    pub title: String,
    pub period_name: String,
    pub status: EvaluationState,
    pub unit_id: i64,
    pub unit_name: String,
    pub total: f64,
    pub rank: usize,
    pub unit_count: usize,
    pub items: Vec<ItemScore>,
    pub evidence: Vec<anjian_store::assessments::Evidence>,
    pub objections: Vec<ObjectionView>,
    /// The caller scores hand-scored items (the 安委办, while a draft).
    pub can_score: bool,
    /// The caller answers for this unit (evidence, objections).
    pub can_answer: bool,
}

/// The records behind one item's deduction for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ItemRecords {
    pub assessment_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub item: ItemScore,
    /// As frozen at approval (else as the records stand now).
    pub frozen: bool,
    pub records: Vec<RecordRef>,
    /// The metric's own drill-down page for the unit and the period.
    pub metric_link: Option<String>,
}

/// The value of an item in words.
pub(crate) fn value_text(it: &RubricItem, f: &FrozenItem, unit: &str) -> String {
    match (&it.formula, f.value) {
        (None, _) | (_, None) => "—".into(),
        (Some(x), Some(v)) if x.of.is_some() => format!(
            "{}%（{}/{}）",
            domain::centi_text(v),
            f.part.unwrap_or(0),
            f.whole.unwrap_or(0)
        ),
        (Some(_), Some(v)) => format!("{}{unit}", domain::centi_text(v)),
    }
}

impl App {
    /// Starts the evaluation of a rubric for a round (安委办): one unit per township of the
    /// county, or per department with supervision duty.
    pub fn create_assessment(
        &self,
        caller: &Caller,
        input: &AssessmentInput,
    ) -> Result<Assessment> {
        if !caller.can(Permission::DecideAsCountyOffice) {
            return Err(caller.refuse("开展考核"));
        }
        let round = Round::parse(input.round.trim())
            .ok_or_else(|| ValidationErrors::single("round", "考核期间应为上半年或全年"))?;
        let county = self.assessment_county()?;
        let rubric = self
            .store
            .get_rubric(county.as_str(), input.rubric_id)
            .map_err(|_| ValidationErrors::single("rubric_id", "考核细则不存在"))?;
        let units: Vec<NewUnit> = match rubric.unit_kind {
            UnitKind::Township => self
                .store
                .list_regions(&Scope::region(&county, false), None, Some("township"))?
                .into_iter()
                .filter(|r| r.level == "township")
                .map(|r| NewUnit {
                    region_code: r.code,
                    department_id: None,
                    unit_name: r.name,
                })
                .collect(),
            UnitKind::Department => self
                .store
                .list_departments(&Scope::system(), self.clock.today())?
                .into_iter()
                .filter(|d| {
                    d.has_supervision_duty && d.region_code.starts_with(&county.as_str()[..6])
                })
                .map(|d| NewUnit {
                    region_code: county.as_str().to_string(),
                    department_id: Some(d.id),
                    unit_name: d.name,
                })
                .collect(),
        };
        if units.is_empty() {
            return Err(ValidationErrors::single("rubric_id", "本级没有可考核的单位").into());
        }
        if self
            .store
            .list_assessments(county.as_str(), Some(rubric.year))?
            .iter()
            .any(|a| a.rubric_id == rubric.id && a.round == round)
        {
            return Err(AppError::Conflict(format!(
                "{}年{}的{}考核已经开展",
                rubric.year,
                round.label(),
                rubric.unit_kind.label()
            )));
        }
        Ok(self.store.create_assessment(
            &caller.change(&caller.scope, self),
            rubric.id,
            round,
            &units,
        )?)
    }

    /// The county's evaluations (one year's when given).
    pub fn assessments(&self, caller: &Caller, year: Option<i64>) -> Result<Vec<Assessment>> {
        self.require_assessment_reader(caller)?;
        Ok(self
            .store
            .list_assessments(self.assessment_county()?.as_str(), year)?)
    }

    /// An evaluation, its items as they apply (the frozen ones once approved).
    pub(crate) fn assessment_record(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(Assessment, Vec<RubricItem>)> {
        self.require_assessment_reader(caller)?;
        let county = self.assessment_county()?;
        let a = self.store.get_assessment(county.as_str(), id)?;
        let items = match &a.items {
            Some(items) => items.clone(),
            None => self.store.get_rubric(county.as_str(), a.rubric_id)?.items,
        };
        Ok((a, items))
    }

    /// Every unit's results (ranked among all units) and the ids of those the caller sees.
    pub(crate) fn assessment_ranked(
        &self,
        caller: &Caller,
        a: &Assessment,
        items: &[RubricItem],
    ) -> Result<(Vec<Ranked>, Vec<i64>)> {
        let system = UnitScope {
            scope: &Scope::system(),
            department: None,
        };
        let all = self.store.assessment_units(&system, a.id)?;
        let objections = self.store.list_objections(&system, Some(a.id))?;
        let calcs = self.unit_results(a, items, &all, &objections)?;
        let r = ranks(&calcs);
        let visible: Vec<i64> = self
            .store
            .assessment_units(&unit_scope(caller), a.id)?
            .iter()
            .map(|u| u.id)
            .collect();
        Ok((
            calcs
                .into_iter()
                .zip(r)
                .map(|(c, (t, k))| (c, t, k))
                .collect(),
            visible,
        ))
    }

    fn assessment_facts(
        &self,
        a: &Assessment,
        calcs: &[Ranked],
        items: &[RubricItem],
    ) -> EvaluationFacts {
        EvaluationFacts {
            state: a.status,
            unscored: calcs
                .iter()
                .flat_map(|(c, _, _)| {
                    c.unscored.iter().map(|n| {
                        format!(
                            "{}：{}",
                            c.unit.unit_name,
                            items.get(*n).map_or("", |i| i.title.as_str())
                        )
                    })
                })
                .collect(),
        }
    }

    fn assessment_actor(&self, caller: &Caller, a: &Assessment) -> anjian_domain::workflow::Actor {
        caller.actor_in_region(&a.county_code)
    }

    /// An evaluation with the ranking of the units the caller sees.
    pub fn assessment(&self, caller: &Caller, id: i64) -> Result<EvaluationView> {
        let (a, items) = self.assessment_record(caller, id)?;
        let period = period_of(&a)?;
        let (ranked, visible) = self.assessment_ranked(caller, &a, &items)?;
        let facts = self.assessment_facts(&a, &ranked, &items);
        let county_wide =
            caller.bound_department().is_none() && caller.scope.admits_region(&a.county_code);
        let mut units: Vec<UnitLine> = ranked
            .iter()
            .filter(|(c, _, _)| visible.contains(&c.unit.id))
            .map(|(c, total, rank)| UnitLine {
                unit_id: c.unit.id,
                unit_name: c.unit.unit_name.clone(),
                total: pts(*total),
                rank: *rank,
                scores: c
                    .items
                    .iter()
                    .map(|f| {
                        (!index(f.no).is_some_and(|i| c.unscored.contains(&i)))
                            .then(|| pts(f.score))
                    })
                    .collect(),
                unscored: c.unscored.len(),
            })
            .collect();
        units.sort_by(|x, y| x.rank.cmp(&y.rank).then(x.unit_id.cmp(&y.unit_id)));
        Ok(EvaluationView {
            period: period.code.clone(),
            period_name: period.name(),
            round_label: a.round.label().to_string(),
            status_label: a.status.label().to_string(),
            unit_kind_label: a.unit_kind.label().to_string(),
            unit_count: ranked.len(),
            units,
            unscored: if county_wide { facts.unscored.len() } else { 0 },
            allowed_actions: offered::<EvaluationFlow>(&facts, &self.assessment_actor(caller, &a))
                .into_iter()
                .map(|x| x.as_str())
                .collect(),
            items,
            assessment: a,
        })
    }

    /// One unit's items in full (values, deductions, scores and who gave them), evidence
    /// and objections; a unit the caller may not see answers as missing.
    pub fn assessment_unit(&self, caller: &Caller, unit_id: i64) -> Result<UnitView> {
        let (a, items, unit) = self.assessment_unit_of(caller, unit_id)?;
        let (ranked, _) = self.assessment_ranked(caller, &a, &items)?;
        let (calc, total, rank) = ranked
            .iter()
            .find(|(c, _, _)| c.unit.id == unit_id)
            .ok_or(AppError::NotFound)?;
        let system = UnitScope {
            scope: &Scope::system(),
            department: None,
        };
        let hands = self.store.hand_scores(&system, a.id)?;
        let objections = self.objection_views(caller, Some(a.id))?;
        let cat = self.metric_catalogue()?;
        let people = self.person_labels()?;
        let item_scores = self.assessment_item_scores(
            &people,
            &items,
            calc,
            &hands,
            &objections,
            &cat,
            a.status == EvaluationState::Approved,
        );
        let answers = caller.can(Permission::AnswerForOwnUnit)
            && caller.scope.writable
            && caller.scope.admits_region(&unit.region_code)
            && caller
                .bound_department()
                .is_none_or(|d| unit.department_id == Some(d));
        Ok(UnitView {
            assessment_id: a.id,
            title: a.title.clone(),
            period_name: period_of(&a)?.name(),
            status: a.status,
            unit_id,
            unit_name: unit.unit_name.clone(),
            total: pts(*total),
            rank: *rank,
            unit_count: ranked.len(),
            items: item_scores,
            evidence: self
                .store
                .assessment_evidence(&unit_scope(caller), a.id)?
                .into_iter()
                .filter(|e| e.unit_id == unit_id)
                .collect(),
            objections: objections
                .into_iter()
                .filter(|o| o.objection.unit_id == unit_id)
                .collect(),
            can_score: a.status == EvaluationState::Draft
                && caller.can(Permission::DecideAsCountyOffice),
            can_answer: answers,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn assessment_item_scores(
        &self,
        people: &std::collections::HashMap<String, String>,
        items: &[RubricItem],
        calc: &Calc,
        hands: &[anjian_store::assessments::HandScore],
        objections: &[ObjectionView],
        cat: &[anjian_store::stats::Metric],
        frozen: bool,
    ) -> Vec<ItemScore> {
        items
            .iter()
            .enumerate()
            .filter_map(|(no, it)| {
                let f = calc.items.iter().find(|f| f.no == number(no))?;
                let unit = it
                    .formula
                    .as_ref()
                    .and_then(|x| cat.iter().find(|m| m.id == x.metric))
                    .map_or("", |m| m.unit.as_str());
                let accepted = objections.iter().rev().find(|o| {
                    o.objection.unit_id == calc.unit.id
                        && o.objection.item_no == number(no)
                        && o.objection.status == domain::ObjectionState::Accepted
                });
                let hand = hands
                    .iter()
                    .find(|h| h.unit_id == calc.unit.id && h.item_no == number(no));
                let unscored = calc.unscored.contains(&no);
                let (scored_by, note) = match (accepted, hand, &it.formula) {
                    (Some(o), _, _) => (
                        format!("复核采纳（{}）", o.answered_by_name),
                        o.objection.answer.clone(),
                    ),
                    (None, Some(h), None) => {
                        (Self::person_of(people, &h.scored_by), h.note.clone())
                    }
                    (None, _, Some(_)) => ("按指标计算".into(), String::new()),
                    (None, None, None) => (String::new(), String::new()),
                };
                Some(ItemScore {
                    item: number(no),
                    title: it.title.clone(),
                    points: it.points,
                    method: it.method,
                    rule: it
                        .formula
                        .as_ref()
                        .map_or_else(|| it.standard.clone(), |x| x.words(unit)),
                    value_text: value_text(it, f, unit),
                    value: f.value.map(pts),
                    target: it.formula.as_ref().map(|_| pts(f.target)),
                    deduction: if unscored { 0.0 } else { pts(f.deduction) },
                    score: (!unscored).then(|| pts(f.score)),
                    scored_by,
                    note,
                    opens: it.formula.is_some() && f.deduction > 0,
                    records: (it.formula.is_some() && f.deduction > 0 && frozen)
                        .then_some(f.records.len()),
                })
            })
            .collect()
    }

    /// The records behind an item's deduction for a unit: as frozen at approval, else as
    /// they stand now (the metric's drill-down for the unit and the period).
    pub fn assessment_item_records(
        &self,
        caller: &Caller,
        unit_id: i64,
        item: i64,
    ) -> Result<ItemRecords> {
        let (a, items, unit) = self.assessment_unit_of(caller, unit_id)?;
        let it = index(item)
            .and_then(|n| items.get(n))
            .ok_or(AppError::NotFound)?;
        let period = period_of(&a)?;
        let mut v = self.assessment_unit(caller, unit_id)?;
        let score = v
            .items
            .iter()
            .position(|s| s.item == item)
            .map(|i| v.items.swap_remove(i))
            .ok_or(AppError::NotFound)?;
        let frozen = a.status == EvaluationState::Approved;
        let records = match (&it.formula, frozen) {
            (None, _) => Vec::new(),
            (Some(_), true) => unit
                .frozen
                .as_ref()
                .and_then(|f| f.iter().find(|f| f.no == item))
                .map(|f| f.records.clone())
                .unwrap_or_default(),
            (Some(f), false) if score.deduction > 0.0 => {
                self.deduction_records(f, &unit_filter(&unit), &period, &self.assessment_scope()?)?
            }
            (Some(_), false) => Vec::new(),
        };
        Ok(ItemRecords {
            assessment_id: a.id,
            unit_id,
            unit_name: unit.unit_name.clone(),
            frozen,
            records,
            metric_link: it.formula.as_ref().map(|f| {
                format!(
                    "/metrics/{}?{}",
                    f.of.as_deref()
                        .filter(|_| f.direction == domain::Direction::AtLeast)
                        .unwrap_or(&f.metric),
                    crate::stats::drill_query(&period, &unit_filter(&unit))
                )
            }),
            item: score,
        })
    }

    /// Approves an evaluation (安委办): every hand-scored item scored; each unit's values,
    /// scores and the records behind its deductions are frozen.
    pub fn approve_assessment(&self, caller: &Caller, id: i64, version: i64) -> Result<Assessment> {
        let (a, items) = self.assessment_record(caller, id)?;
        let system = UnitScope {
            scope: &Scope::system(),
            department: None,
        };
        let all = self.store.assessment_units(&system, a.id)?;
        let hands = self.store.hand_scores(&system, a.id)?;
        let mut calcs = if a.status == EvaluationState::Draft {
            self.compute_units(&a, &items, &all, &hands, true)?
        } else {
            Vec::new()
        };
        let facts = EvaluationFacts {
            state: a.status,
            unscored: self
                .assessment_facts(
                    &a,
                    &calcs.iter().map(|c| (c.clone(), 0, 0)).collect::<Vec<_>>(),
                    &items,
                )
                .unscored,
        };
        transition::<EvaluationFlow>(
            &facts,
            EvaluationAction::Approve,
            &self.assessment_actor(caller, &a),
        )?;
        if version != a.version {
            return Err(AppError::Conflict(
                "该考核已被他人修改，请刷新后重试".into(),
            ));
        }
        let frozen: Vec<(i64, Vec<FrozenItem>)> =
            calcs.drain(..).map(|c| (c.unit.id, c.items)).collect();
        Ok(self.store.approve_assessment(
            &caller.change(&caller.scope, self),
            a.id,
            version,
            &items,
            &frozen,
        )?)
    }
}
