//! The sidebar: each role sees the places it works in, decided by the role's duties
//! ([`Permission`]), never by listing roles here.

use anjian_app::Caller;
use anjian_domain::scope::Permission;

/// One link of the sidebar; `key` is the page's `Chrome::nav` that marks it active.
#[derive(Debug, Clone)]
pub struct MenuItem {
    pub href: String,
    pub key: &'static str,
    pub label: &'static str,
}

/// A titled group of links (the first group has no title).
#[derive(Debug, Clone)]
pub struct MenuGroup {
    pub title: &'static str,
    pub items: Vec<MenuItem>,
}

fn item(href: &str, key: &'static str, label: &'static str) -> MenuItem {
    MenuItem {
        href: href.to_string(),
        key,
        label,
    }
}

/// The sidebar for this caller.
pub fn menu(caller: &Caller) -> Vec<MenuGroup> {
    let can = |p: Permission| caller.can(p);
    let county = can(Permission::ViewCountyWork);
    let mut groups = Vec::new();
    groups.push(MenuGroup {
        title: "",
        items: vec![
            item("/", "home", "工作台"),
            item("/todos", "todos", "我的待办"),
        ],
    });
    if county {
        groups.push(MenuGroup {
            title: "责任体系",
            items: vec![
                item("/regions", "regions", "行政区划"),
                item("/leaders", "leaders", "包片包线"),
                item("/departments", "departments", "部门与职责"),
                item("/duties", "duties", "职责清单"),
                item("/accountability", "accountability", "约谈问责"),
                item("/sectors", "sectors", "行业领域"),
                item("/letters", "letters", "目标责任状"),
                item("/capability", "capability", "乡村应急能力创建"),
                item("/disaster-events", "disasters", "自然灾害应对"),
            ],
        });
    }
    // An enterprise's own record; a supervisor's assigned sites; the registry for the rest.
    let registry = match caller.user.enterprise_id {
        Some(id) if can(Permission::RegisterOwnHazardsOnly) => {
            item(&format!("/enterprises/{id}"), "enterprises", "本企业档案")
        }
        _ if !county => item("/enterprises", "enterprises", "驻守企业（处所）"),
        _ => item("/enterprises", "enterprises", "企业信息库"),
    };
    let mut registry = vec![registry];
    if county && can(Permission::ViewEnterprises) {
        registry.push(item("/risk-grades", "risk_grades", "企业风险等级"));
    }
    // An enterprise reads the responsibility letters it signed.
    if can(Permission::RegisterOwnHazardsOnly) {
        registry.push(item("/letters", "letters", "本企业责任状"));
    }
    groups.push(MenuGroup {
        title: "监管对象",
        items: registry,
    });
    let mut hazards = Vec::new();
    if can(Permission::RegisterOwnHazardsOnly) {
        hazards.push(item("/hazards/new", "hazard_new", "登记自查隐患"));
        hazards.push(item("/hazards", "hazards", "本企业隐患"));
        hazards.push(item("/inspections", "inspections", "接受的检查"));
    } else {
        hazards.push(item("/inspections", "inspections", "监督检查"));
        hazards.push(item("/hazards", "hazards", "隐患台账"));
        hazards.push(item("/hazards?overdue=true", "hazards_overdue", "逾期隐患"));
    }
    // 风险分级管控 (the other half of 双重预防): an enterprise grades its own points.
    if can(Permission::RegisterOwnHazardsOnly) {
        hazards.push(item("/risk-points", "risk_points", "本企业风险点"));
    } else if county {
        hazards.push(item("/risk-points", "risk_points", "风险分级管控"));
    }
    if county {
        hazards.push(item("/major-hazards", "major", "重大隐患清单"));
        hazards.push(item("/listings", "listings", "挂牌督办"));
    }
    groups.push(MenuGroup {
        title: "隐患排查治理",
        items: hazards,
    });
    // 派驻监督: a supervisor's day; the units that station supervisors see the coverage.
    if can(Permission::CheckInAtSites) {
        groups.push(MenuGroup {
            title: "派驻监督",
            items: vec![
                item("/station", "station", "今日驻点"),
                item("/station/coverage", "station_coverage", "本周驻点覆盖"),
            ],
        });
    } else if county && can(Permission::DirectRemediation) {
        groups.push(MenuGroup {
            title: "派驻监督",
            items: vec![
                item("/station/roster", "station_roster", "派驻管理"),
                item("/station/coverage", "station", "驻点覆盖"),
            ],
        });
    }
    if county {
        groups.push(MenuGroup {
            title: "森林防灭火",
            items: vec![
                item("/forest", "forest", "网格责任链"),
                item("/forest/patrols", "forest_patrols", "巡护与检查站"),
                item("/forest/equipment", "forest_equipment", "防灭火装备"),
            ],
        });
        groups.push(MenuGroup {
            title: "应急管理",
            items: vec![
                item("/map", "map", "一张图"),
                item("/emergency-resources", "emergency", "应急资源"),
                item("/dispatches", "dispatch", "一键调度"),
                item("/dispatch-channels", "dispatch_channels", "通知渠道"),
            ],
        });
    }
    // 在线监测: everyone who sees monitoring (an enterprise its own objects and alarms); the
    // county's rules page for the 安委办.
    if can(Permission::ViewMonitoring) {
        let mut items = vec![
            item("/monitoring", "monitoring", "监测对象"),
            item("/monitoring/alarms", "monitoring_alarms", "监测报警"),
        ];
        if can(Permission::ConfigureCounty) {
            items.push(item(
                "/monitoring/settings",
                "monitoring_settings",
                "监测规则",
            ));
        }
        groups.push(MenuGroup {
            title: "在线监测",
            items,
        });
    }
    // 宣传教育: the training the units record, and the certificates of the enterprises in
    // scope (an enterprise its own).
    let mut education = Vec::new();
    if county {
        education.push(item("/training", "training", "培训记录"));
    }
    if can(Permission::ViewEnterprises) && (county || can(Permission::RegisterOwnHazardsOnly)) {
        education.push(item("/certificates", "certificates", "考核合格证"));
    }
    if !education.is_empty() {
        groups.push(MenuGroup {
            title: "宣传教育",
            items: education,
        });
    }
    if can(Permission::ViewCountyWork) {
        groups.push(MenuGroup {
            title: "事故",
            items: vec![item("/accidents", "accidents", "事故台账")],
        });
    }
    let mut enforcement = Vec::new();
    if can(Permission::ViewEnforcement) {
        enforcement.push(item("/plans", "plans", "执法计划"));
        enforcement.push(item("/draws", "draws", "双随机抽查"));
    }
    if can(Permission::ViewEnforcement) || can(Permission::OpenCases) {
        enforcement.push(item("/cases", "cases", "行政处罚"));
    }
    if can(Permission::ViewEnforcement) {
        enforcement.push(item("/transfers", "transfers", "行刑衔接"));
    }
    if can(Permission::ViewEnforcement) || can(Permission::Supervise) {
        enforcement.push(item("/reports", "reports", "举报奖励"));
    }
    if can(Permission::ViewEnforcement) || can(Permission::OpenCases) {
        enforcement.push(item("/commissions", "commissions", "委托执法"));
    }
    if can(Permission::Supervise) {
        enforcement.push(item("/officers", "officers", "执法人员名册"));
    }
    if !enforcement.is_empty() {
        groups.push(MenuGroup {
            title: "执法",
            items: enforcement,
        });
    }
    if county {
        groups.push(MenuGroup {
            title: "统计分析",
            items: vec![
                item("/metrics", "metrics", "统计指标"),
                item("/statistics/report", "stat_report", "统计报告"),
                item("/statistics/briefing", "briefing", "领导简报"),
                item("/ranking", "ranking", "调度排名"),
                item("/assessments", "assessments", "年度考核"),
                item("/work-records", "work_records", "工作记录"),
                item("/campaigns", "campaigns", "专项行动"),
                item("/campaign-ledgers", "campaign_ledgers", "专项行动台账"),
                item("/calendar", "calendar", "工作日历"),
            ],
        });
    }
    if can(Permission::ManageUsers)
        || can(Permission::ViewAudit)
        || can(Permission::ManageOrganisation)
    {
        let mut items = Vec::new();
        if can(Permission::ManageUsers) {
            items.push(item("/users", "users", "用户与权限"));
        }
        if can(Permission::ManageOrganisation) {
            items.push(item("/settings", "settings", "系统设置"));
            items.push(item(
                "/document-templates",
                "document_templates",
                "文书模板",
            ));
        }
        if can(Permission::ViewAudit) {
            items.push(item("/audit", "audit", "审计日志"));
        }
        groups.push(MenuGroup {
            title: "系统管理",
            items,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use anjian_domain::scope::{ALL_ROLES, Role};

    fn caller(role: Role) -> Caller {
        Caller {
            user: anjian_app::testing::store::users::User {
                id: 1,
                username: "u".into(),
                display_name: "用户".into(),
                role: role.as_str().into(),
                region_code: String::new(),
                department_id: None,
                enterprise_id: (role == Role::Enterprise).then_some(7),
                phone: None,
                active: true,
                failed_logins: 0,
                locked_until: None,
                last_login_at: None,
                version: 1,
                created_at: String::new(),
                must_change_password: false,
                password_changed_at: None,
                cert_no: None,
                cert_valid_until: None,
                site_ids: vec![],
            },
            role,
            scope: Default::default(),
            request_id: String::new(),
            ip: String::new(),
            password_change_required: false,
        }
    }

    fn hrefs(role: Role) -> Vec<String> {
        menu(&caller(role))
            .into_iter()
            .flat_map(|g| g.items)
            .map(|i| i.href)
            .collect()
    }

    #[test]
    fn each_role_sees_its_own_places() {
        for role in ALL_ROLES {
            let h = hrefs(role);
            assert!(h.contains(&"/".to_string()), "{role:?}");
            assert!(h.contains(&"/todos".to_string()), "{role:?}");
        }
        let e = hrefs(Role::Enterprise);
        assert!(e.contains(&"/enterprises/7".to_string()), "{e:?}");
        assert!(e.contains(&"/hazards/new".to_string()), "{e:?}");
        for dead_end in ["/plans", "/metrics", "/regions", "/ranking", "/users"] {
            assert!(
                !e.contains(&dead_end.to_string()),
                "{dead_end} for an enterprise"
            );
        }
        let s = hrefs(Role::Supervisor);
        for dead_end in ["/plans", "/metrics", "/regions", "/hazards/new", "/cases"] {
            assert!(
                !s.contains(&dead_end.to_string()),
                "{dead_end} for a supervisor"
            );
        }
        let t = hrefs(Role::Township);
        assert!(t.contains(&"/commissions".to_string()) && !t.contains(&"/plans".to_string()));
        assert!(t.contains(&"/letters".to_string()) && t.contains(&"/capability".to_string()));
        assert!(e.contains(&"/letters".to_string()) && !e.contains(&"/capability".to_string()));
        assert!(!s.contains(&"/letters".to_string()));
        let l = hrefs(Role::Leader);
        assert!(l.contains(&"/ranking".to_string()) && !l.contains(&"/users".to_string()));
        let a = hrefs(Role::Admin);
        assert!(a.contains(&"/users".to_string()) && a.contains(&"/audit".to_string()));
        // The officers' roster for those who inspect.
        for role in [
            Role::Admin,
            Role::Department,
            Role::Inspector,
            Role::Township,
        ] {
            assert!(hrefs(role).contains(&"/officers".to_string()), "{role:?}");
        }
        for role in [Role::Leader, Role::Enterprise, Role::Supervisor] {
            assert!(!hrefs(role).contains(&"/officers".to_string()), "{role:?}");
        }
    }
}
