//! The demo's published 双随机 draw.

use super::*;

/// One published 双随机 draw by the 应急局 (three key 危化 enterprises and 3 % of the other
/// enterprises in its sectors), so
/// `anjian draw verify 1` has something to check.
pub(super) fn draws(app: &App) -> Result<()> {
    let users = app.store.list_users(&anjian_domain::Scope::system())?;
    let Some(user) = users.into_iter().find(|u| u.username == "yingji") else {
        return Ok(());
    };
    let caller = app.caller_for(user, "demo", "")?;
    let spec = |name: &str, key_only: bool, quota: Option<usize>, ratio: Option<f64>| {
        crate::draws::StratumSpec {
            name: name.into(),
            sector: key_only.then(|| "hazchem".to_string()),
            key_only,
            quota,
            ratio_percent: ratio,
            ..Default::default()
        }
    };
    let v = app.create_draw(
        &caller,
        &crate::draws::DrawRequest {
            title: format!(
                "{}年安全生产双随机抽查（第一批）",
                chrono::Datelike::year(&app.clock.today())
            ),
            department_id: None,
            strata: vec![
                spec("危险化学品重点企业", true, Some(3), None),
                spec("其他企业", false, None, Some(3.0)),
            ],
            team_size: Some(2),
            exclude_inspected_days: None,
            inspector_ids: None,
            weighted_by_grade: false,
        },
    )?;
    app.run_draw(&caller, v.draw.id, "演示：公开随机数 2022031")?;
    let today = app.clock.today().format("%Y-%m-%d").to_string();
    app.publish_draw(
        &caller,
        v.draw.id,
        &today,
        "国家企业信用信息公示系统（江西）",
    )?;
    Ok(())
}
