//! Statistics as Excel ledgers, and the labels of the records behind a figure.

use super::*;

impl App {
    /// The metric values of a period as an Excel sheet (指标统计表).
    pub fn metric_values_ledger(
        &self,
        caller: &Caller,
        period: &Period,
        f: &StatFilter,
    ) -> Result<Vec<u8>> {
        let values = self.metric_values(caller, period, f, None)?;
        let headers = ["分类", "指标代码", "指标", "数值", "单位", "口径"];
        let widths = [12.0, 34.0, 34.0, 12.0, 8.0, 60.0];
        let rows: Vec<Vec<String>> = values
            .into_iter()
            .map(|v| vec![v.section, v.id, v.label, v.display, v.unit, v.definition])
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &format!("{}指标", period.name()),
            &headers,
            &widths,
            &rows,
        )
    }

    /// The records behind one metric as an Excel sheet.
    pub fn metric_drill_ledger(
        &self,
        caller: &Caller,
        id: &str,
        period: &Period,
        f: &StatFilter,
    ) -> Result<Vec<u8>> {
        let (v, rows) = self.metric_drill(caller, id, period, f, 1_000_000)?;
        // Each record's amount in the unit a record is read in (元 for money, never 分).
        let counted = format!("计入（{}）", v.record_unit);
        let headers = ["记录类型", "记录编号", "日期", "内容", counted.as_str()];
        let widths = [12.0, 12.0, 12.0, 60.0, 12.0];
        let rows: Vec<Vec<String>> = rows
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                vec![
                    entity_label(&r.entity).to_string(),
                    r.entity_id.map(|i| i.to_string()).unwrap_or(r.key),
                    r.date.unwrap_or_default(),
                    r.label,
                    r.stated,
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &v.label,
            &headers,
            &widths,
            &rows,
        )
    }
}

/// Chinese name of a drill-down record kind.
pub fn entity_label(entity: &str) -> &'static str {
    match entity {
        "hazard" => "隐患",
        "inspection" => "检查记录",
        "case" => "处罚案件",
        "document" => "执法文书",
        "transfer" => "移送案件",
        "report" => "举报",
        "work_record" => "工作记录",
        "assessment_unit" => "考核单位",
        "plan" => "执法计划",
        "letter" => "目标管理责任状",
        "capability" => "能力创建验收",
        "station_assignment" => "派驻安排",
        "station_visit" => "驻点检查",
        "forest_equipment" => "森林防灭火装备",
        "forest_patrol" => "巡护记录",
        "forest_checkpoint" => "防火检查站",
        "forest_warden" => "网格责任人",
        "forest_farm" => "国有林场（农场）",
        "department" => "部门",
        "listing" => "挂牌督办",
        "commission" => "委托执法",
        "accountability" => "约谈问责",
        "disaster_event" => "自然灾害应对",
        "risk_point" => "风险点",
        "training_session" => "培训记录",
        "training_certificate" => "考核合格证",
        "monitoring_alarm" => "监测报警",
        "monitored_object" => "监测对象",
        "enterprise" => "企业",
        "region" => "乡镇",
        "sector" => "行业领域",
        _ => "记录",
    }
}
