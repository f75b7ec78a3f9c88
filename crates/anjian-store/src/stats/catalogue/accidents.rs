//! The accident register's figures (事故统计): accidents, deaths, serious injuries and direct
//! loss per category and level, 较大及以上, fatal fires, forest fires by level. The figures
//! are the counted ones (a 补报 after its window changes none), dated by the accident's day;
//! year-on-year is the period's predecessor, as for every metric.

use super::*;
use anjian_domain::accident::{Category, Level};

/// One row per accident (生产安全事故, 火灾, 森林火灾).
const ACCIDENTS: Source = Source {
    key: "accidents",
    from: "accidents t",
    entity: "accident",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "t.occurred_at || ' ' || t.place",
    dates_indexed: true,
};

const SECTION: &str = "事故统计";
/// 较大及以上.
const LARGE_PLUS: &str = "t.level IN ('large', 'major', 'extra_major')";

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    let metric = |id: String,
                  label: String,
                  unit: &str,
                  def: String,
                  filter: String,
                  agg: Agg,
                  scale: i64| {
        m(
            &id,
            SECTION,
            &label,
            unit,
            &def,
            &ACCIDENTS,
            Day("t.occurred_on"),
            &filter,
            none(),
            agg,
            scale,
        )
    };
    let mut list = Vec::new();
    for c in Category::ALL {
        let (code, name) = (c.as_str(), c.label());
        let base = format!("t.category = '{code}'");
        let id: &'static str = match c {
            Category::Production => "accidents.production",
            Category::Fire => "accidents.fire",
            Category::ForestFire => "accidents.forest_fire",
        };
        list.push(metric(
            id.into(),
            format!("{name}起数"),
            "起",
            format!("本期发生（按发生日期计期）的{name}起数"),
            base.clone(),
            Count,
            1,
        ));
        list.push(
            metric(
                format!("{id}.deaths"),
                format!("{name}死亡人数"),
                "人",
                format!(
                    "本期{name}的死亡人数之和（含30日内补报，道路交通和火灾7日内；逾期补报不计）"
                ),
                base.clone(),
                Sum("t.deaths"),
                1,
            )
            .part_of(id),
        );
        list.push(
            metric(
                format!("{id}.serious_injuries"),
                format!("{name}重伤人数"),
                "人",
                format!("本期{name}的重伤（含急性工业中毒）人数之和"),
                base.clone(),
                Sum("t.serious_injuries"),
                1,
            )
            .part_of(id),
        );
        list.push(
            metric(
                format!("{id}.loss"),
                format!("{name}直接经济损失"),
                "万元",
                format!("本期{name}的直接经济损失之和"),
                base.clone(),
                Sum("t.loss_fen"),
                1_000_000,
            )
            .part_of(id),
        );
        list.push(
            metric(
                format!("{id}.large_plus"),
                format!("较大及以上{name}"),
                "起",
                format!("本期较大、重大、特别重大{name}的起数"),
                format!("{base} AND {LARGE_PLUS}"),
                Count,
                1,
            )
            .part_of(id),
        );
        for l in Level::ALL {
            list.push(
                metric(
                    format!("{id}.level.{}", l.as_str()),
                    format!("{}{name}", l.label()),
                    "起",
                    format!("本期{}{name}的起数", l.label()),
                    format!("{base} AND t.level = '{}'", l.as_str()),
                    Count,
                    1,
                )
                .part_of(id),
            );
        }
    }
    list.push(
        metric(
            "accidents.fire.fatal".into(),
            "亡人火灾".into(),
            "起",
            "本期造成人员死亡的火灾起数".into(),
            "t.category = 'fire' AND t.deaths > 0".into(),
            Count,
            1,
        )
        .part_of("accidents.fire"),
    );
    list.push(
        metric(
            "accidents.forest_fire.area".into(),
            "森林火灾受害森林面积".into(),
            "公顷",
            "本期森林火灾受害森林面积之和".into(),
            "t.category = 'forest_fire'".into(),
            Sum("t.forest_area_centi_ha"),
            100,
        )
        .part_of("accidents.forest_fire"),
    );
    list.push(metric(
        "accidents.concealed".into(),
        "瞒报事故".into(),
        "起",
        "本期发生、被认定为瞒报的事故起数".into(),
        "t.concealed = TRUE".into(),
        Count,
        1,
    ));
    list
}
