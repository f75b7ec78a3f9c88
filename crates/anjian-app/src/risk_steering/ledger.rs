//! 企业风险等级台账: every enterprise of the query with its effective grade, how it was set,
//! its points by colour, the override's reason and the inspection it is due for.

use super::*;

/// The ledger's columns.
pub const GRADE_LEDGER_COLUMNS: [&str; 13] = [
    "企业名称",
    "所在区划",
    "风险等级",
    "确定方式",
    "按风险点确定",
    "企业库登记",
    "红色风险点",
    "橙色风险点",
    "黄色风险点",
    "蓝色风险点",
    "人工认定理由",
    "最近检查",
    "下次检查期限",
];

impl App {
    /// The grades of [`App::enterprise_risk_grades`] as an Excel ledger (Chinese headers,
    /// 未定级 for an enterprise without any grade, 超期 marked on the due day).
    pub fn enterprise_risk_grade_ledger(
        &self,
        caller: &Caller,
        q: &EnterpriseRiskGradeQuery,
    ) -> Result<Vec<u8>> {
        let mut list = self.enterprise_risk_grades(caller, q)?;
        list.reverse();
        let grade = |g: Option<Grade>| g.map(Grade::label).unwrap_or("未定级").to_string();
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|g| {
                vec![
                    g.name,
                    g.region_name,
                    grade(g.effective),
                    g.source.map(|s| s.label()).unwrap_or_default().to_string(),
                    grade(g.derived),
                    grade(g.registered),
                    g.counts.major.to_string(),
                    g.counts.large.to_string(),
                    g.counts.general.to_string(),
                    g.counts.low.to_string(),
                    g.override_reason.unwrap_or_default(),
                    g.last_inspected_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "未检查".into()),
                    match (g.next_due, g.behind) {
                        (Some(d), true) => format!("{d}（超期）"),
                        (Some(d), false) => d.to_string(),
                        (None, true) => "超期".into(),
                        (None, false) => String::new(),
                    },
                ]
            })
            .collect();
        let widths = [
            30.0, 14.0, 10.0, 12.0, 12.0, 10.0, 8.0, 8.0, 8.0, 8.0, 30.0, 12.0, 18.0,
        ];
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "企业风险等级台账",
            &GRADE_LEDGER_COLUMNS,
            &widths,
            &rows,
        )
    }
}
