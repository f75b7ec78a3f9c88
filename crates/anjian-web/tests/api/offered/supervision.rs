//! The supervision loops: hazard, 一单四制 and 挂牌督办.

use super::*;

#[tokio::test]
async fn hazard_offers_exactly_what_it_accepts() {
    let t = spawn();
    // The steps alone: evidence for a report is a file uploaded beside them, not a step
    // (tested in hazards::lifecycle), so the county's evidence rule is off here.
    let admin = t.token("admin").await;
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/hazard_report_requires_evidence",
            Some(&admin),
            Some(json!({"value": "false"})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
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
