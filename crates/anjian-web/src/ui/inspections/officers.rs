//! The roster of certified officers (执法人员名册) the caller picks an inspection's officers
//! from: the 安委办 sees every department's, a department and its inspectors their own, a
//! township its own, each with the certificate's number and last valid day.

use super::*;

/// One officer as the roster page shows them.
pub struct RosterRow {
    pub name: String,
    pub unit: String,
    pub cert_no: String,
    pub valid_until: String,
    /// 有效, 已过期, or how soon it runs out.
    pub state: String,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "officers.html")]
struct RosterPage {
    chrome: Chrome,
    rows: Vec<RosterRow>,
    today: String,
    /// The caller keeps the roster (the user administration).
    can_edit: bool,
}

/// Certificates running out within this many days are pointed out.
const EXPIRY_WARNING_DAYS: i64 = 60;

pub(super) async fn roster(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let today = state.app.clock.today();
    let (instance, officers) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.officer_roster(&caller, today)?))
    })
    .await?;
    let rows = officers
        .into_iter()
        .map(|o| {
            let left = o.cert_valid_until.map(|d| (d - today).num_days());
            let state = match left {
                _ if !o.valid => "执法证已过期".to_string(),
                Some(n) if n <= EXPIRY_WARNING_DAYS => format!("有效，{n}天后到期"),
                _ => "有效".to_string(),
            };
            RosterRow {
                name: o.name,
                unit: o.unit,
                cert_no: o.cert_no,
                valid_until: o
                    .cert_valid_until
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                state,
                expired: !o.valid,
            }
        })
        .collect();
    Ok(render(&RosterPage {
        chrome: Chrome::new(&pc, instance, "执法人员名册", "officers"),
        rows,
        today: today.to_string(),
        can_edit: pc.caller.can(anjian_domain::scope::Permission::ManageUsers),
    }))
}
