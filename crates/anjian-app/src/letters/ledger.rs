//! 目标管理责任状台账: the letters the caller reads, one row per indicator with its current
//! value and grade, as Excel. The import reads the same columns (the tracking columns are
//! recognised and left alone), so an exported ledger can be edited and imported again.

use super::*;

/// The ledger's columns (key, header); the import maps headers by these names.
pub const LETTER_COLUMNS: [(&str, &str); 16] = [
    ("year", "责任年度"),
    ("issuer", "签订单位"),
    ("kind", "责任对象类型"),
    ("counterpart", "责任对象"),
    ("title", "责任状名称"),
    ("signed_on", "签订日期"),
    ("text", "责任指标"),
    ("metric", "统计指标"),
    ("comparator", "比较"),
    ("target", "目标值"),
    ("per_metric", "比率基数指标"),
    ("current", "当前值"),
    ("grade", "完成情况"),
    ("scan", "签订扫描件"),
    ("note", "备注"),
    ("id", "责任状编号"),
];

impl App {
    /// The ledger of the letters the caller reads under the filter, indicators tracked.
    pub fn letters_ledger(&self, caller: &Caller, f: &LetterFilter) -> Result<Vec<u8>> {
        let letters = self.all_letters(caller, f)?;
        let cat = self.metric_catalogue()?;
        let label = |id: &Option<String>| {
            id.as_deref()
                .map(|id| {
                    cat.iter()
                        .find(|m| m.id == id)
                        .map_or_else(|| id.to_string(), |m| m.label.clone())
                })
                .unwrap_or_default()
        };
        let views = self.track_letters(letters)?;
        let mut rows = Vec::new();
        for v in &views {
            let l = &v.letter;
            let head = |rows: &mut Vec<Vec<String>>, tail: Vec<String>| {
                let mut r = vec![
                    l.year.to_string(),
                    l.issuer.clone(),
                    v.kind_label.to_string(),
                    l.counterpart_name.clone(),
                    l.title.clone(),
                    l.signed_on.to_string(),
                ];
                r.extend(tail);
                r.push(if l.scan_id.is_some() { "有" } else { "无" }.into());
                r.push(l.note.clone());
                r.push(l.id.to_string());
                rows.push(r);
            };
            if v.indicators.is_empty() {
                head(&mut rows, vec![String::new(); 7]);
            }
            for i in &v.indicators {
                let ind = &i.indicator;
                head(
                    &mut rows,
                    vec![
                        ind.text.clone(),
                        label(&ind.metric),
                        ind.comparator
                            .map(|c| c.sign().to_string())
                            .unwrap_or_default(),
                        ind.target.map(crate::stats::fmt_value).unwrap_or_default(),
                        label(&ind.per_metric),
                        if i.grade.is_some() {
                            i.value_display.clone()
                        } else {
                            String::new()
                        },
                        i.grade_label.clone(),
                    ],
                );
            }
        }
        let headers: Vec<&str> = LETTER_COLUMNS.iter().map(|(_, h)| *h).collect();
        let widths = [
            8.0, 16.0, 10.0, 24.0, 30.0, 12.0, 36.0, 24.0, 6.0, 8.0, 20.0, 12.0, 10.0, 8.0, 20.0,
            8.0,
        ];
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "目标管理责任状台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
