//! Role × scope matrix: each role reads, lists, exports and changes only what
//! its scope allows — through the API and through the UI routes.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

struct Expect {
    user: &'static str,
    /// Which fixture enterprises the role sees (a_haz, a_fire, b_haz, b_fire).
    sees: [bool; 4],
    /// Which of them it may change.
    edits: [bool; 4],
    /// May it create an enterprise in village A1 with sector hazchem / fire?
    creates: [bool; 2],
    exports: bool,
    admin: bool,
}

const ALL: [bool; 4] = [true; 4];
const NONE: [bool; 4] = [false; 4];

fn matrix() -> Vec<Expect> {
    vec![
        Expect {
            user: "admin",
            sees: ALL,
            edits: ALL,
            creates: [true, true],
            exports: true,
            admin: true,
        },
        Expect {
            user: "leader",
            sees: ALL,
            edits: NONE,
            creates: [false, false],
            exports: true,
            admin: false,
        },
        Expect {
            user: "yingji",
            sees: [true, false, true, false],
            edits: [true, false, true, false],
            creates: [true, false],
            exports: true,
            admin: false,
        },
        Expect {
            user: "zhifa",
            sees: [true, false, true, false],
            edits: NONE,
            creates: [false, false],
            exports: true,
            admin: false,
        },
        Expect {
            user: "town_a",
            sees: [true, true, false, false],
            edits: [true, true, false, false],
            creates: [true, true],
            exports: true,
            admin: false,
        },
        Expect {
            user: "qiye",
            sees: [true, false, false, false],
            edits: NONE,
            creates: [false, false],
            exports: false,
            admin: false,
        },
        Expect {
            user: "paizhu",
            sees: [false, true, false, false],
            edits: NONE,
            creates: [false, false],
            exports: false,
            admin: false,
        },
    ]
}

fn fixture(t: &TestApp) -> [(i64, u32, &'static str, &'static str); 4] {
    [
        (t.ids.a_haz, 1, VILLAGE_A1, "hazchem"),
        (t.ids.a_fire, 2, TOWN_A, "fire"),
        (t.ids.b_haz, 3, VILLAGE_B1, "hazchem"),
        (t.ids.b_fire, 4, VILLAGE_B1, "fire"),
    ]
}

#[tokio::test]
async fn api_reads_lists_exports_and_writes_follow_scope() {
    let t = spawn();
    let fx = fixture(&t);
    let mut n = 500u32;
    for ex in matrix() {
        let token = t.token(ex.user).await;
        let tk = Some(token.as_str());
        // List.
        let j = t
            .call("GET", "/api/v1/enterprises?limit=100", tk, None)
            .await
            .json();
        let listed: Vec<i64> = j["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e["id"].as_i64())
            .collect();
        for (i, (id, ..)) in fx.iter().enumerate() {
            assert_eq!(
                listed.contains(id),
                ex.sees[i],
                "{} list of fixture {i}",
                ex.user
            );
            // Read.
            let r = t
                .call("GET", &format!("/api/v1/enterprises/{id}"), tk, None)
                .await;
            let expected = if ex.sees[i] {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(r.status, expected, "{} read of fixture {i}", ex.user);
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/enterprises/{id}/history"),
                    tk,
                    None,
                )
                .await;
            assert_eq!(r.status, expected, "{} history of fixture {i}", ex.user);
        }
        // Search cannot reach outside the scope either.
        let j = t
            .call(
                "GET",
                "/api/v1/enterprises?q=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A4",
                tk,
                None,
            )
            .await
            .json();
        assert_eq!(
            j["items"].as_array().map(Vec::len),
            Some(usize::from(ex.sees[3])),
            "{} search",
            ex.user
        );
        // Export.
        let r = t
            .call("GET", "/api/v1/enterprises/export?format=csv", tk, None)
            .await;
        if ex.exports {
            assert_eq!(r.status, StatusCode::OK, "{} export", ex.user);
            let csv = r.text();
            for (i, (_, num, ..)) in fx.iter().enumerate() {
                assert_eq!(
                    csv.contains(&format!("测试企业{num}有限公司")),
                    ex.sees[i],
                    "{} export of fixture {i}",
                    ex.user
                );
            }
        } else {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{} export", ex.user);
        }
        // Update (a rename, then back).
        for (i, (id, num, region, sector)) in fx.iter().enumerate() {
            let cur = t
                .call(
                    "GET",
                    &format!("/api/v1/enterprises/{id}"),
                    Some(&t.token("admin").await),
                    None,
                )
                .await
                .json();
            let mut body = enterprise_json(*num, region, sector);
            body["version"] = cur["version"].clone();
            let r = t
                .call("PUT", &format!("/api/v1/enterprises/{id}"), tk, Some(body))
                .await;
            // A role that may edit nothing is refused outright (403); a role that edits
            // some records does not learn that others exist (404).
            let expected = match (ex.sees[i], ex.edits[i]) {
                (_, true) => StatusCode::OK,
                (true, false) => StatusCode::FORBIDDEN,
                (false, false) if ex.edits.iter().any(|x| *x) => StatusCode::NOT_FOUND,
                (false, false) => StatusCode::FORBIDDEN,
            };
            assert_eq!(
                r.status,
                expected,
                "{} update of fixture {i}: {}",
                ex.user,
                r.text()
            );
        }
        // Create.
        for (k, sector) in ["hazchem", "fire"].iter().enumerate() {
            n += 1;
            let r = t
                .call(
                    "POST",
                    "/api/v1/enterprises",
                    tk,
                    Some(enterprise_json(n, VILLAGE_A1, sector)),
                )
                .await;
            assert_eq!(
                r.status == StatusCode::CREATED,
                ex.creates[k],
                "{} create {sector}: {}",
                ex.user,
                r.text()
            );
            if !ex.creates[k] {
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{} create {sector}",
                    ex.user
                );
            }
        }
        // A township user cannot register in another township.
        if ex.user == "town_a" {
            n += 1;
            let r = t
                .call(
                    "POST",
                    "/api/v1/enterprises",
                    tk,
                    Some(enterprise_json(n, VILLAGE_B1, "fire")),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        // Administration.
        let admin_status = if ex.admin {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(
            t.call("GET", "/api/v1/users", tk, None).await.status,
            admin_status,
            "{} users",
            ex.user
        );
        assert_eq!(
            t.call("GET", "/api/v1/audit", tk, None).await.status,
            admin_status,
            "{} audit",
            ex.user
        );
        let r = t
            .call(
                "POST",
                "/api/v1/sectors",
                tk,
                Some(json!({"code": "new_sector", "name": format!("新行业{}", ex.user)})),
            )
            .await;
        assert_eq!(r.status, admin_status, "{} sectors", ex.user);
        // Everyone reads the organisation they belong to.
        assert_eq!(
            t.call("GET", "/api/v1/departments", tk, None).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn ui_routes_follow_scope() {
    let t = spawn();
    let fx = fixture(&t);
    for ex in matrix() {
        let (session, csrf) = t.web_login(ex.user).await;
        let list = t.page("/enterprises", &session).await;
        assert_eq!(list.status, StatusCode::OK, "{} list page", ex.user);
        let html = list.text();
        for (i, (id, num, region, sector)) in fx.iter().enumerate() {
            assert_eq!(
                html.contains(&format!("测试企业{num}有限公司")),
                ex.sees[i],
                "{} list page fixture {i}",
                ex.user
            );
            let detail = t.page(&format!("/enterprises/{id}"), &session).await;
            let expected = if ex.sees[i] {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(
                detail.status, expected,
                "{} detail page fixture {i}",
                ex.user
            );
            // Edit through the form.
            let version = off_runtime(|| {
                t.app
                    .store_for_tests()
                    .get_enterprise(&anjian_domain::Scope::system(), *id)
                    .map(|e| e.version.to_string())
                    .unwrap_or_default()
            });
            let uscc_v = uscc(*num);
            let r = t
                .form(
                    &format!("/enterprises/{id}/edit"),
                    &session,
                    &[
                        ("_csrf", &csrf),
                        ("version", &version),
                        ("name", &format!("测试企业{num}有限公司")),
                        ("uscc", &uscc_v),
                        ("region_code", region),
                        ("sectors", sector),
                        ("status", "operating"),
                    ],
                )
                .await;
            let expected = match (ex.sees[i], ex.edits[i]) {
                (_, true) => StatusCode::SEE_OTHER,
                (true, false) => StatusCode::FORBIDDEN,
                (false, false) => {
                    if ex.edits.iter().any(|x| *x) {
                        StatusCode::NOT_FOUND
                    } else {
                        StatusCode::FORBIDDEN
                    }
                }
            };
            assert_eq!(r.status, expected, "{} form edit of fixture {i}", ex.user);
        }
        let export = t.page("/enterprises/export?format=csv", &session).await;
        assert_eq!(
            export.status == StatusCode::OK,
            ex.exports,
            "{} export page",
            ex.user
        );
        for p in ["/users", "/audit"] {
            let r = t.page(p, &session).await;
            assert_eq!(r.status == StatusCode::OK, ex.admin, "{} {p}", ex.user);
            if !ex.admin {
                assert_eq!(r.status, StatusCode::FORBIDDEN);
            }
        }
        for p in ["/", "/regions", "/departments", "/sectors"] {
            // An enterprise's home is its own record (一企一档): a redirect there.
            let home_moves = p == "/" && ex.user == "qiye";
            assert_eq!(
                t.page(p, &session).await.status,
                if home_moves {
                    StatusCode::SEE_OTHER
                } else {
                    StatusCode::OK
                },
                "{} {p}",
                ex.user
            );
        }
    }
}
