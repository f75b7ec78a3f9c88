//! Natural-disaster responses (自然灾害应对): the rounds of response, and the people
//! evacuated in advance and relocated as the townships reported them and the 安委办 checked.

use super::*;

/// The rounds of response: one row per round, in the period by the day it began. Rounds are
/// county records (their region is the county), so a township's share of them is none.
const ROUNDS: Source = Source {
    key: "disaster_rounds",
    from: "disaster_rounds t JOIN disaster_events e ON e.id = t.event_id",
    entity: "disaster_event",
    id: "e.id",
    region: "t.county_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "e.name || ' ' || t.started_at",
    dates_indexed: false,
};

/// The events themselves, in the period by the day they began.
const EVENTS: Source = Source {
    key: "disaster_events",
    from: "disaster_events t",
    entity: "disaster_event",
    id: "t.id",
    region: "t.county_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.name",
    dates_indexed: false,
};

/// The townships' figures: one row per township and event, in the period by the day the
/// event began; only the rows the 安委办 has checked (核定) count.
const FIGURES: Source = Source {
    key: "disaster_figures",
    from: "disaster_figures t JOIN disaster_events e ON e.id = t.event_id",
    entity: "disaster_event",
    id: "e.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "e.name || '：' || COALESCE((SELECT r.name FROM regions r WHERE r.code = t.region_code), t.region_code)",
    dates_indexed: false,
};

const CHECKED: &str = "t.status = 'checked'";

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    vec![
        m(
            "disasters.responses",
            "基层基础",
            "成功应对自然灾害",
            "轮",
            "本期开始的自然灾害应急响应轮次数（“成功应对自然灾害N轮”按响应轮次计，不按灾害过程计；按每轮响应的开始日期计期）",
            &ROUNDS,
            Day("substr(t.started_at, 1, 10)"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "disasters.events",
            "基层基础",
            "自然灾害过程",
            "次",
            "本期开始的自然灾害过程（事件）数，按开始日期计期",
            &EVENTS,
            Day("t.start_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "disasters.people_evacuated",
            "基层基础",
            "紧急避险转移人口",
            "人",
            "本期开始的自然灾害中，各乡镇报送并经核定的紧急避险转移人数之和（按灾害开始日期计期，按乡镇分）",
            &FIGURES,
            Day("e.start_on"),
            CHECKED,
            none(),
            Sum("t.evacuated"),
            1,
        ),
        m(
            "disasters.people_relocated",
            "基层基础",
            "紧急转移安置人口",
            "人",
            "本期开始的自然灾害中，各乡镇报送并经核定的紧急转移安置人数之和（按灾害开始日期计期，按乡镇分）",
            &FIGURES,
            Day("e.start_on"),
            CHECKED,
            none(),
            Sum("t.relocated"),
            1,
        ),
    ]
}
