//! The ranking as an Excel ledger and the results as a Word summary.

use super::*;

impl App {
    /// The ranking of the units the caller sees as an Excel sheet: rank, unit, each item's
    /// score, total, and the deductions in words.
    pub fn assessment_ledger(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let v = self.assessment(caller, id)?;
        let mut headers: Vec<String> = vec!["名次".into(), v.unit_kind_label.clone()];
        headers.extend(v.items.iter().map(|i| {
            format!(
                "{}（{}分）",
                i.title,
                domain::centi_text(domain::centi(i.points))
            )
        }));
        headers.push("总分".into());
        headers.push("扣分情况".into());
        let mut widths = vec![6.0, 20.0];
        widths.extend(v.items.iter().map(|_| 12.0));
        widths.extend([10.0, 60.0]);
        let rows: Vec<Vec<String>> = v
            .units
            .iter()
            .map(|u| {
                let mut r = vec![u.rank.to_string(), u.unit_name.clone()];
                r.extend(
                    u.scores
                        .iter()
                        .map(|s| s.map_or_else(|| "未评分".into(), num)),
                );
                r.push(num(u.total));
                r.push(deductions(&v.items, &u.scores));
                r
            })
            .collect();
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            &format!("{}{}考核结果", v.assessment.year, v.round_label),
            &headers,
            &widths,
            &rows,
        )
    }

    /// The results as a Word document: what was assessed, by which rubric, the ranking with
    /// totals and deductions, and whether they are approved.
    pub fn assessment_summary_docx(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let v = self.assessment(caller, id)?;
        let a = &v.assessment;
        let county = self.instance_name()?;
        let title = format!(
            "{county}{}年{}{}安全生产工作考核结果",
            a.year, v.round_label, v.unit_kind_label
        );
        let mut body = vec![format!(
            "根据《{}》，对{}个{}{}安全生产工作进行了考核（考核期间：{}）。考核内容共{}项，满分{}分，其中按统计指标计算{}项、人工评分{}项；每项扣分均可追溯到相应的隐患、检查等记录。",
            a.title,
            v.unit_count,
            v.unit_kind_label,
            v.round_label,
            v.period_name,
            v.items.len(),
            domain::centi_text(v.items.iter().map(|i| domain::centi(i.points)).sum()),
            v.items
                .iter()
                .filter(|i| i.method == Method::Computed)
                .count(),
            v.items
                .iter()
                .filter(|i| i.method == Method::Manual)
                .count(),
        )];
        if let (Some(best), Some(last)) = (v.units.first(), v.units.last())
            && v.units.len() > 1
        {
            body.push(format!(
                "{}得分最高（{}分），{}得分最低（{}分）。",
                best.unit_name,
                num(best.total),
                last.unit_name,
                num(last.total)
            ));
        }
        body.push(match a.status {
            domain::EvaluationState::Approved => format!(
                "以上结果已于{}审定。对考核结果有异议的单位，可通过系统提出复核申请。",
                a.approved_at
                    .as_deref()
                    .and_then(|t| t.get(..10))
                    .unwrap_or("")
            ),
            domain::EvaluationState::Draft => "以上结果尚未审定，按当前记录计算，仅供参考。".into(),
        });
        let rows: Vec<Vec<String>> = v
            .units
            .iter()
            .map(|u| {
                vec![
                    u.rank.to_string(),
                    u.unit_name.clone(),
                    num(u.total),
                    deductions(&v.items, &u.scores),
                ]
            })
            .collect();
        crate::docx::document(
            &title,
            "",
            &body,
            Some((&["名次", "单位", "总分", "扣分情况"], &rows)),
            &format!("{county}安全生产委员会办公室"),
            &crate::docx::chinese_date(self.clock.today()),
        )
    }
}

fn num(v: f64) -> String {
    domain::centi_text(domain::centi(v))
}

/// "逾期未整改隐患扣13分；隐患整改率扣3.66分".
fn deductions(items: &[RubricItem], scores: &[Option<f64>]) -> String {
    let parts: Vec<String> = items
        .iter()
        .zip(scores)
        .filter_map(|(i, s)| {
            let lost = domain::centi(i.points) - domain::centi((*s)?);
            (lost > 0).then(|| format!("{}扣{}分", i.title, domain::centi_text(lost)))
        })
        .collect();
    if parts.is_empty() {
        "无扣分".into()
    } else {
        parts.join("；")
    }
}
