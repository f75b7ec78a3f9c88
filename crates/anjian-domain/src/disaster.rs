//! Natural-disaster responses (自然灾害应对): the event (寒潮、强降雨 …) with its warning and
//! the county's response level, the rounds of response (each with its own level and times),
//! and per township the people evacuated in advance (紧急避险转移) and relocated (紧急转移安置).
//!
//! The report's "成功应对冰雪、强降雨自然灾害N轮" counts **rounds** of response, not events:
//! "轮" is the measure word of a response round (a weather process met with a response of its
//! own), and the source report names two kinds of disaster (冰雪、强降雨) for one count, so
//! the count cannot be the number of kinds or of events (see [`RESPONSES_COUNT_ROUNDS`] and
//! `docs/decisions/disaster-rounds.md`).

use crate::decimal::DecimalError;
use chrono::{NaiveDate, NaiveDateTime};

/// "成功应对自然灾害N轮": N is the number of response rounds begun in the period.
pub const RESPONSES_COUNT_ROUNDS: bool = true;

coded! {
    /// 灾种.
    DisasterKind {
        /// 寒潮、低温雨雪冰冻 (the report's 冰雪).
        ColdWave = "cold_wave", "寒潮/低温雨雪冰冻" | "寒潮" | "低温雨雪冰冻" | "冰雪" | "冰冻" | "低温雨雪";
        /// 强降雨、暴雨洪涝.
        HeavyRain = "heavy_rain", "强降雨/暴雨洪涝" | "强降雨" | "暴雨" | "洪涝" | "暴雨洪涝" | "洪水";
        Typhoon = "typhoon", "台风";
        /// 山体滑坡、崩塌、泥石流.
        Geological = "geological", "地质灾害" | "滑坡" | "泥石流";
        Drought = "drought", "干旱" | "旱灾";
        Heat = "heat", "高温";
        WindHail = "wind_hail", "大风冰雹" | "大风" | "冰雹" | "强对流";
        Earthquake = "earthquake", "地震";
        Other = "other", "其他";
    }
}

impl DisasterKind {
    /// The short word a report sentence uses (冰雪、强降雨 …).
    pub fn short(self) -> &'static str {
        match self {
            DisasterKind::ColdWave => "冰雪",
            DisasterKind::HeavyRain => "强降雨",
            DisasterKind::Typhoon => "台风",
            DisasterKind::Geological => "地质灾害",
            DisasterKind::Drought => "干旱",
            DisasterKind::Heat => "高温",
            DisasterKind::WindHail => "大风冰雹",
            DisasterKind::Earthquake => "地震",
            DisasterKind::Other => "其他",
        }
    }
}

coded! {
    /// 气象（或其他）预警等级, from the lowest to the highest.
    DisasterWarning {
        Blue = "blue", "蓝色预警" | "蓝色" | "蓝";
        Yellow = "yellow", "黄色预警" | "黄色" | "黄";
        Orange = "orange", "橙色预警" | "橙色" | "橙";
        Red = "red", "红色预警" | "红色" | "红";
    }
}

coded! {
    /// 应急响应等级, from the lowest (Ⅳ级) to the highest (Ⅰ级): `Ord` follows severity.
    DisasterResponseLevel {
        Iv = "iv", "Ⅳ级应急响应" | "Ⅳ级" | "IV级" | "四级" | "4级" | "Ⅳ";
        Iii = "iii", "Ⅲ级应急响应" | "Ⅲ级" | "III级" | "三级" | "3级" | "Ⅲ";
        Ii = "ii", "Ⅱ级应急响应" | "Ⅱ级" | "II级" | "二级" | "2级" | "Ⅱ";
        I = "i", "Ⅰ级应急响应" | "Ⅰ级" | "I级" | "一级" | "1级" | "Ⅰ";
    }
}

coded! {
    /// A township's figures: reported by the township, checked (核定) by the 安委办.
    DisasterFigureStatus {
        Reported = "reported", "已报送";
        Checked = "checked", "已核定";
    }
}

/// The largest head count a township can state for one event (a sanity bound, not a rule).
pub const MAX_PEOPLE: i64 = 1_000_000;

/// An event's period: it ends on or after the day it began (an open end is still going on).
pub fn check_period(start: NaiveDate, end: Option<NaiveDate>) -> Result<(), String> {
    match end {
        Some(e) if e < start => Err("结束日期不能早于开始日期".into()),
        _ => Ok(()),
    }
}

/// A round lies in its event's period and ends after it began.
pub fn check_round(
    event_start: NaiveDate,
    event_end: Option<NaiveDate>,
    started: NaiveDateTime,
    ended: Option<NaiveDateTime>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let day = started.date();
    if day < event_start || event_end.is_some_and(|e| day > e) {
        out.push((
            "started_at",
            match event_end {
                Some(e) => format!("响应开始时间应在灾害过程期间（{event_start}至{e}）"),
                None => format!("响应开始时间不能早于灾害开始日期（{event_start}）"),
            },
        ));
    }
    if let Some(e) = ended
        && e <= started
    {
        out.push(("ended_at", "响应结束时间应晚于开始时间".into()));
    }
    out
}

/// Reads "YYYY-MM-DD HH:MM" (or with a `T`, or with seconds).
pub fn parse_minute(s: &str) -> Result<NaiveDateTime, String> {
    crate::minute::parse(s).ok_or_else(|| "时间格式应为 YYYY-MM-DD HH:MM".into())
}

/// A head count as typed: a whole number of people, not negative.
pub fn parse_people(s: &str) -> Result<i64, String> {
    let t = s.trim().trim_end_matches('人').replace([',', '，'], "");
    match t.parse::<i64>() {
        Ok(n) if (0..=MAX_PEOPLE).contains(&n) => Ok(n),
        Ok(n) if n < 0 => Err("人数不能为负数".into()),
        Ok(_) => Err(format!("人数不能超过{MAX_PEOPLE}")),
        Err(_) => Err("人数应为整数".into()),
    }
}

/// 元 as typed ("12,345.6", "800", "800元") to fen, exactly (no binary fraction on the way):
/// at most two decimals, not negative.
pub fn parse_yuan(s: &str) -> Result<i64, String> {
    crate::decimal::parse_hundredths(s.trim().trim_end_matches('元')).map_err(|e| {
        match e {
            DecimalError::Malformed => "金额应为不小于0的数（元），最多两位小数",
            DecimalError::TooFine => "金额最小单位为分（最多两位小数）",
            DecimalError::TooLarge => "金额过大",
        }
        .to_string()
    })
}

/// Fen written as 元 with both decimals ("12345.60").
pub use crate::decimal::hundredths_text as yuan_text;

/// The kinds named in a report sentence, in order of their first event, each once, joined
/// with "、" (冰雪、强降雨).
pub fn kinds_phrase(kinds: &[DisasterKind]) -> String {
    let mut seen: Vec<DisasterKind> = Vec::new();
    for k in kinds {
        if !seen.contains(k) {
            seen.push(*k);
        }
    }
    seen.iter()
        .map(|k| k.short())
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn codes_labels_and_words_read_back() {
        for k in DisasterKind::ALL {
            assert_eq!(DisasterKind::from_words(k.label()), Some(*k));
            assert_eq!(DisasterKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(
            DisasterKind::from_words("冰雪"),
            Some(DisasterKind::ColdWave)
        );
        assert_eq!(
            DisasterKind::from_words("暴雨洪涝"),
            Some(DisasterKind::HeavyRain)
        );
        assert_eq!(
            DisasterWarning::from_words("橙"),
            Some(DisasterWarning::Orange)
        );
        assert_eq!(
            DisasterResponseLevel::from_words("IV级"),
            Some(DisasterResponseLevel::Iv)
        );
        assert_eq!(
            DisasterResponseLevel::from_words("Ⅰ级应急响应"),
            Some(DisasterResponseLevel::I)
        );
        assert_eq!(DisasterResponseLevel::from_words("五级"), None);
    }

    /// 国家自然灾害救助应急预案: Ⅰ级 is the highest response, Ⅳ级 the lowest.
    #[test]
    fn response_level_i_is_the_most_severe() {
        assert!(DisasterResponseLevel::I > DisasterResponseLevel::Ii);
        assert!(DisasterResponseLevel::Ii > DisasterResponseLevel::Iii);
        assert!(DisasterResponseLevel::Iii > DisasterResponseLevel::Iv);
        assert!(DisasterWarning::Red > DisasterWarning::Blue);
    }

    /// Source report 2022, （六）三: "成功应对冰雪、强降雨自然灾害*轮" counts rounds.
    #[test]
    fn report_counts_rounds_and_names_kinds_once() {
        const { assert!(RESPONSES_COUNT_ROUNDS) };
        assert_eq!(
            kinds_phrase(&[
                DisasterKind::ColdWave,
                DisasterKind::HeavyRain,
                DisasterKind::HeavyRain
            ]),
            "冰雪、强降雨"
        );
        assert_eq!(kinds_phrase(&[]), "");
    }

    #[test]
    fn periods_and_rounds_are_checked() {
        assert!(check_period(d(2022, 1, 20), Some(d(2022, 1, 19))).is_err());
        assert!(check_period(d(2022, 1, 20), Some(d(2022, 1, 20))).is_ok());
        assert!(check_period(d(2022, 1, 20), None).is_ok());
        let t = |s: &str| parse_minute(s).unwrap_or_default();
        let ok = check_round(
            d(2022, 6, 1),
            Some(d(2022, 6, 30)),
            t("2022-06-30 23:00"),
            Some(t("2022-07-01 08:00")),
        );
        assert!(ok.is_empty(), "a round may end after the event's last day");
        let bad = check_round(
            d(2022, 6, 1),
            Some(d(2022, 6, 30)),
            t("2022-07-01 08:00"),
            Some(t("2022-07-01 08:00")),
        );
        let fields: Vec<&str> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["started_at", "ended_at"]);
        assert!(parse_minute("2022-06-01 8点").is_err());
        assert_eq!(t("2022-06-01T08:30"), t("2022-06-01 08:30:00"));
    }

    #[test]
    fn people_and_money_read_exactly() {
        assert_eq!(parse_people("1,200人"), Ok(1200));
        assert!(parse_people("-1").is_err());
        assert!(parse_people("1.5").is_err());
        assert_eq!(parse_yuan("12,345.6元"), Ok(1_234_560));
        assert_eq!(parse_yuan("0.01"), Ok(1));
        assert_eq!(parse_yuan("800"), Ok(80_000));
        assert!(parse_yuan("1.234").is_err());
        assert!(parse_yuan("-5").is_err());
        assert!(parse_yuan("abc").is_err());
        assert_eq!(yuan_text(1_234_560), "12345.60");
    }
}
