//! The pages and the API offer exactly what the use case accepts: for every workflow, at every
//! state along its main path, for every role, each offered action succeeds and each hidden one
//! is refused (403, 404, 409, or 422 naming a precondition still missing), on a fresh record in
//! that state.

use crate::helpers::*;
use serde_json::{Value, json};
use std::collections::HashMap;

const USERS: [&str; 7] = [
    "admin", "leader", "yingji", "zhifa", "town_a", "qiye", "paizhu",
];

struct Flow {
    name: &'static str,
    /// Where the record is created (`None`: `base`).
    create_at: Option<&'static str>,
    base: &'static str,
    /// Who creates the record, and the body.
    create: (&'static str, Value),
    /// The main path: who takes each step, with its body (it names the action). A step by
    /// `"clock"` moves the clock on by its `days` (each fresh record starts at the same time).
    path: Vec<(&'static str, Value)>,
    /// One complete body per action of the catalogue.
    catalogue: Vec<Value>,
    /// Evidence files are attached to the record (a hazard) by its creator before the path:
    /// close-out needs them.
    evidence: bool,
    /// Each record gets a year of its own (a plan is one per department and year).
    unique_year: bool,
}

/// The test clock's start (every fresh record is made then).
fn start_of(_t: &TestApp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2022-06-01T09:00:00+08:00")
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

static NEXT_YEAR: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(2030);

/// Sign-ins per user and clock offset (a session signed in at the start has expired by the
/// time a path's clock step has moved the clock on).
#[derive(Default)]
struct Tokens(HashMap<(i64, &'static str), String>);

impl Tokens {
    async fn get(&mut self, t: &TestApp, user: &'static str) -> String {
        let offset = (anjian_domain::clock::Clock::now(&*t.clock) - start_of(t)).num_days();
        if let Some(tok) = self.0.get(&(offset, user)) {
            return tok.clone();
        }
        let tok = t.token(user).await;
        self.0.insert((offset, user), tok.clone());
        tok
    }
}

async fn fresh(t: &TestApp, tokens: &mut Tokens, f: &Flow, steps: usize) -> i64 {
    t.clock.set(start_of(t));
    let (who, body) = &f.create;
    let mut body = body.clone();
    if f.unique_year {
        body["year"] = json!(NEXT_YEAR.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    }
    let r = t
        .call(
            "POST",
            f.create_at.unwrap_or(f.base),
            Some(&tokens.get(t, who).await),
            Some(body),
        )
        .await;
    assert!(r.status.is_success(), "{}: create: {}", f.name, r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    if f.evidence {
        let (ct, body) = crate::major::multipart_pdf();
        let r = t
            .raw(
                "POST",
                &format!("/api/v1/hazards/{id}/attachments"),
                Some(&tokens.get(t, who).await),
                &ct,
                body,
            )
            .await;
        assert!(r.status.is_success(), "{}: evidence: {}", f.name, r.text());
    }
    for (who, body) in &f.path[..steps] {
        if *who == "clock" {
            let days = body["days"].as_i64().unwrap_or_default();
            t.clock.advance(chrono::Duration::days(days));
            continue;
        }
        let r = t
            .call(
                "POST",
                &format!("{}/{id}/actions", f.base),
                Some(&tokens.get(t, who).await),
                Some(body.clone()),
            )
            .await;
        assert!(
            r.status.is_success(),
            "{}: path step {body} by {who}: {}",
            f.name,
            r.text()
        );
    }
    id
}

async fn check(t: &TestApp, f: &Flow) {
    let mut tokens = Tokens::default();
    for steps in 0..=f.path.len() {
        for user in USERS {
            let id = fresh(t, &mut tokens, f, steps).await;
            let r = t
                .call(
                    "GET",
                    &format!("{}/{id}", f.base),
                    Some(&tokens.get(t, user).await),
                    None,
                )
                .await;
            let offered: Vec<String> = if r.status.is_success() {
                r.json()["allowed_actions"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            for body in &f.catalogue {
                let action = body["action"].as_str().unwrap_or_default().to_string();
                let id = fresh(t, &mut tokens, f, steps).await;
                let r = t
                    .call(
                        "POST",
                        &format!("{}/{id}/actions", f.base),
                        Some(&tokens.get(t, user).await),
                        Some(body.clone()),
                    )
                    .await;
                let code = r.status.as_u16();
                if offered.contains(&action) {
                    assert!(
                        r.status.is_success(),
                        "{}: after {steps} steps, {user} was offered {body} but: {}",
                        f.name,
                        r.text()
                    );
                } else {
                    assert!(
                        // Refused: not this actor's (403), not in this state (409), not visible
                        // (404), or a legal precondition still missing (422, naming it).
                        matches!(code, 403 | 404 | 409 | 422),
                        "{}: after {steps} steps, {user} was not offered {body} but got {code}: {}",
                        f.name,
                        r.text()
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn hazard_offers_exactly_what_it_accepts() {
    let t = spawn();
    let flow = Flow {
        name: "hazard",
        create_at: None,
        base: "/api/v1/hazards",
        create: (
            "zhifa",
            json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "general",
                   "source": "inspection", "description": "安全出口堵塞", "found_on": "2022-05-20", "deadline": "2022-06-30"}),
        ),
        path: vec![
            ("zhifa", json!({"action": "order", "note": "责令整改"})),
            ("qiye", json!({"action": "start", "note": "开始整改"})),
            ("qiye", json!({"action": "report", "note": "已清理"})),
            ("zhifa", json!({"action": "pass", "note": "复查合格"})),
        ],
        catalogue: [
            "order",
            "fix_on_site",
            "start",
            "report",
            "pass",
            "reject",
            "extend",
            "note",
        ]
        .into_iter()
        .map(|a| json!({"action": a, "note": "办理说明", "deadline": "2022-08-31"}))
        .collect(),
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn transfer_offers_exactly_what_it_accepts() {
    let t = spawn();
    let flow = Flow {
        name: "transfer",
        create_at: None,
        base: "/api/v1/transfers",
        create: (
            "zhifa",
            json!({"enterprise_id": t.ids.a_haz, "subject": "测试企业1有限公司 负责人王某", "crime_type": "dangerous_operation",
                   "facts": "关闭可燃气体报警装置后继续生产", "officers": ["杨帆", "钟敏"]}),
        ),
        path: vec![
            (
                "yingji",
                json!({"action": "approve", "approver": "王局长", "capacity": "principal"}),
            ),
            (
                "zhifa",
                json!({"action": "transfer", "police_unit": "测试市公安局"}),
            ),
            (
                "zhifa",
                json!({"action": "police_filed", "outcome": "已立案侦查"}),
            ),
        ],
        catalogue: [
            "approve",
            "reject",
            "transfer",
            "police_filed",
            "police_not_filed",
        ]
        .into_iter()
        .map(|a| {
            json!({"action": a, "reason": "理由", "police_unit": "测试市公安局", "outcome": "结果",
                        "approver": "王局长", "capacity": "principal"})
        })
        .collect(),
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn report_offers_exactly_what_it_accepts() {
    let t = spawn();
    let dept = t.user("yingji").department_id;
    // The county's rule rewards general-hazard reports (a local setting).
    let admin = t.token("admin").await;
    let mut rule = t
        .call("GET", "/api/v1/reward-rule", Some(&admin), None)
        .await
        .json();
    rule["general_hazard_fen"] = json!(30000);
    let r = t
        .call("PUT", "/api/v1/reward-rule", Some(&admin), Some(rule))
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let flow = Flow {
        name: "report",
        create_at: None,
        base: "/api/v1/reports",
        // About a place rather than one enterprise, so that the many fresh reports are not
        // one matter (on one matter only the first received is rewarded).
        create: (
            "admin",
            json!({"channel": "12350热线", "anonymous": false, "reporter_name": "李某", "reporter_phone": "13907951234",
                   "category": "general", "content": "安全出口堵塞", "region_code": VILLAGE_A1, "sector": "hazchem"}),
        ),
        path: vec![
            ("admin", json!({"action": "assign", "department_id": dept})),
            (
                "zhifa",
                json!({"action": "verify", "outcome": "verified", "note": "属实"}),
            ),
            (
                "yingji",
                json!({"action": "reward", "approved_by": "举报奖励评审委员会"}),
            ),
            ("yingji", json!({"action": "pay"})),
        ],
        catalogue: vec![
            json!({"action": "assign", "department_id": dept}),
            json!({"action": "verify", "outcome": "verified", "note": "属实"}),
            json!({"action": "verify", "outcome": "unfounded", "note": "查无实据"}),
            json!({"action": "reward", "approved_by": "举报奖励评审委员会"}),
            json!({"action": "pay"}),
        ],
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn major_case_offers_exactly_what_it_accepts() {
    let t = spawn();
    let start = json!({"action": "start", "responsible_person": "张三", "measures": "加装紧急停车系统",
        "funds_planned": 800000, "emergency_plan": "危化品泄漏专项应急预案"});
    let flow = Flow {
        name: "一单四制",
        create_at: Some("/api/v1/hazards"),
        base: "/api/v1/major-hazards",
        create: (
            "zhifa",
            json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major",
                   "source": "inspection", "description": "重点监管危险化工工艺未设紧急停车系统", "found_on": "2022-05-20"}),
        ),
        path: vec![
            (
                "yingji",
                json!({"action": "list", "basis_standard": "判定标准", "basis_clause": "第四条", "determined_by": "专题会议"}),
            ),
            (
                "yingji",
                json!({"action": "assign", "assignment_no": "交〔2022〕7号", "assigning_unit": "市安委办",
                       "coordinating_supervisor": "市应急管理局", "responsible_unit": "测试企业1有限公司", "deadline": "2022-08-31"}),
            ),
            ("qiye", start.clone()),
            (
                "qiye",
                json!({"action": "request_closeout", "note": "已完成"}),
            ),
            ("yingji", json!({"action": "accept", "note": "验收合格"})),
        ],
        catalogue: vec![
            json!({"action": "list", "basis_standard": "判定标准", "basis_clause": "第四条", "determined_by": "专题会议"}),
            json!({"action": "downgrade", "note": "经专家论证不构成重大事故隐患"}),
            json!({"action": "assign", "assignment_no": "交〔2022〕8号", "assigning_unit": "市安委办",
                   "coordinating_supervisor": "市应急管理局", "responsible_unit": "测试企业1有限公司", "deadline": "2022-08-31"}),
            start,
            json!({"action": "ledger", "progress": 40, "note": "设备已采购"}),
            json!({"action": "request_extension", "deadline": "2022-09-30", "note": "设备到货延迟"}),
            json!({"action": "approve_extension", "note": "同意"}),
            json!({"action": "deny_extension", "note": "不同意"}),
            json!({"action": "request_closeout", "note": "已完成"}),
            json!({"action": "accept", "note": "验收合格"}),
            json!({"action": "fail", "note": "联锁未投用"}),
        ],
        evidence: true,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn listing_offers_exactly_what_it_accepts() {
    let t = spawn();
    let flow = Flow {
        name: "挂牌督办",
        create_at: None,
        base: "/api/v1/listings",
        create: (
            "yingji",
            json!({"title": "某化工企业重大事故隐患挂牌督办", "enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1,
                   "sector": "hazchem", "deadline": "2022-09-30", "responsible_unit": "测试企业1有限公司"}),
        ),
        path: vec![
            ("admin", json!({"action": "approve", "note": "同意挂牌"})),
            (
                "admin",
                json!({"action": "list", "doc_no": "清安委督〔2022〕3号", "announced_on": "2022-06-01", "channel": "市政府网站"}),
            ),
            (
                "qiye",
                json!({"action": "request_delist", "note": "已整改"}),
            ),
            ("yingji", json!({"action": "verify", "note": "核查合格"})),
            (
                "admin",
                json!({"action": "delist", "doc_no": "清安委督〔2022〕4号", "announced_on": "2022-06-01", "channel": "市政府网站"}),
            ),
        ],
        catalogue: vec![
            json!({"action": "approve", "note": "同意挂牌"}),
            json!({"action": "list", "doc_no": "清安委督〔2022〕3号", "announced_on": "2022-06-01", "channel": "市政府网站"}),
            json!({"action": "extend", "deadline": "2022-10-31", "note": "延期"}),
            json!({"action": "request_delist", "note": "已整改"}),
            json!({"action": "verify", "note": "核查合格"}),
            json!({"action": "reject", "note": "核查不合格"}),
            json!({"action": "delist", "doc_no": "清安委督〔2022〕4号", "announced_on": "2022-06-01", "channel": "市政府网站"}),
        ],
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn general_penalty_case_offers_exactly_what_it_accepts() {
    let t = spawn();
    let flow = Flow {
        name: "行政处罚（普通程序）",
        create_at: None,
        base: "/api/v1/cases",
        create: (
            "yingji",
            json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
                   "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0, "facts": "未按规定设置安全警示标志",
                   "legal_basis": "《安全生产法》第九十九条"}),
        ),
        path: vec![
            (
                "zhifa",
                json!({"action": "investigate", "note": "调查取证"}),
            ),
            ("yingji", json!({"action": "examine", "note": "案件审理"})),
            ("yingji", json!({"action": "notify", "note": "告知"})),
            (
                "yingji",
                json!({"action": "request_hearing", "note": "当事人申请听证"}),
            ),
            // Noticed 7 working days before the hearing (arts. 64(2), 85; 2022-06-03 is a
            // holiday), then the hearing day comes.
            (
                "yingji",
                json!({"action": "schedule_hearing", "on": "2022-06-01", "hearing_on": "2022-06-13"}),
            ),
            ("clock", json!({"days": 12})),
            ("yingji", json!({"action": "hear", "note": "听证"})),
            // After a hearing the 法制审核 comes first (行政处罚法 art. 58(2)).
            (
                "yingji",
                json!({"action": "legal_review", "reviewer": "法制员", "outcome": "pass", "note": "同意"}),
            ),
            ("yingji", json!({"action": "decide", "note": "决定"})),
            ("yingji", json!({"action": "serve", "note": "送达"})),
            ("yingji", json!({"action": "execute", "note": "执行"})),
            ("yingji", json!({"action": "close", "note": "结案"})),
        ],
        catalogue: vec![
            json!({"action": "investigate", "note": "调查取证"}),
            json!({"action": "examine", "note": "案件审理"}),
            json!({"action": "notify", "note": "告知"}),
            json!({"action": "request_hearing", "note": "申请听证"}),
            json!({"action": "hear", "note": "听证"}),
            json!({"action": "schedule_hearing", "on": "2022-06-01", "hearing_on": "2022-06-13"}),
            json!({"action": "waive", "note": "当事人书面声明放弃"}),
            json!({"action": "withdraw_hearing", "note": "当事人撤回听证申请"}),
            json!({"action": "hearing_absent", "note": "当事人未到场"}),
            json!({"action": "suspend", "kind": "appraisal", "note": "委托检测"}),
            json!({"action": "stay", "kind": "reconsideration", "note": "当事人申请行政复议"}),
            json!({"action": "resume", "note": "期间结束"}),
            json!({"action": "overturn", "kind": "changed", "note": "复议决定变更罚款"}),
            json!({"action": "legal_review", "reviewer": "法制员", "outcome": "pass", "note": "同意"}),
            json!({"action": "discuss", "note": "集体讨论"}),
            json!({"action": "extend", "days": 30, "approver": "局长", "note": "延期"}),
            json!({"action": "decide", "note": "决定"}),
            json!({"action": "serve", "note": "送达"}),
            json!({"action": "execute", "note": "执行"}),
            json!({"action": "close", "note": "结案"}),
            json!({"action": "terminate", "note": "违法事实不能成立"}),
        ],
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn draw_offers_exactly_what_it_accepts() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let dept = crate::draws::me_dept(&t, &yj).await;
    // Teams of two need two certified inspectors in the organising department.
    for n in ["zhifa2", "zhifa3"] {
        let r = t
            .call(
                "POST",
                "/api/v1/users",
                Some(&admin),
                Some(json!({"username": n, "display_name": n, "role": "inspector", "password": "abc12345678", "department_id": dept})),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
    }
    let flow = Flow {
        name: "双随机抽查",
        create_at: None,
        base: "/api/v1/draws",
        create: (
            "yingji",
            json!({"title": "危化企业随机抽查", "strata": [{"name": "危化", "sector": "hazchem", "quota": 1}], "team_size": 2}),
        ),
        path: vec![
            ("yingji", json!({"action": "draw", "entropy": "20220601"})),
            (
                "yingji",
                json!({"action": "publish", "published_on": "2022-06-01", "published_where": "市政府网站"}),
            ),
        ],
        catalogue: vec![
            json!({"action": "draw", "entropy": "20220601"}),
            json!({"action": "publish", "published_on": "2022-06-01", "published_where": "市政府网站"}),
        ],
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn plan_offers_exactly_what_it_accepts() {
    let t = spawn();
    let lines = json!([{"sector": "hazchem", "category": "key", "month": 6, "planned": 3}]);
    let flow = Flow {
        name: "执法计划",
        create_at: None,
        base: "/api/v1/plans",
        create: (
            "yingji",
            json!({"year": 2030, "title": "年度安全生产监督检查计划", "random_share_percent": 70, "version": 1,
                   "key_enterprise_ids": [], "lines": lines.clone()}),
        ),
        path: vec![(
            "admin",
            json!({"action": "approve", "version": 1, "approved_by": "清江市人民政府", "approved_on": "2022-06-01", "doc_no": "清府字〔2022〕9号"}),
        )],
        catalogue: vec![
            json!({"action": "revise", "title": "年度计划（修订）", "random_share_percent": 60, "version": 1,
                   "key_enterprise_ids": [], "lines": lines}),
            json!({"action": "approve", "version": 1, "approved_by": "清江市人民政府", "approved_on": "2022-06-01", "doc_no": "清府字〔2022〕9号"}),
        ],
        evidence: false,
        unique_year: true,
    };
    check(&t, &flow).await;
}
