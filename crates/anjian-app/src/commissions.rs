//! 委托执法: agencies (交警, 农机, 运管 …) commission a township for listed
//! simple-procedure items; township officers open simple cases only for those items, within
//! the agreement's period and the item's fine cap, in the commissioning agency's name.

use crate::{App, AppError, Caller, Result};
use anjian_domain::validation::parse_date;
use anjian_domain::{RegionCode, ValidationErrors};
use anjian_store::commissions::Commission;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionItem {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub legal_basis: String,
    /// The largest fine the township may impose for this item, in 元.
    pub max_fine_yuan: f64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionInput {
    pub region_code: String,
    pub agency: String,
    pub agreement_no: String,
    pub items: Vec<CommissionItem>,
    pub valid_from: String,
    pub valid_to: String,
}

/// What a township officer's case claims under a commission.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommissionClaim<'a> {
    pub commission_id: Option<i64>,
    pub item: Option<&'a str>,
    pub region: &'a str,
    pub fine_fen: i64,
    pub simple: bool,
    /// The date of the act (the on-the-spot decision): the agreement must be in force then,
    /// whenever the case is entered.
    pub on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommissionFigure {
    pub agency: String,
    pub item_code: String,
    pub item_name: String,
    pub cases: i64,
}

impl App {
    pub fn create_commission(
        &self,
        caller: &Caller,
        input: &CommissionInput,
    ) -> Result<Commission> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let mut e = ValidationErrors::new();
        match RegionCode::parse(input.region_code.trim()) {
            Ok(r)
                if caller.scope.admits_region(r.as_str())
                    && self.store.region_exists(r.as_str())? => {}
            _ => e.add(
                "region_code",
                "受委托的乡镇（街道）区划不正确或不在管辖范围内",
            ),
        }
        if input.agency.trim().is_empty() {
            e.add("agency", "请填写委托机关");
        }
        if input.agreement_no.trim().is_empty() {
            e.add("agreement_no", "请填写委托协议（文件）编号");
        }
        if input.items.is_empty() {
            e.add("items", "请列出委托的简易程序事项");
        }
        for (k, it) in input.items.iter().enumerate() {
            if it.code.trim().is_empty() || it.name.trim().is_empty() {
                e.add(&format!("items[{k}]"), "事项须有编码和名称");
            }
            if !(it.max_fine_yuan >= 0.0 && it.max_fine_yuan <= 3000.0) {
                e.add(
                    &format!("items[{k}].max_fine_yuan"),
                    "委托的简易程序罚款上限须在0至3000元之间",
                );
            }
        }
        let from = parse_date(input.valid_from.trim());
        let to = parse_date(input.valid_to.trim());
        match (&from, &to) {
            (Ok(f), Ok(t)) if f <= t => {}
            (Err(m), _) => e.add("valid_from", m.clone()),
            (_, Err(m)) => e.add("valid_to", m.clone()),
            _ => e.add("valid_to", "有效期止不能早于起"),
        }
        e.into_result()?;
        let (Ok(valid_from), Ok(valid_to)) = (from, to) else {
            return Err(ValidationErrors::single("valid_from", "日期格式应为 YYYY-MM-DD").into());
        };
        let c = Commission {
            region_code: input.region_code.trim().to_string(),
            agency: input.agency.trim().to_string(),
            agreement_no: input.agreement_no.trim().to_string(),
            items: serde_json::to_string(&input.items)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            valid_from,
            valid_to,
            ..Default::default()
        };
        Ok(self
            .store
            .create_commission(&caller.change(&caller.scope, self), &c)?)
    }

    /// One page of the commissions in scope, newest first.
    pub fn commissions_page(
        &self,
        caller: &Caller,
        k: &crate::Keyset,
    ) -> Result<crate::Page<Commission>> {
        Ok(self.store.list_commissions(&caller.scope, k)?)
    }

    /// Every commission in scope.
    pub fn commissions(&self, caller: &Caller) -> Result<Vec<Commission>> {
        crate::every(|k| self.store.list_commissions(&caller.scope, k), Ok)
    }

    /// The commissioned items a township officer may open a simple case for today: (commission
    /// id, item code, "agency：item (≤ cap 元)"), for the case form's picker.
    pub fn commission_choices(&self, caller: &Caller) -> Result<Vec<(i64, String, String)>> {
        let today = self.clock.today();
        let mut out = Vec::new();
        for c in self.commissions(caller)? {
            if today < c.valid_from || today > c.valid_to {
                continue;
            }
            let items: Vec<CommissionItem> = serde_json::from_str(&c.items)
                .map_err(|e| AppError::Internal(format!("commissions row {}: items: {e}", c.id)))?;
            for i in items {
                let label = format!(
                    "{}：{}（罚款不超过{}元）",
                    c.agency, i.name, i.max_fine_yuan
                );
                out.push((c.id, i.code, label));
            }
        }
        Ok(out)
    }

    /// Commissioned cases per agency and item, in scope.
    pub fn commission_figures(&self, caller: &Caller) -> Result<Vec<CommissionFigure>> {
        let names: Vec<(String, String, String)> = self
            .commissions(caller)?
            .into_iter()
            .flat_map(|c| {
                let items: Vec<CommissionItem> = serde_json::from_str(&c.items).unwrap_or_default();
                items
                    .into_iter()
                    .map(move |i| (c.agency.clone(), i.code, i.name))
            })
            .collect();
        Ok(self
            .store
            .commission_counts(&caller.scope)?
            .into_iter()
            .map(|(agency, item_code, cases)| CommissionFigure {
                item_name: names
                    .iter()
                    .find(|(a, c, _)| *a == agency && *c == item_code)
                    .map(|(_, _, n)| n.clone())
                    .unwrap_or_default(),
                agency,
                item_code,
                cases,
            })
            .collect())
    }

    /// Checks a township officer's case against the commission: returns (id, item, agency).
    pub(crate) fn check_commission(
        &self,
        caller: &Caller,
        claim: &CommissionClaim<'_>,
        e: &mut ValidationErrors,
    ) -> Result<Option<(i64, String, String)>> {
        let CommissionClaim {
            commission_id,
            item,
            region,
            fine_fen,
            simple,
            on,
        } = *claim;
        let (Some(id), Some(item)) = (commission_id, item.map(str::trim).filter(|s| !s.is_empty()))
        else {
            e.add(
                "commission_id",
                "乡镇（街道）只能办理受委托的简易程序事项，请选择委托协议和事项",
            );
            return Ok(None);
        };
        let Ok(c) = self.store.get_commission(&caller.scope, id) else {
            e.add("commission_id", "委托协议不存在或不属于本乡镇（街道）");
            return Ok(None);
        };
        // The agreement must be in force on the day of the act (行政处罚法 art. 20: the
        // commissioned organisation acts within the commission), not on the day of entry.
        let act = on.unwrap_or_else(|| self.clock.today());
        if act < c.valid_from || act > c.valid_to {
            e.add(
                "commission_id",
                format!(
                    "处罚决定日期{act}不在委托协议有效期（{}至{}）内",
                    c.valid_from, c.valid_to
                ),
            );
        }
        if !simple {
            e.add("procedure", "受委托事项只能适用简易程序");
        }
        if !region.starts_with(
            RegionCode::parse(&c.region_code)
                .map(|r| r.subtree_prefix().to_string())
                .unwrap_or_default()
                .as_str(),
        ) {
            e.add("region_code", "当事人不在受委托乡镇（街道）范围内");
        }
        let items: Vec<CommissionItem> = serde_json::from_str(&c.items).unwrap_or_default();
        match items.iter().find(|i| i.code == item) {
            None => e.add("commission_item", "该事项不在委托范围内"),
            Some(i) if fine_fen > (i.max_fine_yuan * 100.0).round() as i64 => e.add(
                "fine_yuan",
                format!("受委托事项“{}”罚款不得超过{}元", i.name, i.max_fine_yuan),
            ),
            Some(_) => {}
        }
        Ok(Some((c.id, item.to_string(), c.agency)))
    }
}
