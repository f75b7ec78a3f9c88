//! Excel ledgers (台账) of the enforcement records: penalty cases, documents and draws,
//! each in the caller's scope.

use crate::export::{ExportFormat, render};
use crate::{App, Caller, Result};
use anjian_domain::Scope;

fn yuan(v: f64) -> String {
    format!("{v:.2}")
}

impl App {
    /// 行政处罚案件台账.
    pub fn cases_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let items = self.cases(caller, None, None)?;
        let headers = [
            "案件编号",
            "程序",
            "当事人",
            "当事人类型",
            "违法事实",
            "处罚依据",
            "罚款（元）",
            "处罚种类",
            "重大决定",
            "法制审核",
            "立案日期",
            "决定日期",
            "送达日期",
            "执行日期",
            "结案日期",
            "状态",
            "加处罚款（元）",
        ];
        let widths = [
            8.0, 8.0, 28.0, 8.0, 40.0, 30.0, 12.0, 24.0, 8.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0,
            12.0, 12.0,
        ];
        let rows: Vec<Vec<String>> = items
            .into_iter()
            .map(|v| {
                let c = &v.case;
                let measures: Vec<&str> = c
                    .measures
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(|m| {
                        crate::cases::MEASURES
                            .iter()
                            .find(|(k, _)| *k == m)
                            .map(|(_, l)| *l)
                            .unwrap_or(m)
                    })
                    .collect();
                vec![
                    c.id.to_string(),
                    if c.procedure == "simple" {
                        "简易程序"
                    } else {
                        "普通程序"
                    }
                    .to_string(),
                    c.party_name.clone(),
                    if c.party_kind == "person" {
                        "公民"
                    } else {
                        "单位"
                    }
                    .to_string(),
                    c.facts.clone(),
                    c.legal_basis.clone(),
                    yuan(v.fine_yuan),
                    measures.join("、"),
                    if c.major { "是" } else { "否" }.to_string(),
                    c.legal_review.clone(),
                    c.registered_on.clone(),
                    c.decided_on.clone().unwrap_or_default(),
                    c.served_on.clone().unwrap_or_default(),
                    c.executed_on.clone().unwrap_or_default(),
                    c.closed_on.clone().unwrap_or_default(),
                    v.status_label.to_string(),
                    yuan(v.late_surcharge_yuan),
                ]
            })
            .collect();
        render(
            ExportFormat::Xlsx,
            "行政处罚案件台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// 执法文书台账.
    pub fn documents_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let items = self.documents(caller, None)?;
        let deps = self.store.list_departments(&Scope::system())?;
        let headers = [
            "文号",
            "文书种类",
            "标题",
            "制发部门",
            "制发日期",
            "制发人",
            "所属记录",
            "送达日期",
            "受送达人",
            "送达方式",
        ];
        let widths = [28.0, 20.0, 40.0, 24.0, 12.0, 12.0, 14.0, 12.0, 14.0, 12.0];
        let rows: Vec<Vec<String>> = items
            .into_iter()
            .map(|d| {
                let entity = match d.entity.as_str() {
                    "inspection" => "检查",
                    "hazard" => "隐患",
                    _ => "案件",
                };
                vec![
                    d.doc_no.clone(),
                    crate::documents::doc_type(&d.doc_type)
                        .map(|t| t.title)
                        .unwrap_or("")
                        .to_string(),
                    d.title.clone(),
                    deps.iter()
                        .find(|x| x.id == d.department_id)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                    d.issued_on.clone(),
                    d.issued_by.clone(),
                    format!("{entity} {}", d.entity_id),
                    d.served_on.clone().unwrap_or_default(),
                    d.served_to.clone(),
                    d.service_method.clone(),
                ]
            })
            .collect();
        render(ExportFormat::Xlsx, "执法文书台账", &headers, &widths, &rows)
    }

    /// 双随机抽查台账: one row per task.
    pub fn draws_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let users = self.store.list_users(&Scope::system())?;
        let headers = [
            "批次",
            "批次名称",
            "抽取日期",
            "公示期限",
            "公示日期",
            "公示载体",
            "类别",
            "检查对象",
            "执法检查人员",
        ];
        let widths = [8.0, 36.0, 12.0, 12.0, 12.0, 24.0, 16.0, 32.0, 30.0];
        let mut rows = Vec::new();
        for d in self.draws(caller)? {
            let v = self.draw_view(caller, d.id)?;
            for t in &v.tasks {
                let ids: Vec<i64> = serde_json::from_str(&t.inspectors).unwrap_or_default();
                let names: Vec<String> = ids
                    .iter()
                    .map(|i| {
                        users
                            .iter()
                            .find(|u| u.id == *i)
                            .map(|u| u.display_name.clone())
                            .unwrap_or_else(|| i.to_string())
                    })
                    .collect();
                rows.push(vec![
                    d.id.to_string(),
                    d.title.clone(),
                    d.drawn_on.clone().unwrap_or_default(),
                    d.publish_due.clone().unwrap_or_default(),
                    d.published_on.clone().unwrap_or_default(),
                    d.published_where.clone(),
                    t.stratum.clone(),
                    t.enterprise_name.clone(),
                    names.join("、"),
                ]);
            }
        }
        render(
            ExportFormat::Xlsx,
            "双随机抽查台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
