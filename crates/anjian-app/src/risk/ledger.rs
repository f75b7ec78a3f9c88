//! 风险点台账 as Excel, and its import (the same columns): one row per point with its latest
//! assessment's inputs. An import registers the rows as the caller's own points (an
//! enterprise's, or a township's public sites) with their first assessments, all or none.

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};

/// The columns of the ledger and of its import, with the other headers accepted. The
/// columns after 联系电话 that are not L/E/C/S or the method are the ledger's own (the import
/// reads past them).
pub static RISK_IMPORT: [Column; 22] = [
    Column::new("unit", "单位", &["企业", "企业名称", "单位名称"]),
    Column::new("region", "所在地", &["乡镇", "乡镇（街道）"]),
    Column::new(
        "place",
        "风险点",
        &[
            "风险点（部位/场所）",
            "部位/场所",
            "部位",
            "场所",
            "风险点名称",
        ],
    )
    .required(),
    Column::new(
        "activity",
        "作业活动或设备设施",
        &["作业活动", "设备设施", "作业活动/设备设施"],
    ),
    Column::new(
        "hazard_factor",
        "危险有害因素",
        &["危险源", "主要危险有害因素"],
    )
    .required(),
    Column::new(
        "accident_types",
        "事故类型",
        &["可能导致的事故类型", "可能导致的事故"],
    )
    .required(),
    Column::new("engineering", "工程技术措施", &[]),
    Column::new("management", "管理措施", &[]),
    Column::new("training", "培训教育措施", &[]),
    Column::new("ppe", "个体防护措施", &[]),
    Column::new("emergency", "应急处置措施", &[]),
    Column::new("control_level", "管控层级", &["管控级别"]).required(),
    Column::new("responsible_name", "责任人", &["管控责任人"]).required(),
    Column::new("responsible_phone", "联系电话", &["电话", "责任人电话"]).required(),
    Column::new("method", "评价方法", &["方法"]),
    Column::new("l", "L", &["L值"]),
    Column::new("e", "E", &["E值"]),
    Column::new("c", "C", &["C值"]),
    Column::new("s", "S", &["S值"]),
    Column::new("score", "分值", &["D/R", "风险值"]),
    Column::new("grade", "风险等级", &["等级"]),
    Column::new("state", "状态", &[]),
];

fn num(v: Option<i64>) -> String {
    v.map(tenths_text).unwrap_or_default()
}

impl App {
    /// 风险点台账: the points of the query in the caller's scope, with the inputs of each
    /// point's latest assessment.
    pub fn risk_point_ledger(&self, caller: &Caller, q: &RiskPointQuery) -> Result<Vec<u8>> {
        let list = self.all_risk_points(caller, q)?;
        let headers: Vec<&str> = RISK_IMPORT.iter().map(|c| c.label).collect();
        let widths = [
            24.0, 12.0, 20.0, 20.0, 30.0, 20.0, 24.0, 24.0, 20.0, 20.0, 24.0, 10.0, 10.0, 14.0,
            12.0, 6.0, 6.0, 6.0, 6.0, 8.0, 10.0, 10.0,
        ];
        let mut rows = Vec::with_capacity(list.len());
        for p in list {
            let latest = self
                .store
                .risk_point_assessments(&caller.scope, p.id)?
                .into_iter()
                .next();
            let unit = if p.enterprise_id.is_some() {
                p.enterprise_name.clone()
            } else {
                "公共场所".to_string()
            };
            let (method, l, e, c, s, score) = match &latest {
                Some(a) => (
                    a.method.label().to_string(),
                    tenths_text(a.l_x10),
                    num(a.e_x10),
                    num(a.c_x10),
                    num(a.s_x10),
                    score_text(a.score_x100),
                ),
                None => Default::default(),
            };
            rows.push(vec![
                unit,
                p.region_name.clone(),
                p.place.clone(),
                p.activity.clone(),
                p.hazard_factor.clone(),
                AccidentType::join_labels(&p.accident_types),
                p.control_engineering.clone(),
                p.control_management.clone(),
                p.control_training.clone(),
                p.control_ppe.clone(),
                p.control_emergency.clone(),
                p.control_level.label().to_string(),
                p.responsible_name.clone(),
                p.responsible_phone.clone(),
                method,
                l,
                e,
                c,
                s,
                score,
                p.grade.map(Grade::label).unwrap_or("未定级").to_string(),
                p.state.label().to_string(),
            ]);
        }
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "风险点台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports points as the caller's own (an enterprise's; a township's public sites in its
    /// township), each row checked like the form and its assessment like the assessment form;
    /// with any bad row nothing is written unless `skip_invalid`.
    pub fn import_risk_points(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        if !Self::may_register_risk_points(caller) {
            return Err(caller.refuse("导入风险点"));
        }
        let map = map_columns(t, &RISK_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut pre = ValidationErrors::new();
            let mut number = |k: &str| {
                let v = cell(k);
                if v.is_empty() {
                    return None;
                }
                match v.parse::<f64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        pre.add(k, format!("“{v}”不是数字"));
                        None
                    }
                }
            };
            let (l, e, c, s) = (number("l"), number("e"), number("c"), number("s"));
            let input = RiskPointInput {
                enterprise_id: caller.user.enterprise_id,
                region_code: None,
                place: cell("place"),
                activity: cell("activity"),
                hazard_factor: cell("hazard_factor"),
                accident_types: vec![cell("accident_types")],
                control_level: cell("control_level"),
                responsible_name: cell("responsible_name"),
                responsible_phone: cell("responsible_phone"),
                controls: Controls {
                    engineering: cell("engineering"),
                    management: cell("management"),
                    training: cell("training"),
                    ppe: cell("ppe"),
                    emergency: cell("emergency"),
                },
                assessment: None,
                version: None,
            };
            let mut errors = match self.check_risk_point(caller, &input) {
                Ok(_) => ValidationErrors::new(),
                Err(v) => v,
            };
            let method = cell("method");
            let mut first = None;
            if !method.is_empty() || l.is_some() {
                let a = RiskAssessmentInput {
                    method,
                    l,
                    e,
                    c,
                    s,
                    reason: String::new(),
                };
                match self.check_risk_assessment(caller, &a, false)? {
                    Ok(a) => first = Some(a),
                    Err(v) => errors.merge(v),
                }
            }
            errors.merge(pre);
            if errors.is_empty()
                && let Ok(p) = self.check_risk_point(caller, &input)
            {
                ok.push((p, first));
                continue;
            }
            bad.push(*rownum, || {
                errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let key = f.split(['[', '.']).next().unwrap_or(f);
                        let label = match key {
                            "region_code" => "所在地",
                            "controls" => "管控措施",
                            other => map.label(other),
                        }
                        .to_string();
                        m.iter().map(move |m| format!("{label}：{m}"))
                    })
                    .collect()
            });
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            if let Some((p, _)) = ok.first() {
                self.require_risk_owner(caller, p)?;
            }
            let scope = caller.hazard_scope();
            Ok(self
                .store
                .create_risk_points(&caller.change(&scope, self), &ok)?
                .len())
        })
    }
}
