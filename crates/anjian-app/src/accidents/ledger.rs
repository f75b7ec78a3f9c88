//! 事故台账 as Excel, and its import (the same columns; the level is computed, so an
//! imported sheet's 事故等级 column is read as a check only if present and otherwise ignored).

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use anjian_domain::accident::time_text;

/// The columns of the ledger and of its import, with the other headers accepted.
pub static ACCIDENT_IMPORT: [Column; 16] = [
    Column::new("category", "类别", &["事故类别"]).required(),
    Column::new("occurred_at", "发生时间", &["事故发生时间"]).required(),
    Column::new("township", "乡镇（街道）", &["乡镇", "街道"]),
    Column::new("place", "事故地点", &["地点"]).required(),
    Column::new("enterprise", "事故单位", &["企业", "单位名称"]),
    Column::new("sector", "行业领域", &["行业"]),
    Column::new("accident_type", "事故类型", &["类型", "起火原因"]).required(),
    Column::new("deaths", "死亡（人）", &["死亡", "死亡人数"]),
    Column::new("missing", "失踪（人）", &["失踪", "失踪人数"]),
    Column::new("serious_injuries", "重伤（人）", &["重伤", "重伤人数"]),
    Column::new("minor_injuries", "轻伤（人）", &["轻伤", "轻伤人数"]),
    Column::new("direct_loss_yuan", "直接经济损失（元）", &["直接经济损失"]),
    Column::new("forest_area_ha", "受害森林面积（公顷）", &["受害森林面积"]),
    Column::new("account", "简要经过", &["经过"]),
    Column::new("unit_reported_at", "单位报告时间", &[]),
    Column::new("county_reported_at", "县级上报时间", &[]),
];

impl App {
    /// 事故台账: the accidents of the query in the caller's scope, in the import's columns
    /// followed by the computed level, 迟报, the 补报 window and the investigation.
    pub fn accident_ledger(&self, caller: &Caller, q: &AccidentQuery) -> Result<Vec<u8>> {
        let list = self.accidents(caller, q)?;
        let mut headers: Vec<&str> = ACCIDENT_IMPORT.iter().map(|c| c.label).collect();
        headers.extend(["事故等级", "迟报", "谎报瞒报", "调查期限", "调查状态"]);
        let widths = [
            12.0, 18.0, 14.0, 24.0, 24.0, 14.0, 12.0, 8.0, 8.0, 8.0, 8.0, 16.0, 14.0, 40.0, 18.0,
            18.0, 10.0, 8.0, 10.0, 12.0, 10.0,
        ];
        let t = |v: Option<NaiveDateTime>| v.map(time_text).unwrap_or_default();
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|v| {
                let a = &v.record;
                let flags = [(a.false_report, "谎报"), (a.concealed, "瞒报")]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, w)| *w)
                    .collect::<Vec<_>>()
                    .join("、");
                let enterprise = a
                    .enterprise_id
                    .and_then(|id| self.store.get_enterprise(&caller.scope, id).ok())
                    .map(|e| e.name)
                    .unwrap_or_default();
                vec![
                    v.category_label.clone(),
                    time_text(a.occurred_at),
                    v.township_name.clone(),
                    a.place.clone(),
                    enterprise,
                    v.sector_name.clone(),
                    v.type_label.clone(),
                    a.deaths.to_string(),
                    a.missing.to_string(),
                    a.serious_injuries.to_string(),
                    a.minor_injuries.to_string(),
                    v.loss_yuan.clone(),
                    v.forest_area_ha.clone(),
                    a.account.clone(),
                    t(a.unit_reported_at),
                    t(a.county_reported_at),
                    v.level_label.clone(),
                    if v.late { "是" } else { "否" }.into(),
                    flags,
                    v.due.to_string(),
                    v.investigation_label.clone(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "事故台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports accidents, each row checked like the form; with any bad row nothing is written
    /// unless `skip_invalid`.
    pub fn import_accidents(
        &self,
        caller: &Caller,
        t: &Table,
        mut opts: ImportOptions,
    ) -> Result<ImportReport> {
        caller.require(Permission::Supervise)?;
        // The ledger's computed columns (事故等级 …) are read as nothing.
        opts.ignore_columns = true;
        let map = map_columns(t, &ACCIDENT_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let draft = AccidentDraft {
                category: cell("category"),
                occurred_at: cell("occurred_at"),
                place: cell("place"),
                township: cell("township"),
                enterprise: cell("enterprise"),
                sector: cell("sector"),
                accident_type: cell("accident_type"),
                deaths: cell("deaths"),
                missing: cell("missing"),
                serious_injuries: cell("serious_injuries"),
                minor_injuries: cell("minor_injuries"),
                direct_loss_yuan: cell("direct_loss_yuan"),
                forest_area_ha: cell("forest_area_ha"),
                account: cell("account"),
                unit_reported_at: cell("unit_reported_at"),
                county_reported_at: cell("county_reported_at"),
                lng: String::new(),
                lat: String::new(),
            };
            match self.validate_accident(caller, &draft)? {
                Ok(a) => ok.push(a),
                Err(errors) => bad.push(*rownum, || {
                    errors
                        .fields
                        .iter()
                        .flat_map(|(f, m)| {
                            let label = map.label(f).to_string();
                            m.iter().map(move |m| format!("{label}：{m}"))
                        })
                        .collect()
                }),
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .create_accidents(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
