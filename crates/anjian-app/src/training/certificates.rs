//! Certificates of enterprises' principals and safety managers (安全生产知识和管理能力考核
//! 合格证): recorded on the enterprise by the units that may change the enterprise's record,
//! read wherever the enterprise is seen; those expiring within the to-do window and those
//! expired come onto the to-do lists of the users whose scope covers the enterprise.

use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::scope::Permission;
use anjian_domain::training::{self as rules, HolderRole, Standing};
use anjian_domain::validation::parse_date;
use anjian_store::StoreError;
use anjian_store::training::{Certificate, CertificateFilter, CertificateInput};
use serde::{Deserialize, Serialize};

/// Days before expiry a certificate counts as expiring on the to-do list and in the lists.
pub const EXPIRY_WINDOW_DAYS: i64 = 60;

/// A certificate as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = TrainingCertificateDraft)]
pub struct CertificateDraft {
    /// The enterprise (chosen with the picker).
    pub enterprise_id: String,
    pub holder_name: String,
    /// 主要负责人 / 安全生产管理人员 (code or words).
    pub role: String,
    pub cert_no: String,
    pub issued_on: String,
    pub expires_on: String,
    /// 发证机关.
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub note: String,
}

/// Which certificates to list, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateQuery {
    pub enterprise_id: Option<i64>,
    pub role: Option<String>,
    /// Only those expired or expiring within [`EXPIRY_WINDOW_DAYS`].
    pub expiring: bool,
}

/// A certificate with its standing today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = TrainingCertificateView)]
pub struct CertificateView {
    pub certificate: Certificate,
    pub role_label: String,
    pub standing: Standing,
    pub standing_label: String,
}

/// A certificate expiring or expired, on a to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CertificateTodo {
    pub certificate_id: i64,
    pub enterprise_id: i64,
    /// "清江化工有限公司 张三（主要负责人）".
    pub title: String,
    pub expires_on: chrono::NaiveDate,
    pub expired: bool,
}

impl App {
    /// Whether the caller may record certificates (on enterprises of its writable scope).
    pub fn may_record_certificates(&self, caller: &Caller) -> bool {
        caller.scope.writable && caller.can(Permission::EditEnterprises)
    }

    fn require_certificate_recorder(&self, caller: &Caller) -> Result<()> {
        if self.may_record_certificates(caller) {
            Ok(())
        } else {
            Err(caller.refuse("登记考核合格证"))
        }
    }

    fn check_certificate(
        &self,
        d: &CertificateDraft,
    ) -> Result<CertificateInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let enterprise_id = d
            .enterprise_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|i| *i > 0);
        if enterprise_id.is_none() {
            e.add("enterprise_id", "请选择企业");
        }
        let holder_name = anjian_domain::validation::required_text(
            &mut e,
            "holder_name",
            "持证人姓名",
            &d.holder_name,
            30,
        );
        let role = HolderRole::from_words(&d.role);
        if role.is_none() {
            e.add("role", "请选择人员类别：主要负责人或安全生产管理人员");
        }
        let cert_no = e.check("cert_no", rules::check_certificate_no(&d.cert_no));
        let issued_on = e.check("issued_on", parse_date(&d.issued_on));
        let expires_on = e.check("expires_on", parse_date(&d.expires_on));
        if let (Some(i), Some(x)) = (issued_on, expires_on)
            && let Err(m) = rules::check_validity(i, x)
        {
            e.add("expires_on", m);
        }
        if let Some(i) = issued_on
            && i > self.clock.today()
        {
            e.add("issued_on", "发证日期不能晚于今天");
        }
        let issuer = anjian_domain::validation::optional_text(
            &mut e,
            "issuer",
            "发证机关",
            Some(&d.issuer),
            100,
        )
        .unwrap_or_default();
        let note =
            anjian_domain::validation::optional_text(&mut e, "note", "备注", Some(&d.note), 500)
                .unwrap_or_default();
        e.into_result()?;
        match (enterprise_id, role, cert_no, issued_on, expires_on) {
            (Some(enterprise_id), Some(role), Some(cert_no), Some(issued_on), Some(expires_on)) => {
                Ok(CertificateInput {
                    enterprise_id,
                    holder_name,
                    role,
                    cert_no,
                    issued_on,
                    expires_on,
                    issuer,
                    note,
                })
            }
            _ => Err(ValidationErrors::single("cert_no", "合格证信息不完整")),
        }
    }

    fn view_of(&self, c: Certificate) -> CertificateView {
        let standing = rules::standing(c.expires_on, self.clock.today(), EXPIRY_WINDOW_DAYS);
        CertificateView {
            role_label: c.role.label().to_string(),
            standing,
            standing_label: standing.label().to_string(),
            certificate: c,
        }
    }

    /// Records a certificate on an enterprise of the caller's writable scope.
    pub fn create_certificate(
        &self,
        caller: &Caller,
        d: &CertificateDraft,
    ) -> Result<CertificateView> {
        self.require_certificate_recorder(caller)?;
        let input = self.check_certificate(d)?;
        let saved = self
            .store
            .create_certificate(&caller.change(&caller.scope, self), &input)
            .map_err(certificate_refusal)?;
        Ok(self.view_of(saved))
    }

    /// Renews or corrects a certificate (version-checked).
    pub fn update_certificate(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &CertificateDraft,
    ) -> Result<CertificateView> {
        self.require_certificate_recorder(caller)?;
        // Out of scope reads as missing.
        self.store.get_certificate(&caller.scope, id)?;
        let input = self.check_certificate(d)?;
        let saved = self
            .store
            .update_certificate(&caller.change(&caller.scope, self), id, version, &input)
            .map_err(certificate_refusal)?;
        Ok(self.view_of(saved))
    }

    pub fn certificate(&self, caller: &Caller, id: i64) -> Result<CertificateView> {
        caller.require(Permission::ViewEnterprises)?;
        Ok(self.view_of(self.store.get_certificate(&caller.scope, id)?))
    }

    fn certificate_filter(&self, q: &CertificateQuery) -> Result<CertificateFilter> {
        let role = match q.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(r) => Some(HolderRole::from_words(r).ok_or_else(|| {
                AppError::from(ValidationErrors::single(
                    "role",
                    "人员类别应为主要负责人或安全生产管理人员",
                ))
            })?),
        };
        Ok(CertificateFilter {
            enterprise_id: q.enterprise_id,
            role,
            expires_by: q
                .expiring
                .then(|| self.clock.today() + chrono::Duration::days(EXPIRY_WINDOW_DAYS)),
            in_force_on: None,
            current_only: false,
        })
    }

    /// A page of the certificates in the caller's scope, newest first.
    pub fn certificate_page(
        &self,
        caller: &Caller,
        q: &CertificateQuery,
        k: &Keyset,
    ) -> Result<Page<CertificateView>> {
        caller.require(Permission::ViewEnterprises)?;
        let f = self.certificate_filter(q)?;
        crate::page_of(self.store.certificates(&caller.scope, &f, k)?, |c| {
            Ok(self.view_of(c))
        })
    }

    /// Every certificate of the query (the ledger).
    pub fn certificate_list(
        &self,
        caller: &Caller,
        q: &CertificateQuery,
    ) -> Result<Vec<CertificateView>> {
        caller.require(Permission::ViewEnterprises)?;
        let f = self.certificate_filter(q)?;
        let all =
            anjian_store::paging::all_pages(|k| self.store.certificates(&caller.scope, &f, k))?;
        Ok(all.into_iter().map(|c| self.view_of(c)).collect())
    }

    /// The certificates of the caller's scope expired or expiring within `within_days`
    /// (at least [`EXPIRY_WINDOW_DAYS`]), soonest first. Regulators' lists and an
    /// enterprise's own.
    pub fn certificate_todos(
        &self,
        caller: &Caller,
        within_days: i64,
    ) -> Result<Vec<CertificateTodo>> {
        if !(caller.can(Permission::ViewCountyWork) || caller.can(Permission::WorkOwnHazards)) {
            return Ok(Vec::new());
        }
        let today = self.clock.today();
        let window = within_days.clamp(EXPIRY_WINDOW_DAYS, 366);
        let f = CertificateFilter {
            expires_by: Some(today + chrono::Duration::days(window)),
            // One renewed since is no longer owed.
            current_only: true,
            ..Default::default()
        };
        let mut v: Vec<CertificateTodo> =
            anjian_store::paging::all_pages(|k| self.store.certificates(&caller.scope, &f, k))?
                .into_iter()
                .map(|c| CertificateTodo {
                    certificate_id: c.id,
                    enterprise_id: c.enterprise_id,
                    title: format!(
                        "{} {}（{}）",
                        c.enterprise_name,
                        c.holder_name,
                        c.role.label()
                    ),
                    expires_on: c.expires_on,
                    expired: c.expires_on < today,
                })
                .collect();
        v.sort_by_key(|t| (t.expires_on, t.certificate_id));
        Ok(v)
    }
}

fn certificate_refusal(err: StoreError) -> AppError {
    match err {
        StoreError::Duplicate(_) => ValidationErrors::single("cert_no", "该证书编号已登记").into(),
        // An enterprise that is not the caller's to see, or to change.
        StoreError::NotFound | StoreError::Forbidden => {
            ValidationErrors::single("enterprise_id", "请选择本人辖区内的企业").into()
        }
        other => other.into(),
    }
}
