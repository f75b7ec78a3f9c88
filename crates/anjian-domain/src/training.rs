//! 教育培训: training sessions (安全生产培训班 and 理论中心组学习), their attendees, and the
//! certificates of enterprise principals and safety managers (安全生产知识和管理能力考核合格证,
//! 《安全生产法》第二十七条: 危险物品的生产、经营、储存、装卸单位以及矿山、金属冶炼、建筑施工、运输单位的
//! 主要负责人和安全生产管理人员，应当由主管的负有安全生产监督管理职责的部门对其安全生产知识和管理
//! 能力考核合格).
//!
//! The rules here are pure: what a session's dates and hours must be, what an attendee must
//! say, and a certificate's standing on a day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded! {
    /// 培训类别.
    #[schema(as = TrainingKind)]
    SessionKind {
        Class = "class", "培训班" | "安全生产培训班" | "业务培训" | "培训";
        Study = "study", "理论中心组学习" | "中心组学习" | "理论学习" | "集中学习";
    }
}

coded! {
    /// 持证人员类别.
    #[schema(as = CertificateRole)]
    HolderRole {
        Principal = "principal", "主要负责人" | "负责人" | "法定代表人";
        SafetyManager = "safety_manager", "安全生产管理人员" | "安全管理人员" | "安全员" | "专职安全员";
    }
}

/// A certificate's standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CertificateStanding)]
pub enum Standing {
    /// In force and not expiring within the window.
    Valid,
    /// In force, expiring within the window (to be renewed: 复审/重新考核).
    Expiring,
    /// Past its expiry day.
    Expired,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Valid => "有效",
            Standing::Expiring => "即将到期",
            Standing::Expired => "已过期",
        }
    }
}

/// The standing of a certificate expiring on `expires_on` as seen on `today`, with
/// `window_days` as "expiring soon". A certificate is in force on its expiry day.
pub fn standing(expires_on: NaiveDate, today: NaiveDate, window_days: i64) -> Standing {
    if expires_on < today {
        Standing::Expired
    } else if (expires_on - today).num_days() <= window_days {
        Standing::Expiring
    } else {
        Standing::Valid
    }
}

/// A session ends on or after the day it starts.
pub fn check_days(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), String> {
    if ends_on < starts_on {
        Err("结束日期不能早于开始日期".into())
    } else {
        Ok(())
    }
}

/// A certificate expires after the day it was issued.
pub fn check_validity(issued_on: NaiveDate, expires_on: NaiveDate) -> Result<(), String> {
    if expires_on <= issued_on {
        Err("有效期至应晚于发证日期".into())
    } else {
        Ok(())
    }
}

/// Most hours a session can count (a class of several weeks).
pub const MAX_HOURS_TENTHS: i64 = 2_000 * 10;

/// Reads hours with at most one decimal place ("3", "3.5", "48.0") as tenths of an hour.
pub fn parse_hours(s: &str) -> Result<i64, String> {
    use crate::decimal::{DecimalError, parse_hundredths};
    let h = parse_hundredths(s).map_err(|e| match e {
        DecimalError::TooFine => "学时最多保留一位小数".to_string(),
        _ => "学时应为数字，如 3 或 3.5".to_string(),
    })?;
    if h % 10 != 0 {
        return Err("学时最多保留一位小数".into());
    }
    let tenths = h / 10;
    if tenths == 0 {
        return Err("学时应大于0".into());
    }
    if tenths > MAX_HOURS_TENTHS {
        return Err("学时不能超过2000".into());
    }
    Ok(tenths)
}

/// Tenths of an hour as typed ("3", "3.5").
pub fn hours_text(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, (tenths % 10).abs())
    }
}

/// An attendee of a session as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = TrainingAttendeeInput)]
pub struct Attendee {
    pub name: String,
    /// 单位 (enterprise, department, village …).
    pub unit: String,
    pub phone: Option<String>,
}

/// Checks an attendee as typed: (field, message) for each fault, keyed `name`, `unit`,
/// `phone`.
pub fn check_attendee(
    name: &str,
    unit: &str,
    phone: &str,
) -> Result<Attendee, Vec<(&'static str, String)>> {
    let mut faults = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        faults.push(("name", "请填写姓名".to_string()));
    } else if name.chars().count() > 30 {
        faults.push(("name", "姓名不能超过30个字".to_string()));
    }
    let unit = unit.trim();
    if unit.chars().count() > 100 {
        faults.push(("unit", "单位不能超过100个字".to_string()));
    }
    let phone = match phone.trim() {
        "" => None,
        p => match crate::phone::parse_phone(p) {
            Ok(p) => Some(p),
            Err(m) => {
                faults.push(("phone", m));
                None
            }
        },
    };
    if faults.is_empty() {
        Ok(Attendee {
            name: name.to_string(),
            unit: unit.to_string(),
            phone,
        })
    } else {
        Err(faults)
    }
}

/// A certificate number as typed: letters, digits and the usual separators, 4–40 long.
pub fn check_certificate_no(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("请填写证书编号".into());
    }
    let ok = t.chars().count() >= 4
        && t.chars().count() <= 40
        && t.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '/' | '（' | '）' | '(' | ')')
                || ('\u{4e00}'..='\u{9fff}').contains(&c)
        });
    if ok {
        Ok(t.to_string())
    } else {
        Err("证书编号应为4至40位字母、数字或汉字".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn kinds_and_roles_read_from_officials_words() {
        assert_eq!(SessionKind::from_words("培训班"), Some(SessionKind::Class));
        assert_eq!(
            SessionKind::from_words(" 理论中心组学习 "),
            Some(SessionKind::Study)
        );
        assert_eq!(SessionKind::from_words("会议"), None);
        assert_eq!(
            HolderRole::from_words("安全管理人员"),
            Some(HolderRole::SafetyManager)
        );
        assert_eq!(HolderRole::parse("principal"), Some(HolderRole::Principal));
    }

    #[test]
    fn hours_are_tenths() {
        assert_eq!(parse_hours("3"), Ok(30));
        assert_eq!(parse_hours("3.5"), Ok(35));
        assert_eq!(parse_hours("48.0"), Ok(480));
        assert!(parse_hours("3.25").is_err());
        assert!(parse_hours("0").is_err());
        assert!(parse_hours("三").is_err());
        assert!(parse_hours("-2").is_err());
        assert!(parse_hours("2001").is_err());
        assert_eq!(hours_text(35), "3.5");
        assert_eq!(hours_text(480), "48");
    }

    #[test]
    fn dates_in_order() {
        assert!(check_days(d("2022-06-01"), d("2022-06-01")).is_ok());
        assert!(check_days(d("2022-06-02"), d("2022-06-01")).is_err());
        // Expiry must be after the issue day.
        assert!(check_validity(d("2022-06-01"), d("2022-06-01")).is_err());
        assert!(check_validity(d("2022-06-01"), d("2025-05-31")).is_ok());
    }

    #[test]
    fn standing_on_a_day() {
        let today = d("2022-12-01");
        // In force on its expiry day, expired the day after.
        assert_eq!(standing(d("2022-12-01"), today, 30), Standing::Expiring);
        assert_eq!(standing(d("2022-11-30"), today, 30), Standing::Expired);
        assert_eq!(standing(d("2022-12-31"), today, 30), Standing::Expiring);
        assert_eq!(standing(d("2023-01-01"), today, 30), Standing::Valid);
    }

    #[test]
    fn attendees_and_numbers() {
        let a = check_attendee(" 张三 ", "清江市应急管理局", "").unwrap();
        assert_eq!(a.name, "张三");
        assert_eq!(a.phone, None);
        let faults = check_attendee("", "某单位", "123").unwrap_err();
        assert_eq!(
            faults.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["name", "phone"]
        );
        assert!(check_certificate_no("赣安2022-0001").is_ok());
        assert!(check_certificate_no("ab").is_err());
        assert!(check_certificate_no("12 34 56").is_err());
    }
}
