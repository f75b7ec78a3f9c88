//! Forest-fire prevention (森林防灭火): the county sets a season, a farm, equipment and its
//! handovers; two townships keep their chain of responsible persons down to every hill,
//! record patrols and checkpoint registers; the chain's gaps, the townships' kits and the
//! report's figures come from these records, each read in the caller's scope; a grid sheet
//! with a bad row is refused with its row and writes nothing.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::forest::{
    CheckpointDraft, CheckpointLogDraft, EquipmentDraft, FarmDraft, HandoverDraft, PatchDraft,
    PatrolDraft, SeasonDraft, WardenDraft,
};
use anjian_app::import::{ImportOptions, read_ledger_bytes, read_table_bytes};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const VILLAGE_A1: &str = "360982100201";
const VILLAGE_A2: &str = "360982100202";
const TOWN_B: &str = "360982101000";
const VILLAGE_B: &str = "360982101201";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct County {
    ts: TestStore,
    app: App,
    users: BTreeMap<&'static str, i64>,
}

impl County {
    /// 2022-11-15, in the 2022—2023 fire season.
    fn new() -> Self {
        let ts = TestStore::sqlite().unwrap();
        let clock = Arc::new(FixedClock::at_date(day("2022-11-15")));
        let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
        anjian_app::catalogue::ensure_defaults(&app).unwrap();
        let scope = Scope::system();
        let ch = app.system_change(&scope, "test");
        let rc = |s: &str| RegionCode::parse(s).unwrap();
        let region = |code: &str, name: &str, parent: Option<&str>| RegionInput {
            code: rc(code),
            name: name.into(),
            parent_code: parent.map(rc),
        };
        ts.store
            .upsert_regions(
                &ch,
                &[
                    region(COUNTY, "清江市", None),
                    region(TOWN_A, "阁山镇", Some(COUNTY)),
                    region(TOWN_B, "洲上乡", Some(COUNTY)),
                    region(VILLAGE_A1, "枫林村", Some(TOWN_A)),
                    region(VILLAGE_A2, "石塘村", Some(TOWN_A)),
                    region(VILLAGE_B, "桥头村", Some(TOWN_B)),
                ],
            )
            .unwrap();
        ts.store
            .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
            .unwrap();
        let mut users = BTreeMap::new();
        for (username, name, role, region) in [
            ("town_a", "阁山镇应急办", "township", TOWN_A),
            ("town_b", "洲上乡应急办", "township", TOWN_B),
        ] {
            let id = app
                .add_user_system(
                    "test",
                    &NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        role: role.into(),
                        region_code: Some(region.into()),
                        password: Some("Passw0rd2022".into()),
                        active: true,
                        ..Default::default()
                    },
                )
                .unwrap();
            users.insert(username, id);
        }
        Self { ts, app, users }
    }

    fn caller(&self, username: &str) -> Caller {
        let u = self
            .ts
            .store
            .get_user(&Scope::system(), self.users[username])
            .unwrap();
        self.app.caller_for(u, "test", "127.0.0.1").unwrap()
    }
}

fn fields_of(e: AppError) -> Vec<String> {
    match e {
        AppError::Validation(v) => v.fields.keys().cloned().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn warden(
    season: i64,
    level: &str,
    region: &str,
    patch: Option<i64>,
    role: &str,
    name: &str,
) -> WardenDraft {
    WardenDraft {
        season_id: season.to_string(),
        level: level.into(),
        region_code: region.into(),
        patch_id: patch.map(|p| p.to_string()).unwrap_or_default(),
        role: role.into(),
        name: name.into(),
        phone: "13807951234".into(),
        ..Default::default()
    }
}

fn patch(app: &App, c: &Caller, region: &str, name: &str) -> i64 {
    app.create_forest_patch(
        c,
        &PatchDraft {
            region_code: region.into(),
            name: name.into(),
            area_mu: "350.5".into(),
            species: "杉木".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

#[test]
fn the_chain_reaches_every_hill_and_person_and_shows_what_is_missing() {
    let county = County::new();
    let app = &county.app;
    let admin = app.system_caller("test").unwrap();
    let (town_a, town_b) = (county.caller("town_a"), county.caller("town_b"));

    // Only the county sets the season; its bounds are checked.
    let bad = app
        .create_forest_season(
            &admin,
            &SeasonDraft {
                name: "2022—2023年度森林防火期".into(),
                starts_on: "2022-09-12".into(),
                ends_on: "2022-09-01".into(),
            },
        )
        .unwrap_err();
    assert_eq!(fields_of(bad), vec!["ends_on"]);
    let season_draft = SeasonDraft {
        name: "2022—2023年度森林防火期".into(),
        starts_on: "2022-09-12".into(),
        ends_on: "2023-04-30".into(),
    };
    assert!(matches!(
        app.create_forest_season(&town_a, &season_draft),
        Err(AppError::Forbidden(_))
    ));
    let season = app.create_forest_season(&admin, &season_draft).unwrap();
    // A township reads its county's season.
    assert_eq!(
        app.forest_season(&town_a, None).unwrap().map(|s| s.id),
        Some(season.id)
    );

    // 阁山镇: three hills in two villages; 洲上乡: one.
    let h1 = patch(app, &town_a, VILLAGE_A1, "后龙山");
    let h2 = patch(app, &town_a, VILLAGE_A1, "松树岭");
    let h3 = patch(app, &town_a, VILLAGE_A2, "大坳山");
    let hb = patch(app, &town_b, VILLAGE_B, "鸡公岭");
    // The same hill twice in a village names the field.
    let dup = app
        .create_forest_patch(
            &town_a,
            &PatchDraft {
                region_code: VILLAGE_A1.into(),
                name: "后龙山".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(fields_of(dup), vec!["name"]);
    // A township cannot put a hill in another township: refused like a place it cannot see.
    assert!(
        app.create_forest_patch(
            &town_a,
            &PatchDraft {
                region_code: VILLAGE_B.into(),
                name: "越界山".into(),
                ..Default::default()
            },
        )
        .is_err()
    );

    let s = season.id;
    app.create_forest_warden(&admin, &warden(s, "县级", COUNTY, None, "林长", "郑伟"))
        .unwrap();
    app.create_forest_warden(
        &town_a,
        &warden(s, "乡镇级", TOWN_A, None, "林长", "周国华"),
    )
    .unwrap();
    app.create_forest_warden(
        &town_a,
        &warden(s, "村级", VILLAGE_A1, None, "网格员", "胡春生"),
    )
    .unwrap();
    app.create_forest_warden(
        &town_a,
        &warden(s, "山头地块", "", Some(h1), "护林员", "罗木根"),
    )
    .unwrap();
    app.create_forest_warden(
        &town_a,
        &warden(s, "山头地块", "", Some(h2), "护林员", "罗木根"),
    )
    .unwrap();
    // A ranger does not stand at county level; a bad phone names its field.
    let bad = app
        .create_forest_warden(&admin, &warden(s, "县级", COUNTY, None, "护林员", "张三"))
        .unwrap_err();
    assert_eq!(fields_of(bad), vec!["role"]);
    let mut w = warden(s, "村级", VILLAGE_A2, None, "网格员", "李四");
    w.phone = "12345".into();
    assert_eq!(
        fields_of(app.create_forest_warden(&town_a, &w).unwrap_err()),
        vec!["phone"]
    );
    // 洲上乡 cannot name a person on 阁山镇's hill: the hill is out of its scope.
    let refused = app
        .create_forest_warden(
            &town_b,
            &warden(s, "山头地块", "", Some(h3), "护林员", "王五"),
        )
        .unwrap_err();
    assert_eq!(fields_of(refused), vec!["patch_id"]);

    let chain = app.forest_chain(&admin, None).unwrap().unwrap();
    assert_eq!(chain.county.len(), 1);
    let a = chain.townships.iter().find(|t| t.code == TOWN_A).unwrap();
    assert!(!a.without_chief);
    // 石塘村 has a hill but no chief or grid person, and 大坳山 no ranger: two gaps.
    assert_eq!(a.gaps, 2);
    let a2 = a.villages.iter().find(|v| v.code == VILLAGE_A2).unwrap();
    assert!(a2.without_person);
    assert!(a2.patches.iter().all(|p| p.without_ranger));
    let a1 = a.villages.iter().find(|v| v.code == VILLAGE_A1).unwrap();
    assert!(!a1.without_person);
    assert_eq!(a1.patches.len(), 2);
    assert!(a1.patches.iter().all(|p| !p.without_ranger));
    // 洲上乡: no chief, no village person, no ranger.
    let b = chain.townships.iter().find(|t| t.code == TOWN_B).unwrap();
    assert_eq!(b.gaps, 3);
    assert_eq!(b.villages[0].patches[0].patch.id, hb);
    // A township's chain shows only its own township.
    let own = app.forest_chain(&town_b, None).unwrap().unwrap();
    assert_eq!(
        own.townships
            .iter()
            .map(|t| t.code.as_str())
            .collect::<Vec<_>>(),
        vec![TOWN_B]
    );

    // Checkpoints and their registers; a register cannot be for a day to come.
    let cp = app
        .create_forest_checkpoint(
            &town_a,
            &CheckpointDraft {
                season_id: s.to_string(),
                region_code: TOWN_A.into(),
                name: "阁山进山路口防火检查站".into(),
                location: "阁山林区1号路口".into(),
            },
        )
        .unwrap();
    let log = |d: &str, people: &str| CheckpointLogDraft {
        checkpoint_id: cp.id.to_string(),
        logged_on: d.into(),
        people: people.into(),
        vehicles: "3".into(),
        fire_sources: "2".into(),
        ..Default::default()
    };
    app.record_checkpoint_log(&town_a, &log("2022-11-14", "40"))
        .unwrap();
    assert_eq!(
        fields_of(
            app.record_checkpoint_log(&town_a, &log("2022-11-16", "1"))
                .unwrap_err()
        ),
        vec!["logged_on"]
    );
    assert_eq!(
        fields_of(
            app.record_checkpoint_log(&town_a, &log("2022-11-14", "-3"))
                .unwrap_err()
        ),
        vec!["people"]
    );
    // 洲上乡 sees no register of 阁山镇's checkpoint, and cannot write one.
    assert!(app.checkpoint_logs(&town_b, None, None).unwrap().is_empty());
    assert!(matches!(
        app.record_checkpoint_log(&town_b, &log("2022-11-14", "1")),
        Err(AppError::NotFound)
    ));

    // Patrols: a finding needs its account; times must run forward.
    let patrol = |finding: &str, details: &str, to: &str| PatrolDraft {
        patch_id: h1.to_string(),
        patroller: "罗木根".into(),
        patrolled_on: "2022-11-10".into(),
        from_time: "08:00".into(),
        to_time: to.into(),
        finding: finding.into(),
        details: details.into(),
        ..Default::default()
    };
    assert_eq!(
        fields_of(
            app.record_patrol(&town_a, &patrol("违规野外用火", "", "10:00"))
                .unwrap_err()
        ),
        vec!["details"]
    );
    assert_eq!(
        fields_of(
            app.record_patrol(&town_a, &patrol("", "", "07:00"))
                .unwrap_err()
        ),
        vec!["to_time"]
    );
    let p = app
        .record_patrol(
            &town_a,
            &patrol("违规野外用火", "村民焚烧田埂杂草，当场制止", "10:30"),
        )
        .unwrap();
    assert_eq!(p.region_code, VILLAGE_A1);
    app.record_patrol(&town_a, &patrol("", "", "10:00"))
        .unwrap();

    // The figures of the year, and of each township.
    let year = anjian_domain::period::Period::year(2022).unwrap();
    let f = anjian_store::stats::StatFilter::default();
    let raw = |c: &Caller, id: &str| app.metric_drill(c, id, &year, &f, 100).unwrap().0.raw;
    assert_eq!(raw(&admin, "forest.patrols"), Some(2));
    assert_eq!(raw(&admin, "forest.patrols.illegal_fire"), Some(1));
    assert_eq!(raw(&admin, "forest.checkpoints.people"), Some(40));
    assert_eq!(raw(&admin, "forest.checkpoints.fire_sources"), Some(2));
    // 1 county chief + 1 township chief + 1 grid person + 2 rangers.
    assert_eq!(raw(&admin, "forest.wardens"), Some(5));
    assert_eq!(raw(&town_b, "forest.patrols"), Some(0));
}

#[test]
fn equipment_is_counted_from_purchases_and_handovers_and_never_handed_out_twice() {
    let county = County::new();
    let app = &county.app;
    let admin = app.system_caller("test").unwrap();
    let town_a = county.caller("town_a");
    let farm = app
        .create_forest_farm(
            &admin,
            &FarmDraft {
                region_code: TOWN_B.into(),
                name: "洲上国有林场".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let buy =
        |kind: &str, qty: &str, how: &str, cost: &str, donor: &str, on: &str| EquipmentDraft {
            kind: kind.into(),
            model: String::new(),
            quantity: qty.into(),
            acquisition: how.into(),
            donor: donor.into(),
            cost_yuan: cost.into(),
            acquired_on: on.into(),
            note: String::new(),
        };
    // A purchase without its cost, a donation without its donor: each names its field.
    assert_eq!(
        fields_of(
            app.create_forest_equipment(&admin, &buy("无人机", "8", "购置", "", "", "2022-03-15"))
                .unwrap_err()
        ),
        vec!["cost_yuan"]
    );
    assert_eq!(
        fields_of(
            app.create_forest_equipment(
                &admin,
                &buy("抽水泵", "120", "受捐赠", "", "", "2022-10-25")
            )
            .unwrap_err()
        ),
        vec!["donor"]
    );
    // Townships do not buy for the county.
    assert!(matches!(
        app.create_forest_equipment(
            &town_a,
            &buy("无人机", "1", "购置", "100", "", "2022-03-15")
        ),
        Err(AppError::Forbidden(_))
    ));
    let drones = app
        .create_forest_equipment(
            &admin,
            &buy("防火勘察无人机", "8", "购置", "1120000", "", "2022-03-15"),
        )
        .unwrap();
    app.create_forest_equipment(
        &admin,
        &buy(
            "高扬程消防水泵",
            "30",
            "购置",
            "540000.50",
            "",
            "2022-03-28",
        ),
    )
    .unwrap();
    let pumps = app
        .create_forest_equipment(
            &admin,
            &buy(
                "抽水泵",
                "120",
                "受捐赠",
                "",
                "江西盐矿有限公司",
                "2022-10-25",
            ),
        )
        .unwrap();
    // Bought in 2021: not this year's.
    app.create_forest_equipment(
        &admin,
        &buy("无人机", "2", "购置", "200000", "", "2021-12-20"),
    )
    .unwrap();

    let hand = |equipment: i64, to: String, qty: &str, on: &str| HandoverDraft {
        equipment_id: equipment.to_string(),
        recipient: to,
        quantity: qty.into(),
        handed_on: on.into(),
        received_by: "周国华".into(),
        note: String::new(),
    };
    app.hand_over_equipment(
        &admin,
        &hand(drones.id, format!("township:{TOWN_A}"), "5", "2022-03-20"),
    )
    .unwrap();
    // 3 left: 4 is refused with the stock in the message, and nothing is written.
    let over = app
        .hand_over_equipment(
            &admin,
            &hand(drones.id, format!("township:{TOWN_B}"), "4", "2022-03-20"),
        )
        .unwrap_err();
    assert_eq!(fields_of(over), vec!["quantity"]);
    app.hand_over_equipment(
        &admin,
        &hand(drones.id, format!("farm:{}", farm.id), "3", "2022-03-22"),
    )
    .unwrap();
    // Before it was acquired, or to a village: refused.
    assert_eq!(
        fields_of(
            app.hand_over_equipment(
                &admin,
                &hand(pumps.id, format!("township:{TOWN_B}"), "10", "2022-10-01")
            )
            .unwrap_err()
        ),
        vec!["handed_on"]
    );
    assert_eq!(
        fields_of(
            app.hand_over_equipment(
                &admin,
                &hand(
                    pumps.id,
                    format!("township:{VILLAGE_B}"),
                    "10",
                    "2022-11-01"
                )
            )
            .unwrap_err()
        ),
        vec!["recipient"]
    );
    app.hand_over_equipment(
        &admin,
        &hand(pumps.id, format!("township:{TOWN_B}"), "60", "2022-11-01"),
    )
    .unwrap();
    app.hand_over_equipment(
        &admin,
        &hand(pumps.id, format!("township:{TOWN_A}"), "60", "2022-11-01"),
    )
    .unwrap();
    let after = app.forest_equipment(&admin).unwrap();
    let d = after.iter().find(|q| q.id == drones.id).unwrap();
    assert_eq!((d.quantity, d.handed), (8, 8));

    // Each township sees its own kit only.
    let kits_a = app.forest_kits(&town_a).unwrap();
    assert_eq!(kits_a.len(), 1);
    let items: Vec<(String, i64)> = kits_a[0]
        .items
        .iter()
        .map(|i| (i.kind.clone(), i.quantity))
        .collect();
    assert_eq!(
        items,
        vec![
            ("防火勘察无人机".to_string(), 5),
            ("抽水泵".to_string(), 60)
        ]
    );
    assert_eq!(app.forest_kits(&admin).unwrap().len(), 3);

    let year = anjian_domain::period::Period::year(2022).unwrap();
    let f = anjian_store::stats::StatFilter::default();
    let raw = |id: &str| app.metric_drill(&admin, id, &year, &f, 100).unwrap().0.raw;
    // 1,120,000 + 540,000.50 元 = 166.000050 万元, kept in 分.
    assert_eq!(raw("forest.funds"), Some(166_000_050));
    assert_eq!(raw("forest.drones"), Some(8));
    assert_eq!(raw("forest.pumps"), Some(30));
    assert_eq!(raw("forest.donated_pumps"), Some(120));
    assert_eq!(raw("forest.equipment.townships"), Some(2));
    assert_eq!(raw("forest.equipment.farms"), Some(1));
    assert_eq!(raw("forest.handed"), Some(128));
    let text = app.render_report(&admin, &year).unwrap().plain();
    assert!(
        text.contains("投入资金166.00万元添置了防火勘察无人机8架、高扬程消防水泵30台，受捐赠抽水泵120台，分别发放到2个乡镇、1个国有林场（农场）"),
        "{text}"
    );
}

#[test]
fn a_grid_sheet_with_a_bad_row_is_refused_with_its_row_and_writes_nothing() {
    let county = County::new();
    let app = &county.app;
    let admin = app.system_caller("test").unwrap();
    let town_a = county.caller("town_a");
    let season = app
        .create_forest_season(
            &admin,
            &SeasonDraft {
                name: "2022—2023年度森林防火期".into(),
                starts_on: "2022-09-12".into(),
                ends_on: "2023-04-30".into(),
            },
        )
        .unwrap();
    let sheet = |rows: &str| {
        let csv = format!(
            "乡镇（街道）,村（社区）,山头（地块）名称,面积（亩）,主要树种,所属国有林场（农场）,网格员,网格员电话,护林员,护林员电话\n{rows}"
        );
        read_table_bytes("csv", csv.as_bytes()).unwrap()
    };
    let bad = sheet(
        "阁山镇,枫林村,后龙山,350.5,杉木,,胡春生,13807951234,罗木根,13807951235\n\
         阁山镇,石塘村,大坳山,abc,杉木,,,,王五,13807951236\n\
         阁山镇,无此村,松树岭,120,马尾松,,,,赵六,13807951237\n\
         阁山镇,枫林村,后龙山,100,杉木,,,,钱七,12345\n",
    );
    let report = app
        .import_forest_grid(&town_a, season.id, &bad, ImportOptions::default())
        .unwrap();
    assert_eq!((report.total, report.valid, report.written), (4, 1, 0));
    let lines = report.lines().join("\n");
    assert!(
        lines.contains("第3行") && lines.contains("面积（亩）"),
        "{lines}"
    );
    assert!(
        lines.contains("第4行") && lines.contains("无此村"),
        "{lines}"
    );
    assert!(
        lines.contains("第5行") && lines.contains("与第2行是同一山头"),
        "{lines}"
    );
    assert!(lines.contains("护林员电话"), "{lines}");
    assert!(app.forest_patches(&admin, None).unwrap().is_empty());

    let good = sheet(
        "阁山镇,枫林村,后龙山,350.5,杉木,,胡春生,13807951234,罗木根,13807951235\n\
         阁山镇,枫林村,松树岭,120,马尾松,,胡春生,13807951234,罗木根,13807951235\n\
         阁山镇,石塘村,大坳山,80,毛竹,,李四,13807951238,王五,13807951236\n",
    );
    let report = app
        .import_forest_grid(&town_a, season.id, &good, ImportOptions::default())
        .unwrap();
    assert_eq!(report.written, 3);
    // The village's grid person on two rows is one person: 2 grid persons + 3 rangers.
    let wardens = app.forest_wardens(&admin, Some(season.id)).unwrap();
    assert_eq!(wardens.len(), 5);
    let chain = app.forest_chain(&town_a, None).unwrap().unwrap();
    let a = &chain.townships[0];
    // Only the township's own chief is missing.
    assert!(a.without_chief);
    assert_eq!(a.gaps, 1);
    // The export reads back as the same sheet.
    let bytes = app.forest_grid_ledger(&town_a, None).unwrap();
    let back = read_ledger_bytes("xlsx", &bytes).unwrap();
    assert_eq!(back.headers[2], "山头（地块）名称");
    assert_eq!(back.rows.len(), 3);
    assert!(
        back.rows
            .iter()
            .any(|(_, r)| r.contains(&"大坳山".to_string())
                && r.contains(&"80.00".to_string())
                && r.contains(&"王五".to_string()))
    );
    // Importing the same sheet again is refused as a whole: the hills exist.
    let again = app.import_forest_grid(&town_a, season.id, &good, ImportOptions::default());
    assert!(again.is_err());
    assert_eq!(app.forest_patches(&admin, None).unwrap().len(), 3);
}
