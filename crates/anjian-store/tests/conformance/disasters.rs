//! Natural-disaster responses: events and rounds (county records, read from the townships,
//! written by the county), townships' figures (each township its own row, another's answering
//! like a missing one), versions, checking, the audit trail and the metrics counting them.

use crate::*;
use anjian_domain::disaster::{
    DisasterFigureStatus, DisasterKind, DisasterResponseLevel, DisasterWarning,
};
use anjian_store::StoreError;
use anjian_store::disasters::{
    DisasterEventInput, DisasterFigureInput, DisasterFilter, DisasterRoundInput,
};
use anjian_store::paging::Keyset;
use anjian_store::stats::{StatFilter, catalogue};
use chrono::NaiveDateTime;

fn event(kind: DisasterKind, name: &str, start: &str, end: Option<&str>) -> DisasterEventInput {
    DisasterEventInput {
        county_code: COUNTY.into(),
        kind,
        name: name.into(),
        start_on: day(start),
        end_on: end.map(day),
        warning_level: Some(DisasterWarning::Orange),
        response_level: Some(DisasterResponseLevel::Iii),
        summary: "全市启动应急响应".into(),
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn round(start: &str, end: Option<&str>, level: DisasterResponseLevel) -> DisasterRoundInput {
    DisasterRoundInput {
        started_at: at(start),
        ended_at: end.map(at),
        response_level: level,
        account: "转移群众，巡查库坝".into(),
    }
}

fn figure(event_id: i64, region: &str, evacuated: i64, relocated: i64) -> DisasterFigureInput {
    DisasterFigureInput {
        event_id,
        region_code: region.into(),
        evacuated,
        relocated,
        houses_damaged: Some(3),
        loss_fen: Some(1_234_560),
        note: String::new(),
    }
}

#[test]
fn events_rounds_and_each_townships_own_figures() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let town_a = anjian_domain::Scope::region(&rc(TOWN_A), true);
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        let ev = s
            .create_disaster_event(
                &ch,
                &event(
                    DisasterKind::HeavyRain,
                    "6月强降雨",
                    "2022-06-18",
                    Some("2022-06-25"),
                ),
            )
            .unwrap();
        assert_eq!(ev.kind, DisasterKind::HeavyRain);
        assert_eq!(ev.end_on, Some(day("2022-06-25")));
        // A township reads its county's events but cannot write them.
        assert_eq!(
            s.get_disaster_event(&town_a, ev.id).unwrap().name,
            "6月强降雨"
        );
        assert!(matches!(
            s.create_disaster_event(
                &sys(&town_a),
                &event(DisasterKind::Heat, "高温", "2022-07-01", None)
            ),
            Err(StoreError::Forbidden)
        ));
        let enterprise = anjian_domain::Scope {
            enterprise_ids: Some(vec![1]),
            ..county_scope()
        };
        assert!(matches!(
            s.get_disaster_event(&enterprise, ev.id),
            Err(StoreError::NotFound)
        ));
        // Rounds in order of their start, versions checked.
        let r2 = s
            .add_disaster_round(
                &ch,
                ev.id,
                &round("2022-06-22 08:00", None, DisasterResponseLevel::Iv),
            )
            .unwrap();
        let r1 = s
            .add_disaster_round(
                &ch,
                ev.id,
                &round(
                    "2022-06-18 20:30",
                    Some("2022-06-20 12:00"),
                    DisasterResponseLevel::Iii,
                ),
            )
            .unwrap();
        let rounds = s.disaster_rounds(&town_a, ev.id).unwrap();
        assert_eq!(
            rounds.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![r1.id, r2.id]
        );
        assert_eq!(rounds[0].started_at, at("2022-06-18 20:30"));
        assert_eq!(rounds[0].ended_at, Some(at("2022-06-20 12:00")));
        let r2b = s
            .update_disaster_round(
                &ch,
                r2.id,
                r2.version,
                &round(
                    "2022-06-22 08:00",
                    Some("2022-06-23 18:00"),
                    DisasterResponseLevel::Iv,
                ),
            )
            .unwrap();
        assert_eq!(r2b.version, r2.version + 1);
        assert!(matches!(
            s.update_disaster_round(
                &ch,
                r2.id,
                r2.version,
                &round("2022-06-22 08:00", None, DisasterResponseLevel::Iv)
            ),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.delete_disaster_round(&sys(&town_a), r2.id, r2b.version),
            Err(StoreError::Forbidden)
        ));
        // Each township reports its own row; another township's answers like a missing one.
        let fa = s
            .report_disaster_figure(&sys(&town_a), &figure(ev.id, TOWN_A, 120, 40), None)
            .unwrap();
        assert_eq!(fa.status, DisasterFigureStatus::Reported);
        assert_eq!(fa.region_name, "临江镇");
        assert_eq!(fa.reported_by, "test");
        assert!(matches!(
            s.report_disaster_figure(&sys(&town_a), &figure(ev.id, TOWN_B, 1, 1), None),
            Err(StoreError::NotFound)
        ));
        let fb = s
            .report_disaster_figure(&sys(&town_b), &figure(ev.id, TOWN_B, 80, 0), None)
            .unwrap();
        assert_eq!(
            s.disaster_figures(&town_a, ev.id)
                .unwrap()
                .iter()
                .map(|f| f.id)
                .collect::<Vec<_>>(),
            vec![fa.id]
        );
        assert_eq!(s.disaster_figures(&county, ev.id).unwrap().len(), 2);
        assert!(matches!(
            s.get_disaster_figure(&town_a, fb.id),
            Err(StoreError::NotFound)
        ));
        // A second first report, or a stale version, is a conflict.
        assert!(matches!(
            s.report_disaster_figure(&sys(&town_a), &figure(ev.id, TOWN_A, 1, 1), None),
            Err(StoreError::Conflict(_))
        ));
        // Checked by the county; a township cannot check; a correction makes it reported again.
        assert!(matches!(
            s.check_disaster_figure(&sys(&town_a), fa.id, fa.version),
            Err(StoreError::Forbidden)
        ));
        let checked = s.check_disaster_figure(&ch, fa.id, fa.version).unwrap();
        assert_eq!(checked.status, DisasterFigureStatus::Checked);
        assert_eq!(checked.checked_by.as_deref(), Some("test"));
        assert!(matches!(
            s.check_disaster_figure(&ch, fa.id, checked.version),
            Err(StoreError::Conflict(_))
        ));
        let corrected = s
            .report_disaster_figure(
                &sys(&town_a),
                &figure(ev.id, TOWN_A, 130, 40),
                Some(checked.version),
            )
            .unwrap();
        assert_eq!(corrected.status, DisasterFigureStatus::Reported);
        assert_eq!(corrected.evacuated, 130);
        assert_eq!(corrected.checked_by, None);
        // The row's history: reported, checked, corrected (newest first), each with before
        // and after.
        let history = s
            .list_audit(
                &county,
                &anjian_store::audit::AuditFilter {
                    entity: Some("disaster_figure".into()),
                    entity_id: Some(fa.id.to_string()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            history
                .iter()
                .map(|e| e.action.as_str())
                .collect::<Vec<_>>(),
            vec![
                "disaster_figure.report",
                "disaster_figure.check",
                "disaster_figure.report"
            ]
        );
        assert!(
            history[0]
                .before
                .as_deref()
                .unwrap_or("")
                .contains("\"checked\"")
        );
        assert!(history[2].before.is_none());
        // An event with figures is not deleted; a list filters by kind and period.
        assert!(matches!(
            s.delete_disaster_event(&ch, ev.id, ev.version),
            Err(StoreError::Conflict(_))
        ));
        let cold = s
            .create_disaster_event(
                &ch,
                &event(DisasterKind::ColdWave, "寒潮", "2021-12-28", None),
            )
            .unwrap();
        s.add_disaster_round(
            &ch,
            cold.id,
            &round("2021-12-28 09:00", None, DisasterResponseLevel::Iv),
        )
        .unwrap();
        let names = |f: &DisasterFilter| {
            s.list_disaster_events(&town_b, f, &Keyset::first(50))
                .unwrap()
                .items
                .into_iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&DisasterFilter::default()), vec!["寒潮", "6月强降雨"]);
        assert_eq!(
            names(&DisasterFilter {
                from: Some(day("2022-01-01")),
                to: Some(day("2022-12-31")),
                ..Default::default()
            }),
            vec!["6月强降雨"]
        );
        assert_eq!(
            names(&DisasterFilter {
                kind: Some(DisasterKind::ColdWave),
                ..Default::default()
            }),
            vec!["寒潮"]
        );
        let upd = s
            .update_disaster_event(
                &ch,
                cold.id,
                cold.version,
                &event(
                    DisasterKind::ColdWave,
                    "寒潮过程",
                    "2021-12-28",
                    Some("2022-01-02"),
                ),
            )
            .unwrap();
        assert_eq!(upd.name, "寒潮过程");
        s.delete_disaster_event(&ch, cold.id, upd.version).unwrap();
        assert!(matches!(
            s.get_disaster_event(&county, cold.id),
            Err(StoreError::NotFound)
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn the_metrics_count_rounds_and_checked_people_by_township() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let cold = s
            .create_disaster_event(
                &ch,
                &event(
                    DisasterKind::ColdWave,
                    "寒潮",
                    "2022-01-25",
                    Some("2022-02-10"),
                ),
            )
            .unwrap();
        let rain = s
            .create_disaster_event(
                &ch,
                &event(
                    DisasterKind::HeavyRain,
                    "强降雨",
                    "2022-06-18",
                    Some("2022-06-25"),
                ),
            )
            .unwrap();
        let old = s
            .create_disaster_event(
                &ch,
                &event(DisasterKind::HeavyRain, "去年强降雨", "2021-07-01", None),
            )
            .unwrap();
        for (e, t) in [
            (cold.id, "2022-01-25 18:00"),
            (rain.id, "2022-06-18 20:00"),
            (rain.id, "2022-06-22 08:00"),
            (old.id, "2021-07-01 08:00"),
        ] {
            s.add_disaster_round(&ch, e, &round(t, None, DisasterResponseLevel::Iv))
                .unwrap();
        }
        // Figures: (event, township, evacuated, relocated, checked?)
        let rows = [
            (cold.id, TOWN_A, 100, 30, true),
            (rain.id, TOWN_A, 250, 70, true),
            (rain.id, TOWN_B, 400, 120, true),
            (cold.id, TOWN_B, 999, 999, false),
            (old.id, TOWN_A, 50, 5, true),
        ];
        for (e, town, ev, rel, check) in rows {
            let f = s
                .report_disaster_figure(&ch, &figure(e, town, ev, rel), None)
                .unwrap();
            if check {
                s.check_disaster_figure(&ch, f.id, f.version).unwrap();
            }
        }
        let cat = catalogue(&[], &[]);
        let val = |id: &str, f: &StatFilter| {
            let m = cat
                .iter()
                .find(|m| m.id == id)
                .unwrap_or_else(|| panic!("{id}"));
            s.metric_value(m, &county, f, day("2022-01-01"), day("2022-12-31"))
                .unwrap()
        };
        let all = StatFilter::default();
        let town_a = StatFilter {
            region_prefix: Some("360982100".into()),
            ..Default::default()
        };
        // 3 rounds begun in 2022 (1 cold wave, 2 heavy rain); 2 events.
        assert_eq!(val("disasters.responses", &all), Some(3));
        assert_eq!(val("disasters.events", &all), Some(2));
        // Checked rows of 2022's events: 100 + 250 + 400; 30 + 70 + 120.
        assert_eq!(val("disasters.people_evacuated", &all), Some(750));
        assert_eq!(val("disasters.people_relocated", &all), Some(220));
        assert_eq!(val("disasters.people_evacuated", &town_a), Some(350));
        assert_eq!(val("disasters.people_relocated", &town_a), Some(100));
        // The drill-down lists the rows it sums, each linking to its event.
        let m = cat
            .iter()
            .find(|m| m.id == "disasters.people_evacuated")
            .unwrap();
        let drill = s
            .metric_records(
                m,
                &county,
                &town_a,
                day("2022-01-01"),
                day("2022-12-31"),
                100,
            )
            .unwrap()
            .unwrap();
        let mut got: Vec<(Option<i64>, i64)> =
            drill.iter().map(|r| (r.entity_id, r.amount)).collect();
        got.sort();
        assert_eq!(got, vec![(Some(cold.id), 100), (Some(rain.id), 250)]);
        assert!(drill.iter().all(|r| r.entity == "disaster_event"));
        assert!(
            drill.iter().any(|r| r.label == "强降雨：临江镇"),
            "{drill:?}"
        );
        // A township's scope counts its own rows only.
        let own = anjian_domain::Scope::region(&rc(TOWN_B), false);
        let m = cat
            .iter()
            .find(|m| m.id == "disasters.people_relocated")
            .unwrap();
        assert_eq!(
            s.metric_value(m, &own, &all, day("2022-01-01"), day("2022-12-31"))
                .unwrap(),
            Some(120)
        );
    });
}
