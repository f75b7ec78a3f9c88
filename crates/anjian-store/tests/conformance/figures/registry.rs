//! The fireworks registry as at the period's end.

use super::*;

/// "对全市N家烟花爆竹生产企业、N家零售经营网点": the register as at the period's end
/// (registered by then, not closed before), not as it stands today, and an enterprise that
/// stopped production (停产停业) is still on it.
#[test]
fn report_2022_yan_hua_bao_zhu_sheng_chan_qi_ye_counted_as_at_period_end() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.save_sector(
            &ch,
            &anjian_store::sectors::Sector {
                code: "fireworks".into(),
                name: "烟花爆竹".into(),
                description: String::new(),
                sort_order: 9,
                active: true,
            },
        )
        .unwrap();
        let producer = |n: u32| {
            let mut e = enterprise(n, VILLAGE_A1, "fireworks");
            e.industry_code = Some("C2672".into());
            e
        };
        // Registered in 2021 and operating.
        s.create_enterprise(&on(&county, "2021-03-01"), &producer(1))
            .unwrap();
        // Registered in 2021, stopped in 2022: still on the register.
        let stopped = s
            .create_enterprise(&on(&county, "2021-03-01"), &producer(2))
            .unwrap();
        // Registered in 2021, closed in mid-2022: off the register at the end of 2022.
        let closed = s
            .create_enterprise(&on(&county, "2021-03-01"), &producer(3))
            .unwrap();
        // Registered after the period.
        s.create_enterprise(&on(&county, "2023-01-05"), &producer(4))
            .unwrap();
        for (id, status) in [
            (
                stopped,
                anjian_domain::enterprise::EnterpriseStatus::Suspended,
            ),
            (closed, anjian_domain::enterprise::EnterpriseStatus::Closed),
        ] {
            let mut e = producer(if id == stopped { 2 } else { 3 });
            e.status = status;
            let v = s.get_enterprise(&county, id).unwrap().version;
            s.update_enterprise(&on(&county, "2022-06-01"), id, v, &e)
                .unwrap();
        }
        assert_eq!(year(s, "enterprises.fireworks_producers"), Some(2));
        // At the end of 2021 the closed one was still on the register.
        assert_eq!(
            val(
                s,
                "enterprises.fireworks_producers",
                "2021-01-01",
                "2021-12-31"
            ),
            Some(3)
        );
        // And at the end of 2023 the new one is.
        assert_eq!(
            val(
                s,
                "enterprises.fireworks_producers",
                "2023-01-01",
                "2023-12-31"
            ),
            Some(3)
        );
    });
}
