//! The chain to notify (通知链) for a record with a place and a sector (a hazard, an
//! accident, an alarm, a disaster event): the enterprise's principal and legal representative,
//! the township's accounts, the supervising department (from the duty list) and its accounts,
//! the 包片 leader of the township and the 包线 leader of the sector (from the responsibility
//! records), and the 安委办 — each with the phone on record, in the order a dispatcher
//! escalates (level 1 first). Read in the caller's scope: a place or an enterprise it cannot
//! see answers like a missing one.

use crate::{App, Caller, Result};
use anjian_domain::leader::AreaKind;
use anjian_domain::scope::{Permission, Role};
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use serde::{Deserialize, Serialize};

/// Where the record lies, as asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChainQuery {
    /// The record's region code (a village's or a township's); the enterprise's when empty.
    #[serde(default)]
    pub region: String,
    /// The record's sector code or name; the enterprise's first when empty.
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
}

/// One person to notify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChainContact {
    /// 1 is notified first; unconfirmed ones escalate to the next level.
    pub level: u8,
    /// 企业主要负责人, 乡镇（街道）, 行业主管部门, 包片领导, 包线领导, 安委办 …
    pub role: String,
    pub name: String,
    pub unit: String,
    pub phone: Option<String>,
    /// Where the person comes from: 企业信息库, 用户账号, 职责清单, 包片包线.
    pub source: String,
}

impl App {
    /// The chain to notify for a record at `q` (see the module).
    pub fn notify_chain(&self, caller: &Caller, q: &ChainQuery) -> Result<Vec<ChainContact>> {
        caller.require(Permission::ViewCountyWork)?;
        let today = self.clock.today();
        let mut out = Vec::new();
        let enterprise = match q.enterprise_id {
            Some(id) => Some(self.get_enterprise(caller, id)?),
            None => None,
        };
        let region = match (q.region.trim(), &enterprise) {
            ("", Some(e)) => e.region_code.clone(),
            ("", None) => {
                return Err(ValidationErrors::single("region", "请指定所在区划或企业").into());
            }
            (r, _) => r.to_string(),
        };
        let code = RegionCode::parse(&region)
            .map_err(|_| ValidationErrors::single("region", "区划代码无法识别"))?;
        if !caller.scope.admits_region(&region) {
            return Err(crate::AppError::NotFound);
        }
        let township = format!("{}000", region.get(..9).unwrap_or(&region));
        let sector = match (q.sector.trim(), &enterprise) {
            ("", Some(e)) => e.sectors.first().cloned().unwrap_or_default(),
            (s, _) => s.to_string(),
        };

        if let Some(e) = &enterprise {
            for (role, name, phone) in [
                ("企业主要负责人", &e.principal, &e.principal_phone),
                ("企业法定代表人", &e.legal_rep, &e.legal_rep_phone),
            ] {
                if let Some(n) = name.as_ref().filter(|n| !n.trim().is_empty()) {
                    out.push(ChainContact {
                        level: 1,
                        role: role.into(),
                        name: n.clone(),
                        unit: e.name.clone(),
                        phone: phone.clone(),
                        source: "企业信息库".into(),
                    });
                }
            }
        }
        // The accounts of the county: townships, departments and the 安委办, with their phones.
        let users = match code.county() {
            Some(c) => self.store.list_users(&Scope::region(&c, false))?,
            None => Vec::new(),
        };
        let town_name = self
            .region_names(caller, [township.as_str()])?
            .remove(&township)
            .unwrap_or_default();
        for u in users.iter().filter(|u| {
            u.active
                && Role::parse(&u.role) == Some(Role::Township)
                && u.region_code.get(..9) == township.get(..9)
        }) {
            out.push(ChainContact {
                level: 1,
                role: "乡镇（街道）安监（应急）".into(),
                name: u.display_name.clone(),
                unit: town_name.clone(),
                phone: u.phone.clone(),
                source: "用户账号".into(),
            });
        }
        if !sector.is_empty()
            && let Some(s) = self.who_supervises(caller, &sector, today)?
        {
            let accounts: Vec<_> = users
                .iter()
                .filter(|u| {
                    u.active
                        && Role::parse(&u.role) == Some(Role::Department)
                        && u.department_id == Some(s.department_id)
                })
                .collect();
            if accounts.is_empty() {
                out.push(ChainContact {
                    level: 2,
                    role: format!("行业主管部门（{}）", s.sector_name),
                    name: String::new(),
                    unit: s.department_name.clone(),
                    phone: None,
                    source: "职责清单".into(),
                });
            }
            for u in accounts {
                out.push(ChainContact {
                    level: 2,
                    role: format!("行业主管部门（{}）", s.sector_name),
                    name: u.display_name.clone(),
                    unit: s.department_name.clone(),
                    phone: u.phone.clone(),
                    source: "职责清单".into(),
                });
            }
        }
        let leaders = self.leaders(caller)?;
        let mut leader = |kind: AreaKind, target: &str, level: u8, role: &str| -> Result<()> {
            if let Some(a) = self.responsible_leader(caller, kind, target, today)? {
                let phone = leaders
                    .iter()
                    .find(|l| l.id == a.assignment.leader_id)
                    .and_then(|l| l.phone.clone());
                out.push(ChainContact {
                    level,
                    role: format!("{role}（{}）", a.target_name),
                    name: a.leader_name.clone(),
                    unit: a.leader_post.clone(),
                    phone,
                    source: "包片包线".into(),
                });
            }
            Ok(())
        };
        leader(AreaKind::Township, &township, 2, "包片领导")?;
        if !sector.is_empty() {
            let code = self
                .sector_names()?
                .into_iter()
                .find(|(c, n)| c == &sector || n == &sector)
                .map(|(c, _)| c)
                .unwrap_or(sector.clone());
            leader(AreaKind::Sector, &code, 3, "包线领导")?;
        }
        for u in users
            .iter()
            .filter(|u| u.active && Role::parse(&u.role) == Some(Role::Admin))
        {
            out.push(ChainContact {
                level: 3,
                role: "安委办".into(),
                name: u.display_name.clone(),
                unit: "县安委办".into(),
                phone: u.phone.clone(),
                source: "用户账号".into(),
            });
        }
        out.sort_by_key(|c| c.level);
        Ok(out)
    }
}
