//! The 现场检查记录 of an inspection as a Word file.

use super::*;

impl App {
    /// The 现场检查记录 as a Word file.
    pub fn inspection_record_docx(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let (i, findings) = self.store.get_inspection(&caller.scope, id)?;
        let name = self.instance_name()?;
        let items: Vec<serde_json::Value> = serde_json::from_str(&i.checklist).unwrap_or_default();
        let dept = match i.department_id {
            Some(d) => self
                .store
                .get_department(&Scope::system(), d, self.clock.today())
                .map(|d| d.name)
                .unwrap_or_default(),
            None => format!("{name}安全生产委员会办公室"),
        };
        let kind = KINDS
            .iter()
            .find(|(k, _)| *k == i.kind)
            .map(|(_, l)| *l)
            .unwrap_or("");
        let mut body = vec![
            format!(
                "被检查单位：{}",
                i.enterprise_name
                    .clone()
                    .unwrap_or_else(|| "（公共区域）".into())
            ),
            format!("检查场所：{}（{}）", i.site, i.region_name),
            format!(
                "检查时间：{}　　检查类型：{kind}{}",
                i.inspected_on,
                if i.enforcement {
                    "（行政执法检查）"
                } else {
                    ""
                }
            ),
        ];
        let others = accompanying(&i);
        if i.officers.is_empty() {
            // Recorded before the roster: the people as typed.
            body.push(format!("检查人员：{}", others.join("、")));
        } else {
            body.push(format!("执法人员：{}", officers_line(&i)));
            if !others.is_empty() {
                body.push(format!("其他检查人员：{}", others.join("、")));
            }
        }
        body.push("检查情况：".to_string());
        if !i.summary.is_empty() {
            body.push(i.summary.clone());
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|it| {
                let r = match it["result"].as_str() {
                    Some("pass") => "符合",
                    Some("fail") => "不符合",
                    _ => "不适用",
                };
                vec![
                    it["code"].as_str().unwrap_or_default().to_string(),
                    it["text"].as_str().unwrap_or_default().to_string(),
                    r.to_string(),
                    it["note"].as_str().unwrap_or_default().to_string(),
                ]
            })
            .collect();
        let mut closing = vec![format!("发现问题 {} 项：", findings.len())];
        closing.extend(
            findings
                .iter()
                .enumerate()
                .map(|(k, f)| format!("{}. {}", k + 1, f.description)),
        );
        closing.push("被检查单位负责人（签字）：　　　　　　执法人员（签字）：".into());
        body.extend(closing);
        let headers = ["序号", "检查内容", "结果", "说明"];
        crate::docx::document(
            "现场检查记录",
            &format!("{dept}　检查记录第{}号", i.id),
            &body,
            (!rows.is_empty()).then_some((&headers[..], &rows[..])),
            &dept,
            &i.inspected_on.to_string(),
        )
    }
}
