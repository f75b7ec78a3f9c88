//! The daily job issues the 通报 at the start of each cycle.

use super::*;

#[tokio::test]
async fn the_daily_job_issues_the_bulletin_at_the_start_of_each_cycle() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let admin = t.token("admin").await;
    let id = new_major(&t, &insp).await;
    for body in [
        json!({"action": "list", "basis_standard": "判定标准", "basis_clause": "第四条", "determined_by": "专题会议"}),
        json!({"action": "assign", "assignment_no": "交〔2022〕9号", "assigning_unit": "市安委办", "coordinating_supervisor": "市应急管理局", "responsible_unit": "测试企业1有限公司", "deadline": "2022-06-05"}),
    ] {
        assert_eq!(case_act(&t, &admin, id, body).await.status, StatusCode::OK);
    }
    // 2022-06-16 starts the second half of June: the job issues the 通报 by itself.
    t.clock.advance(chrono::Duration::days(15));
    let admin = t.token("admin").await;
    assert_eq!(
        t.call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None
        )
        .await
        .json()["ran"],
        true
    );
    let list = t
        .call("GET", "/api/v1/major-hazards/bulletins", Some(&admin), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    assert!(
        list["items"][0]["items"]
            .as_str()
            .unwrap_or_default()
            .contains("交〔2022〕9号")
    );
    // A monthly cycle: the next bulletin is for July, issued on 07-01.
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/major_bulletin_cycle",
            Some(&admin),
            Some(json!({"value": "month"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/settings/major_bulletin_cycle",
            Some(&admin),
            Some(json!({"value": "daily"}))
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/settings/other",
            Some(&admin),
            Some(json!({"value": "x"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    t.clock.advance(chrono::Duration::days(15)); // 07-01
    let admin = t.token("admin").await;
    assert_eq!(
        t.call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None
        )
        .await
        .json()["ran"],
        true
    );
    let list = t
        .call("GET", "/api/v1/major-hazards/bulletins", Some(&admin), None)
        .await
        .json();
    let cycles: Vec<&str> = list["items"]
        .as_array()
        .map(|v| v.iter().filter_map(|b| b["cycle"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(cycles, vec!["2022年7月", "2022年6月下半月"]);
}
