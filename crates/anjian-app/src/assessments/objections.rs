//! Hand scores (安委办), evidence (the unit or the 安委办) and objections (复核申请: filed
//! by the unit, answered by the 安委办 in the `ObjectionFlow` shape).

use super::*;
use anjian_domain::assessment::{
    EvaluationState, ObjectionAction, ObjectionFacts, ObjectionFlow, ObjectionState,
};
use anjian_domain::workflow::{offered, transition};
use anjian_store::assessments::{Evidence, HandScore, Objection};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandScoreInput {
    pub score: f64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionInput {
    /// The item's number in the rubric (第N项, from 1).
    pub item: i64,
    pub reason: String,
}

/// The 安委办's answer: `accept` with the item's new `score`, or `reject` with the reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionAnswer {
    pub action: String,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub answer: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ObjectionView {
    #[serde(flatten)]
    pub objection: Objection,
    pub item_title: String,
    pub status_label: String,
    /// The new score, in points.
    pub new_score: Option<f64>,
    /// Who filed it and who answered it, as persons: 姓名（单位）.
    pub filed_by_name: String,
    pub answered_by_name: String,
    pub allowed_actions: Vec<&'static str>,
}

const TEXT_LIMIT: usize = 500;

fn item_of(items: &[RubricItem], item: i64, field: &str) -> Result<RubricItem> {
    index(item)
        .and_then(|n| items.get(n))
        .cloned()
        .ok_or_else(|| ValidationErrors::single(field, "考核细则中没有该项目").into())
}

/// A score within the item's points, with at most two decimals, in hundredths.
fn score_within(it: &RubricItem, score: f64, field: &str) -> Result<i64> {
    let c = domain::centi(score);
    if !score.is_finite()
        || (score * 100.0 - c as f64).abs() > 1e-6
        || c < 0
        || c > domain::centi(it.points)
    {
        return Err(ValidationErrors::single(
            field,
            format!(
                "得分应在0到{}分之间，最多两位小数",
                domain::centi_text(domain::centi(it.points))
            ),
        )
        .into());
    }
    Ok(c)
}

impl App {
    /// The unit of an evaluation the caller sees, with the evaluation and its items.
    pub(crate) fn assessment_unit_of(
        &self,
        caller: &Caller,
        unit_id: i64,
    ) -> Result<(Assessment, Vec<RubricItem>, AssessmentUnit)> {
        self.require_assessment_reader(caller)?;
        let unit = self
            .store
            .get_assessment_unit(&unit_scope(caller), unit_id)?;
        let (a, items) = self.assessment_record(caller, unit.assessment_id)?;
        Ok((a, items, unit))
    }

    /// Scores a hand-scored item of a unit (安委办, while the evaluation is a draft).
    pub fn score_assessment_item(
        &self,
        caller: &Caller,
        unit_id: i64,
        item: i64,
        input: &HandScoreInput,
    ) -> Result<HandScore> {
        let (a, items, _) = self.assessment_unit_of(caller, unit_id)?;
        if !caller.can(Permission::DecideAsCountyOffice) {
            return Err(caller.refuse("评分"));
        }
        let it = item_of(&items, item, "item")?;
        if it.method != Method::Manual {
            return Err(
                ValidationErrors::single("item", "该项目按指标计算，不需要人工评分").into(),
            );
        }
        if a.status != EvaluationState::Draft {
            return Err(AppError::Conflict(
                "考核结果已审定，人工评分不能再修改；如有异议请通过复核申请".into(),
            ));
        }
        let score = score_within(&it, input.score, "score")?;
        if input.note.chars().count() > TEXT_LIMIT {
            return Err(ValidationErrors::single("note", "评分说明最多500字").into());
        }
        Ok(self.store.set_hand_score(
            &caller.change(&caller.scope, self),
            unit_id,
            item,
            score,
            input.note.trim(),
        )?)
    }

    /// Whether the caller answers for this unit (its own township or department).
    fn answers_for_unit(&self, caller: &Caller, unit: &AssessmentUnit) -> bool {
        caller.can(Permission::AnswerForOwnUnit)
            && caller.scope.writable
            && caller.scope.admits_region(&unit.region_code)
            && caller
                .bound_department()
                .is_none_or(|d| unit.department_id == Some(d))
    }

    /// Attaches an evidence file to a unit's item: the unit itself or the 安委办; checked by
    /// content and size before anything is written.
    #[allow(clippy::too_many_arguments)]
    pub fn add_assessment_evidence(
        &self,
        caller: &Caller,
        unit_id: i64,
        item: i64,
        name: &str,
        data: Vec<u8>,
        note: &str,
    ) -> Result<Evidence> {
        let (_, items, unit) = self.assessment_unit_of(caller, unit_id)?;
        if !self.answers_for_unit(caller, &unit) && !caller.can(Permission::DecideAsCountyOffice) {
            return Err(caller.refuse("为该单位提交考核佐证材料"));
        }
        item_of(&items, item, "item")?;
        let file_name = anjian_domain::files::clean_name(name);
        let content_type = anjian_domain::files::check_file(&file_name, &data)
            .map_err(|m| AppError::Validation(ValidationErrors::single("file", m)))?;
        let sha256 = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&data))
        };
        let a = anjian_store::attachments::NewAttachment {
            file_name,
            content_type: content_type.into(),
            sha256,
            data,
            note: note.trim().chars().take(200).collect(),
        };
        Ok(self.store.add_assessment_evidence(
            &caller.change(&caller.scope, self),
            caller.bound_department(),
            unit_id,
            item,
            &a,
        )?)
    }

    /// An evidence file and its content, if its unit is the caller's to see.
    pub fn assessment_evidence_file(
        &self,
        caller: &Caller,
        evidence_id: i64,
    ) -> Result<(Evidence, Vec<u8>)> {
        self.require_assessment_reader(caller)?;
        Ok(self
            .store
            .assessment_evidence_data(&unit_scope(caller), evidence_id)?)
    }

    /// Files the unit's objection to an item's score (复核申请), with its reason.
    pub fn file_objection(
        &self,
        caller: &Caller,
        unit_id: i64,
        input: &ObjectionInput,
    ) -> Result<ObjectionView> {
        let (_, items, unit) = self.assessment_unit_of(caller, unit_id)?;
        if !self.answers_for_unit(caller, &unit) {
            return Err(caller.refuse("为该单位申请复核"));
        }
        let mut e = ValidationErrors::new();
        if item_of(&items, input.item, "item").is_err() {
            e.add("item", "请选择申请复核的考核项目");
        }
        let reason = input.reason.trim();
        if reason.is_empty() {
            e.add("reason", "请填写申请复核的理由");
        } else if reason.chars().count() > TEXT_LIMIT {
            e.add("reason", "理由最多500字");
        }
        e.into_result()?;
        let o = self
            .store
            .file_objection(
                &caller.change(&caller.scope, self),
                caller.bound_department(),
                unit_id,
                input.item,
                reason,
            )
            .map_err(|e| match e {
                anjian_store::StoreError::Conflict(_) => {
                    AppError::Conflict("该项目已有待答复的复核申请".into())
                }
                other => other.into(),
            })?;
        self.assessment_objection_view(caller, o, &items)
    }

    fn assessment_objection_view(
        &self,
        caller: &Caller,
        o: Objection,
        items: &[RubricItem],
    ) -> Result<ObjectionView> {
        self.assessment_objection_view_with(caller, o, items, &self.person_labels()?)
    }

    fn assessment_objection_view_with(
        &self,
        caller: &Caller,
        o: Objection,
        items: &[RubricItem],
        people: &std::collections::HashMap<String, String>,
    ) -> Result<ObjectionView> {
        let actor = caller.actor_in_region(&o.region_code);
        Ok(ObjectionView {
            item_title: index(o.item_no)
                .and_then(|n| items.get(n))
                .map_or_else(String::new, |i| i.title.clone()),
            status_label: o.status.label().to_string(),
            new_score: o.score.map(pts),
            filed_by_name: Self::person_of(people, &o.filed_by),
            answered_by_name: if o.answered_by.is_empty() {
                String::new()
            } else {
                Self::person_of(people, &o.answered_by)
            },
            allowed_actions: offered::<ObjectionFlow>(&ObjectionFacts::offered(o.status), &actor)
                .into_iter()
                .map(|a| a.as_str())
                .collect(),
            objection: o,
        })
    }

    /// The objections the caller sees (of one evaluation, or all).
    pub fn objection_views(
        &self,
        caller: &Caller,
        assessment_id: Option<i64>,
    ) -> Result<Vec<ObjectionView>> {
        self.require_assessment_reader(caller)?;
        let county = self.assessment_county()?;
        let mut items_of: std::collections::HashMap<i64, Vec<RubricItem>> = Default::default();
        let people = self.person_labels()?;
        let mut out = Vec::new();
        for o in self
            .store
            .list_objections(&unit_scope(caller), assessment_id)?
        {
            let items = match items_of.entry(o.assessment_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let a = self
                        .store
                        .get_assessment(county.as_str(), o.assessment_id)?;
                    let items = match a.items {
                        Some(i) => i,
                        None => self.store.get_rubric(county.as_str(), a.rubric_id)?.items,
                    };
                    e.insert(items).clone()
                }
            };
            out.push(self.assessment_objection_view_with(caller, o, &items, &people)?);
        }
        Ok(out)
    }

    pub fn objection(&self, caller: &Caller, id: i64) -> Result<ObjectionView> {
        self.require_assessment_reader(caller)?;
        let o = self.store.get_objection(&unit_scope(caller), id)?;
        let (_, items) = self.assessment_record(caller, o.assessment_id)?;
        self.assessment_objection_view(caller, o, &items)
    }

    /// Answers an objection (安委办): accepted with the item's new score (which replaces the
    /// item's score from then on, approved or not), or rejected with the reason.
    pub fn answer_objection(
        &self,
        caller: &Caller,
        id: i64,
        input: &ObjectionAnswer,
    ) -> Result<ObjectionView> {
        self.require_assessment_reader(caller)?;
        let o = self.store.get_objection(&unit_scope(caller), id)?;
        let (_, items) = self.assessment_record(caller, o.assessment_id)?;
        let action = ObjectionAction::parse(input.action.trim()).ok_or_else(|| {
            ValidationErrors::single("action", "办理应为采纳（accept）或不予采纳（reject）")
        })?;
        let answer = input.answer.trim();
        if answer.chars().count() > TEXT_LIMIT {
            return Err(ValidationErrors::single("answer", "答复最多500字").into());
        }
        let facts = ObjectionFacts {
            state: o.status,
            answered: !answer.is_empty(),
            rescored: input.score.is_some(),
        };
        let to =
            transition::<ObjectionFlow>(&facts, action, &caller.actor_in_region(&o.region_code))?;
        let score = match (to, input.score) {
            (ObjectionState::Accepted, Some(s)) => Some(score_within(
                &item_of(&items, o.item_no, "item")?,
                s,
                "score",
            )?),
            _ => None,
        };
        let done = self.store.answer_objection(
            &caller.change(&caller.scope, self),
            id,
            input.version,
            to,
            score,
            answer,
        )?;
        self.assessment_objection_view(caller, done, &items)
    }
}
