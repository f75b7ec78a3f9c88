//! Enterprise (生产经营单位) values and their validation.

use crate::idcard::IdCardNo;
use crate::industry::parse_industry;
use crate::phone::parse_phone;
use crate::region::RegionCode;
use crate::uscc::{Uscc, UsccError};
use crate::validation::{ValidationErrors, optional_text, parse_date, required_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseStatus {
    Operating,
    Suspended,
    Closed,
}

impl EnterpriseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operating => "operating",
            Self::Suspended => "suspended",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "operating" | "正常经营" => Some(Self::Operating),
            "suspended" | "停产停业" => Some(Self::Suspended),
            "closed" | "关闭" => Some(Self::Closed),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Operating => "正常经营",
            Self::Suspended => "停产停业",
            Self::Closed => "关闭",
        }
    }
}

/// A licence as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceInput {
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// A validated licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Licence {
    pub kind: String,
    pub number: String,
    pub issuer: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// Days before its expiry from which a licence is shown as 即将到期.
pub const LICENCE_EXPIRY_WARNING_DAYS: i64 = 90;

/// Where a licence stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceState {
    /// Past its last valid day.
    Expired,
    /// Valid, expiring within [`LICENCE_EXPIRY_WARNING_DAYS`].
    Expiring,
    Valid,
    /// No end date (长期).
    Permanent,
}

impl Licence {
    /// The licence's state on `day` (one rule for the record page, its warnings and the
    /// inspection checklist's registry facts).
    pub fn state_on(&self, day: NaiveDate) -> LicenceState {
        match self.valid_to {
            Some(to) if to < day => LicenceState::Expired,
            Some(to) if to < day + chrono::Duration::days(LICENCE_EXPIRY_WARNING_DAYS) => {
                LicenceState::Expiring
            }
            Some(_) => LicenceState::Valid,
            None => LicenceState::Permanent,
        }
    }
}

/// An enterprise as entered through a form, the API or an import row.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    pub name: String,
    pub uscc: String,
    /// Accept a well-formed code whose check character fails (early pilot codes).
    #[serde(default)]
    pub uscc_override: bool,
    pub region_code: String,
    #[serde(default)]
    pub address: String,
    /// One sector (the API contract's field); merged with `sectors`.
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub industry_code: Option<String>,
    #[serde(default)]
    pub department_ids: Vec<i64>,
    #[serde(default)]
    pub above_scale: bool,
    #[serde(default)]
    pub is_key: bool,
    #[serde(default)]
    pub legal_rep: Option<String>,
    #[serde(default)]
    pub legal_rep_phone: Option<String>,
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub principal_phone: Option<String>,
    #[serde(default)]
    pub principal_id_no: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub risk_grade: Option<String>,
    #[serde(default)]
    pub licences: Vec<LicenceInput>,
    /// 经度 (decimal degrees, WGS-84, e.g. "115.540000"); with `lat`, both or neither. Absent
    /// on an update keeps the enterprise's coordinates; both empty clears them.
    #[serde(default)]
    pub lng: Option<String>,
    /// 纬度 (decimal degrees, WGS-84).
    #[serde(default)]
    pub lat: Option<String>,
    /// Optimistic concurrency: the version the edit is based on (updates only).
    #[serde(default)]
    pub version: Option<i64>,
}

/// A validated enterprise, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEnterprise {
    pub name: String,
    pub uscc: String,
    /// Set when the checksum failed and the user confirmed the exception.
    pub uscc_warning: Option<String>,
    pub region_code: RegionCode,
    pub address: String,
    pub sectors: Vec<String>,
    pub industry_code: Option<String>,
    pub department_ids: Vec<i64>,
    pub above_scale: bool,
    pub is_key: bool,
    pub legal_rep: Option<String>,
    pub legal_rep_phone: Option<String>,
    pub principal: Option<String>,
    pub principal_phone: Option<String>,
    pub principal_id_no: Option<String>,
    pub status: EnterpriseStatus,
    pub risk_grade: Option<String>,
    pub licences: Vec<Licence>,
    /// Coordinates (micro-degrees): None leaves them as they are, `Some(None)` clears them
    /// (checked by the use case against the county's extent).
    pub point: Option<Option<(i64, i64)>>,
}

pub const RISK_GRADES: [(&str, &str); 4] = [
    ("red", "重大风险（红）"),
    ("orange", "较大风险（橙）"),
    ("yellow", "一般风险（黄）"),
    ("blue", "低风险（蓝）"),
];

impl EnterpriseInput {
    /// Checks every field, collecting all errors. Store-dependent checks
    /// (region exists, sector exists, USCC unique) are made by the caller.
    pub fn validate(&self, today: NaiveDate) -> Result<NewEnterprise, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let name = required_text(&mut e, "name", "企业名称", &self.name, 100);
        let uscc = match Uscc::parse_with(&self.uscc, self.uscc_override) {
            Ok(u) => Some(u),
            Err(err @ UsccError::Format(_)) | Err(err @ UsccError::Checksum { .. }) => {
                e.add("uscc", err.to_string());
                None
            }
        };
        let uscc_warning = uscc.as_ref().filter(|u| !u.checksum_ok()).map(|u| {
            let expected = crate::uscc::check_char(&u.as_str()[..17]).unwrap_or('?');
            format!("校验位例外：按 GB 32100 计算应为 {expected}，经用户确认按原码登记")
        });
        let region_code = e.check(
            "region_code",
            RegionCode::parse(&self.region_code).map_err(|m| format!("所属区划：{m}")),
        );
        if let Some(r) = &region_code
            && r.level() < crate::region::RegionLevel::Township
        {
            e.add("region_code", "所属区划应为乡镇（街道）或村（社区）、网格");
        }
        let address = self.address.trim().to_string();
        if address.chars().count() > 200 {
            e.add("address", "地址不能超过200个字");
        }
        let mut sectors: Vec<String> = Vec::new();
        for s in self.sector.iter().chain(self.sectors.iter()) {
            let s = s.trim();
            if !s.is_empty() && !sectors.iter().any(|x| x == s) {
                sectors.push(s.to_string());
            }
        }
        if sectors.is_empty() {
            e.add("sector", "请至少选择一个行业领域");
        }
        let industry_code = match self
            .industry_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(c) => e.check("industry_code", parse_industry(c)),
            None => None,
        };
        let mut department_ids = self.department_ids.clone();
        department_ids.sort_unstable();
        department_ids.dedup();
        let legal_rep = optional_text(
            &mut e,
            "legal_rep",
            "法定代表人",
            self.legal_rep.as_deref(),
            30,
        );
        let principal = optional_text(
            &mut e,
            "principal",
            "主要负责人",
            self.principal.as_deref(),
            30,
        );
        let phone = |e: &mut ValidationErrors, field: &str, v: &Option<String>| -> Option<String> {
            let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            e.check(field, parse_phone(v))
        };
        let legal_rep_phone = phone(&mut e, "legal_rep_phone", &self.legal_rep_phone);
        let principal_phone = phone(&mut e, "principal_phone", &self.principal_phone);
        let principal_id_no = match self
            .principal_id_no
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(v) => e
                .check("principal_id_no", IdCardNo::parse(v, today))
                .map(|i| i.as_str().to_string()),
            None => None,
        };
        let status = match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => EnterpriseStatus::Operating,
            Some(s) => match EnterpriseStatus::parse(s) {
                Some(st) => st,
                None => {
                    e.add("status", "经营状态应为 operating（正常经营）、suspended（停产停业）或 closed（关闭）");
                    EnterpriseStatus::Operating
                }
            },
        };
        let risk_grade = match self
            .risk_grade
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(g) if RISK_GRADES.iter().any(|(k, _)| *k == g) => Some(g.to_string()),
            Some(_) => {
                e.add("risk_grade", "风险等级应为 red、orange、yellow 或 blue");
                None
            }
        };
        let mut licences = Vec::new();
        for (i, l) in self.licences.iter().enumerate() {
            let f = |k: &str| format!("licences[{i}].{k}");
            let kind = required_text(&mut e, &f("kind"), "证照类别", &l.kind, 50);
            let number = required_text(&mut e, &f("number"), "证照编号", &l.number, 60);
            let issuer = optional_text(&mut e, &f("issuer"), "发证机关", l.issuer.as_deref(), 60);
            let date = |e: &mut ValidationErrors, k: &str, v: &Option<String>| {
                let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
                e.check(&f(k), parse_date(v))
            };
            let valid_from = date(&mut e, "valid_from", &l.valid_from);
            let valid_to = date(&mut e, "valid_to", &l.valid_to);
            if let (Some(a), Some(b)) = (valid_from, valid_to)
                && b < a
            {
                e.add(&f("valid_to"), "有效期截止日期不能早于起始日期");
            }
            licences.push(Licence {
                kind,
                number,
                issuer,
                valid_from,
                valid_to,
            });
        }
        e.into_result()?;
        match (uscc, region_code) {
            (Some(uscc), Some(region_code)) => Ok(NewEnterprise {
                name,
                uscc: uscc.as_str().to_string(),
                uscc_warning,
                region_code,
                address,
                sectors,
                industry_code,
                department_ids,
                above_scale: self.above_scale,
                is_key: self.is_key,
                legal_rep,
                legal_rep_phone,
                principal,
                principal_phone,
                principal_id_no,
                status,
                risk_grade,
                licences,
                point: None,
            }),
            _ => Err(ValidationErrors::single("uscc", "统一社会信用代码不正确")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 6, 1).unwrap_or_default()
    }

    fn good() -> EnterpriseInput {
        EnterpriseInput {
            name: "樟树市某化工有限公司".into(),
            uscc: "91360982MA35ABCD45".into(),
            region_code: "360982100000".into(),
            address: "某镇工业园".into(),
            sector: Some("hazchem".into()),
            ..Default::default()
        }
    }

    #[test]
    fn valid_input_passes() {
        let v = good().validate(today()).unwrap();
        assert_eq!(v.sectors, vec!["hazchem"]);
        assert_eq!(v.status, EnterpriseStatus::Operating);
        assert!(v.uscc_warning.is_none());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut i = good();
        i.name = " ".into();
        i.uscc = "911100001000013410".into();
        i.region_code = "360982".into();
        i.principal_id_no = Some("360982198506151230".into());
        i.principal_phone = Some("123".into());
        i.sector = None;
        let e = i.validate(today()).err().unwrap_or_default();
        for f in [
            "name",
            "uscc",
            "region_code",
            "principal_id_no",
            "principal_phone",
            "sector",
        ] {
            assert!(e.fields.contains_key(f), "missing {f}: {e}");
        }
    }

    #[test]
    fn checksum_override_is_recorded_as_warning() {
        let mut i = good();
        i.uscc = "911100001000013410".into();
        i.uscc_override = true;
        let v = i.validate(today()).unwrap();
        assert!(v.uscc_warning.as_deref().unwrap_or("").contains('9'));
    }

    #[test]
    fn licence_dates_are_ordered() {
        let mut i = good();
        i.licences = vec![LicenceInput {
            kind: "安全生产许可证".into(),
            number: "(赣)WH安许证字[2022]0001".into(),
            issuer: None,
            valid_from: Some("2022-01-01".into()),
            valid_to: Some("2021-01-01".into()),
        }];
        let e = i.validate(today()).err().unwrap_or_default();
        assert!(e.fields.contains_key("licences[0].valid_to"));
    }
}
