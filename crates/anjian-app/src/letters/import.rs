//! Letters imported from a table in the ledger's columns: one row per indicator, the rows of
//! one letter sharing its year, issuer, counterpart, title and signing day. Every letter is
//! validated like one registered on the form; a bad row is reported with its row number, and
//! a letter is written only with all its rows good. An import always registers new letters
//! (the ledger's 责任状编号, 当前值, 完成情况 and 签订扫描件 are recognised and left alone).

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};

/// The columns a letter import reads, with the other headers accepted for each.
pub static LETTER_IMPORT: [Column; 16] = [
    Column::new("year", "责任年度", &["年度"]).required(),
    Column::new("issuer", "签订单位", &["发文单位", "责任状签订单位"]).required(),
    Column::new("kind", "责任对象类型", &["对象类型"]).required(),
    Column::new("counterpart", "责任对象", &["签订对象", "责任单位"]).required(),
    Column::new("title", "责任状名称", &["名称", "责任状"]).required(),
    Column::new("signed_on", "签订日期", &["签订时间"]).required(),
    Column::new("text", "责任指标", &["指标", "指标内容", "目标任务"]),
    Column::new("metric", "统计指标", &["指标代码"]),
    Column::new("comparator", "比较", &["比较方式"]),
    Column::new("target", "目标值", &["目标"]),
    Column::new("per_metric", "比率基数指标", &["基数指标"]),
    Column::new("current", "当前值", &[]),
    Column::new("grade", "完成情况", &["评定"]),
    Column::new("scan", "签订扫描件", &["扫描件"]),
    Column::new("note", "备注", &["说明"]),
    Column::new("id", "责任状编号", &[]),
];

/// A row of the table: its number and cells.
type Row = (usize, Vec<String>);

/// A field's column header, for a row's message.
fn column_of(field: &str) -> &'static str {
    let key = match field.rsplit_once('.') {
        Some((_, f)) => f,
        None => field,
    };
    let key = match key {
        "township_code" | "department_id" | "enterprise_id" => "counterpart",
        "counterpart_kind" => "kind",
        "indicators" => "text",
        k => k,
    };
    LETTER_COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("其他", |(_, h)| *h)
}

impl App {
    /// Imports letters from a table (columns of [`LETTER_COLUMNS`]); 安委办 only. With any bad
    /// row nothing is written unless `skip_invalid` (then the letters whose rows are all good
    /// are written).
    pub fn import_letters(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        Self::require_letters(caller)?;
        let map = map_columns(t, &LETTER_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let cat = self.metric_catalogue()?;
        let townships = self.townships(caller)?;
        let departments = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
        let metric_id = |typed: &str| -> String {
            cat.iter()
                .find(|m| m.id == typed || m.label == typed)
                .map_or_else(|| typed.to_string(), |m| m.id.clone())
        };
        // Rows grouped into letters, in the order each letter first appears.
        let mut groups: Vec<(Vec<String>, Vec<Row>)> = Vec::new();
        for (rownum, cells) in map.rows(t) {
            let key: Vec<String> = [
                "year",
                "issuer",
                "kind",
                "counterpart",
                "title",
                "signed_on",
            ]
            .iter()
            .map(|k| map.get(cells, k))
            .collect();
            if key.iter().all(String::is_empty) && map.get(cells, "text").is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, rows)) => rows.push((*rownum, cells.clone())),
                None => groups.push((key, vec![(*rownum, cells.clone())])),
            }
        }
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (key, rows) in &groups {
            // Row-level problems first (a number that does not read), by row.
            let mut row_msgs: Vec<Vec<String>> = vec![Vec::new(); rows.len()];
            let year = key[0].parse::<f64>().ok().filter(|y| y.fract() == 0.0);
            if year.is_none() {
                row_msgs[0].push(format!("{}：应为年份（如2022）", column_of("year")));
            }
            let kind = CounterpartKind::from_words(&key[2]);
            let (mut township_code, mut department_id, mut enterprise_id) = (None, None, None);
            let who = key[3].as_str();
            match kind {
                None => row_msgs[0].push(format!("{}：应为乡镇、部门或企业", column_of("kind"))),
                Some(CounterpartKind::Township) => {
                    match townships.iter().find(|(c, n)| n == who || c == who) {
                        Some((c, _)) => township_code = Some(c.clone()),
                        None => row_msgs[0].push(format!(
                            "{}：未找到乡镇（街道）“{who}”或不在您的管辖范围内",
                            column_of("counterpart")
                        )),
                    }
                }
                Some(CounterpartKind::Department) => {
                    match departments
                        .iter()
                        .find(|d| d.name == who || d.short_name == who)
                    {
                        Some(d) => department_id = Some(d.id),
                        None => row_msgs[0]
                            .push(format!("{}：未找到部门“{who}”", column_of("counterpart"))),
                    }
                }
                Some(CounterpartKind::Enterprise) => match self.resolve_enterprise(caller, who)? {
                    Ok(Some(id)) => enterprise_id = Some(id),
                    Ok(None) => row_msgs[0].push(format!(
                        "{}：请填写企业名称或统一社会信用代码",
                        column_of("counterpart")
                    )),
                    Err(m) => row_msgs[0].push(format!("{}：{m}", column_of("counterpart"))),
                },
            }
            let mut indicators = Vec::new();
            for (k, (_, cells)) in rows.iter().enumerate() {
                let cell = |c: &str| map.get(cells, c);
                let some = |v: String| (!v.is_empty()).then_some(v);
                let target_text = cell("target").replace(['%', '％', ','], "");
                let target = match target_text.trim() {
                    "" => None,
                    t => match t.parse::<f64>() {
                        Ok(v) => Some(v),
                        Err(_) => {
                            row_msgs[k].push(format!(
                                "{}：应为数字，实为“{}”",
                                column_of("target"),
                                cell("target")
                            ));
                            None
                        }
                    },
                };
                indicators.push(IndicatorInput {
                    text: cell("text"),
                    metric: some(cell("metric")).map(|m| metric_id(&m)),
                    comparator: some(cell("comparator")),
                    target,
                    per_metric: some(cell("per_metric")).map(|m| metric_id(&m)),
                });
            }
            let input = LetterInput {
                year: year.map_or(0, |y| y as i64),
                issuer: key[1].clone(),
                counterpart_kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                township_code,
                department_id,
                enterprise_id,
                title: key[4].clone(),
                signed_on: key[5].clone(),
                indicators,
                note: rows
                    .first()
                    .map(|(_, c)| map.get(c, "note"))
                    .unwrap_or_default(),
                version: None,
            };
            let checked = self.validate_letter(caller, &input, &cat)?;
            if let Err(e) = &checked {
                for (field, msgs) in &e.fields {
                    // An indicator's problem is on its row; the letter's on its first row.
                    let at = field
                        .strip_prefix("indicators[")
                        .and_then(|r| r.split_once(']'))
                        .and_then(|(n, _)| n.parse::<usize>().ok())
                        .filter(|n| *n < rows.len())
                        .unwrap_or(0);
                    // Counterpart problems were said in words above.
                    if row_msgs[0].iter().any(|m| m.starts_with(column_of(field)))
                        && matches!(
                            field.as_str(),
                            "township_code"
                                | "department_id"
                                | "enterprise_id"
                                | "counterpart_kind"
                        )
                    {
                        continue;
                    }
                    for m in msgs {
                        row_msgs[at].push(format!("{}：{m}", column_of(field)));
                    }
                }
            }
            let any_bad = row_msgs.iter().any(|m| !m.is_empty());
            match checked {
                Ok(letter) if !any_bad => ok.push(letter),
                _ => {
                    let first_bad = rows
                        .iter()
                        .zip(&row_msgs)
                        .find(|(_, m)| !m.is_empty())
                        .map_or(0, |((r, _), _)| *r);
                    for ((rownum, _), msgs) in rows.iter().zip(row_msgs) {
                        let msgs = if msgs.is_empty() {
                            vec![format!("同一份责任状的第{first_bad}行有误，整份未导入")]
                        } else {
                            msgs
                        };
                        bad.push(*rownum, || msgs);
                    }
                }
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .create_letters(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
