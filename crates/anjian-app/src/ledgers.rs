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
                    c.registered_on.to_string(),
                    day(c.decided_on),
                    day(c.served_on),
                    day(c.executed_on),
                    day(c.closed_on),
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
        let deps = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
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
                    d.issued_on.to_string(),
                    d.issued_by.clone(),
                    format!("{entity} {}", d.entity_id),
                    day(d.served_on),
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
                    day(d.drawn_on),
                    day(d.publish_due),
                    day(d.published_on),
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

impl App {
    /// 行刑衔接台账.
    pub fn transfers_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let headers = [
            "编号",
            "涉嫌单位或人员",
            "涉嫌罪名",
            "报告日期",
            "决定日期",
            "移送日期",
            "公安机关",
            "公安机关决定日期",
            "书面告知日期",
            "状态",
            "超期环节",
            "移送人数",
            "抄送检察院",
            "公安机关接受日期",
            "处理结果",
        ];
        let widths = [
            8.0, 28.0, 24.0, 12.0, 12.0, 12.0, 20.0, 14.0, 12.0, 18.0, 24.0, 10.0, 20.0, 14.0, 30.0,
        ];
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let rows: Vec<Vec<String>> = self
            .transfers(caller)?
            .into_iter()
            .map(|v| {
                let t = &v.transfer;
                vec![
                    t.id.to_string(),
                    t.subject.clone(),
                    v.crime_label.to_string(),
                    t.report_on.to_string(),
                    day(t.decided_on),
                    day(t.transferred_on),
                    t.police_unit.clone(),
                    day(t.police_decided_on),
                    day(t.notified_on),
                    v.status_label.to_string(),
                    v.limits
                        .iter()
                        .filter(|l| l.overdue)
                        .map(|l| l.step)
                        .collect::<Vec<_>>()
                        .join("、"),
                    t.persons.to_string(),
                    t.copied_to.clone(),
                    day(t.accepted_on),
                    t.outcome.clone(),
                ]
            })
            .collect();
        render(ExportFormat::Xlsx, "行刑衔接台账", &headers, &widths, &rows)
    }

    /// 举报奖励台账 (without the reporter's phone number).
    pub fn reports_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let headers = [
            "编号",
            "受理日期",
            "渠道",
            "类别",
            "举报内容",
            "实名",
            "核查日期",
            "核查结论",
            "奖励（元）",
            "计算依据",
            "批准",
            "发放日期",
        ];
        let widths = [
            8.0, 12.0, 12.0, 16.0, 40.0, 8.0, 12.0, 12.0, 12.0, 40.0, 24.0, 12.0,
        ];
        let rows: Vec<Vec<String>> = self
            .reports(caller)?
            .into_iter()
            .map(|v| {
                let r = &v.report;
                vec![
                    r.id.to_string(),
                    r.received_on.to_string(),
                    r.channel.clone(),
                    v.category_label.to_string(),
                    r.content.clone(),
                    if r.anonymous { "否" } else { "是" }.to_string(),
                    day(r.verified_on),
                    v.status_label.to_string(),
                    v.reward_yuan.map(yuan).unwrap_or_default(),
                    r.reward_formula.clone(),
                    r.approved_by.clone(),
                    day(r.paid_on),
                ]
            })
            .collect();
        render(ExportFormat::Xlsx, "举报奖励台账", &headers, &widths, &rows)
    }

    /// 委托执法台账: cases per agency and item.
    pub fn commissions_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let headers = ["委托机关", "事项编码", "事项名称", "受委托办理案件数"];
        let widths = [30.0, 12.0, 30.0, 16.0];
        let rows: Vec<Vec<String>> = self
            .commission_figures(caller)?
            .into_iter()
            .map(|f| vec![f.agency, f.item_code, f.item_name, f.cases.to_string()])
            .collect();
        render(ExportFormat::Xlsx, "委托执法台账", &headers, &widths, &rows)
    }

    /// 执法计划执行台账: one row per plan and month.
    pub fn plans_ledger(&self, caller: &Caller, year: Option<i64>) -> Result<Vec<u8>> {
        let deps = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
        let headers = [
            "年度",
            "部门",
            "计划",
            "状态",
            "月份",
            "计划检查数",
            "完成数",
            "其中双随机",
        ];
        let widths = [8.0, 24.0, 32.0, 8.0, 8.0, 12.0, 10.0, 12.0];
        let mut rows = Vec::new();
        for p in self.plans(caller, year)? {
            let v = self.plan_progress(caller, p.id)?;
            let dep = deps
                .iter()
                .find(|d| d.id == p.department_id)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            for m in &v.months {
                rows.push(vec![
                    p.year.to_string(),
                    dep.clone(),
                    p.title.clone(),
                    p.status.label().to_string(),
                    format!("{}月", m.month),
                    m.planned.to_string(),
                    m.done.to_string(),
                    m.random_done.to_string(),
                ]);
            }
        }
        render(
            ExportFormat::Xlsx,
            "执法计划执行台账",
            &headers,
            &widths,
            &rows,
        )
    }
}

/// A date in a ledger cell (`YYYY-MM-DD`, empty when not yet).
fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}
