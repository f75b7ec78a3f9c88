//! Risk points (风险点) of 风险分级管控 (domain reference §3): what a point is (its place, the
//! activity or equipment, the hazard factor, the possible accident types of GB 6441, the
//! existing controls, the controlling level and the responsible person), its assessment by
//! LEC or LS ([`method`]) graded into [`crate::risk_grade::Grade`], and the review loop
//! ([`flow`]): the enterprise (or, for a public site, the township) registers and assesses,
//! submits; the supervising department (a public site: the 安委办) accepts or returns.

pub mod flow;
pub mod method;

pub use flow::{AssessmentStatus, RiskAction, RiskFacts, RiskFlow, RiskState};
pub use method::{Cutoffs, Evaluation, Inputs, Method, evaluate};

use crate::ValidationErrors;
use crate::accident_type::AccidentType;
use crate::validation::required_text;

coded! {
    /// 管控层级: who controls the risk.
    ControlLevel {
        /// 公司级
        Company = "company", "公司级" | "公司" | "厂级" | "企业级";
        /// 车间级 (部门级)
        Workshop = "workshop", "车间级" | "车间" | "部门级" | "部门";
        /// 班组级
        Team = "team", "班组级" | "班组";
        /// 岗位级
        Post = "post", "岗位级" | "岗位";
    }
}

impl ControlLevel {
    /// The usual level for a grade (重大 → 公司级, 较大 → 车间级, 一般 → 班组级, 低 → 岗位级).
    pub fn usual_for(g: crate::risk_grade::Grade) -> Self {
        use crate::risk_grade::Grade;
        match g {
            Grade::Major => ControlLevel::Company,
            Grade::Large => ControlLevel::Workshop,
            Grade::General => ControlLevel::Team,
            Grade::Low => ControlLevel::Post,
        }
    }
}

/// The five kinds of existing control measures (现有管控措施), each as text.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[schema(as = RiskPointControls)]
pub struct Controls {
    /// 工程技术措施
    #[serde(default)]
    pub engineering: String,
    /// 管理措施
    #[serde(default)]
    pub management: String,
    /// 培训教育措施
    #[serde(default)]
    pub training: String,
    /// 个体防护措施
    #[serde(default)]
    pub ppe: String,
    /// 应急处置措施
    #[serde(default)]
    pub emergency: String,
}

impl Controls {
    /// Field suffix, label and value of each kind.
    pub fn kinds(&self) -> [(&'static str, &'static str, &str); 5] {
        [
            ("engineering", "工程技术措施", &self.engineering),
            ("management", "管理措施", &self.management),
            ("training", "培训教育措施", &self.training),
            ("ppe", "个体防护措施", &self.ppe),
            ("emergency", "应急处置措施", &self.emergency),
        ]
    }
}

/// A point's description as typed, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PointText<'a> {
    pub place: &'a str,
    pub activity: &'a str,
    pub hazard_factor: &'a str,
    pub accident_types: &'a str,
    pub control_level: &'a str,
    pub responsible_name: &'a str,
    pub responsible_phone: &'a str,
    pub controls: Controls,
}

/// A point's description, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointFields {
    pub place: String,
    pub activity: String,
    pub hazard_factor: String,
    pub accident_types: Vec<AccidentType>,
    pub control_level: ControlLevel,
    pub responsible_name: String,
    pub responsible_phone: String,
    pub controls: Controls,
}

/// Checks a point's description, every problem named by its field.
pub fn check_point(t: &PointText<'_>) -> Result<PointFields, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let place = required_text(&mut e, "place", "风险点（部位/场所）", t.place, 60);
    let activity = t.activity.trim().to_string();
    if activity.chars().count() > 100 {
        e.add("activity", "作业活动或设备设施不能超过100个字");
    }
    let hazard_factor = required_text(
        &mut e,
        "hazard_factor",
        "危险有害因素",
        t.hazard_factor,
        300,
    );
    let accident_types = match AccidentType::parse_list(t.accident_types) {
        Ok(v) if v.is_empty() => {
            e.add("accident_types", "请选择可能导致的事故类型");
            Vec::new()
        }
        Ok(v) => v,
        Err(m) => {
            e.add("accident_types", m);
            Vec::new()
        }
    };
    let control_level = ControlLevel::from_words(t.control_level);
    if control_level.is_none() {
        e.add(
            "control_level",
            "请选择管控层级（公司级、车间级、班组级或岗位级）",
        );
    }
    let responsible_name =
        required_text(&mut e, "responsible_name", "责任人", t.responsible_name, 20);
    let responsible_phone = match crate::phone::parse_phone(t.responsible_phone) {
        Ok(p) => p,
        Err(m) => {
            e.add("responsible_phone", m);
            String::new()
        }
    };
    let mut controls = Controls::default();
    for (suffix, label, v) in t.controls.kinds() {
        if v.trim().chars().count() > 500 {
            e.add(
                &format!("controls.{suffix}"),
                format!("{label}不能超过500个字"),
            );
        }
    }
    controls.engineering = t.controls.engineering.trim().to_string();
    controls.management = t.controls.management.trim().to_string();
    controls.training = t.controls.training.trim().to_string();
    controls.ppe = t.controls.ppe.trim().to_string();
    controls.emergency = t.controls.emergency.trim().to_string();
    e.into_result()?;
    let Some(control_level) = control_level else {
        return Err(ValidationErrors::single("control_level", "请选择管控层级"));
    };
    Ok(PointFields {
        place,
        activity,
        hazard_factor,
        accident_types,
        control_level,
        responsible_name,
        responsible_phone,
        controls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_names_each_missing_field() {
        let controls = Controls::default();
        let t = PointText {
            place: " ",
            accident_types: "地震",
            control_level: "科室",
            responsible_phone: "12",
            controls: controls.clone(),
            ..PointText::default()
        };
        let e = check_point(&t).unwrap_err();
        for f in [
            "place",
            "hazard_factor",
            "accident_types",
            "control_level",
            "responsible_name",
            "responsible_phone",
        ] {
            assert!(e.fields.contains_key(f), "{f}: {e:?}");
        }
        let ok = PointText {
            place: "液氯储罐区",
            hazard_factor: "液氯泄漏",
            accident_types: "中毒和窒息、容器爆炸",
            control_level: "公司级",
            responsible_name: "王强",
            responsible_phone: "13907970001",
            controls: controls.clone(),
            ..PointText::default()
        };
        let p = check_point(&ok).unwrap();
        assert_eq!(p.control_level, ControlLevel::Company);
        assert_eq!(p.accident_types.len(), 2);
    }
}
