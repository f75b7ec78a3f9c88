//! The enforcement loops: 行刑衔接, 举报 and the general penalty case.

use super::*;

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
            // 国务院令第310号 art. 6: the letter is issued before the transfer is offered.
            (
                "document",
                json!({"doc_type": "transfer_letter", "entity": "transfer"}),
            ),
            (
                "zhifa",
                json!({"action": "transfer", "police_unit": "测试市公安局", "copied_to": "测试市人民检察院"}),
            ),
            (
                "zhifa",
                json!({"action": "police_limit", "police_limit": "verify", "reason": "线索需要查证"}),
            ),
            (
                "zhifa",
                json!({"action": "police_not_filed", "outcome": "不予立案"}),
            ),
            ("zhifa", json!({"action": "reconsider"})),
            (
                "zhifa",
                json!({"action": "police_not_filed", "outcome": "维持"}),
            ),
            (
                "zhifa",
                json!({"action": "supervise", "procuratorate": "测试市人民检察院"}),
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
            "police_limit",
            "police_filed",
            "police_not_filed",
            "reconsider",
            "supervise",
        ]
        .into_iter()
        .map(|a| {
            json!({"action": a, "reason": "理由", "police_unit": "测试市公安局", "outcome": "结果",
                        "approver": "王局长", "capacity": "principal", "copied_to": "测试市人民检察院",
                        "police_limit": "complex", "procuratorate": "测试市人民检察院"})
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
