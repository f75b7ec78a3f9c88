//! The ranking as an Excel ledger.

use super::*;

impl App {
    /// The ranking as an Excel sheet: one row per unit with its components.
    pub fn ranking_ledger(&self, caller: &Caller, period: &Period, by: &str) -> Result<Vec<u8>> {
        let r = self.ranking(caller, period, by)?;
        let headers = [
            "名次",
            if by == "township" {
                "乡镇（街道）"
            } else {
                "部门"
            },
            "数量（加权）",
            "上期数量（加权）",
            "增量",
            "质量",
            "比数量得分",
            "比增量得分",
            "比质量得分",
            "总分",
            "构成",
        ];
        let widths = [
            6.0, 24.0, 12.0, 14.0, 10.0, 10.0, 12.0, 12.0, 12.0, 10.0, 80.0,
        ];
        let rows: Vec<Vec<String>> = r
            .rows
            .iter()
            .map(|x| {
                vec![
                    x.rank.to_string(),
                    x.unit_name.clone(),
                    x.quantity.to_string(),
                    x.previous_quantity.to_string(),
                    x.increase.to_string(),
                    x.quality.to_string(),
                    x.quantity_score.to_string(),
                    x.increase_score.to_string(),
                    x.quality_score.to_string(),
                    x.total.to_string(),
                    x.parts
                        .iter()
                        .map(|p| format!("{} {}×{}", p.label, p.value, p.weight))
                        .collect::<Vec<_>>()
                        .join("；"),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &format!("{}排名", r.period_name),
            &headers,
            &widths,
            &rows,
        )
    }
}
