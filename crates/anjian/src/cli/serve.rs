//! anjian serve: the web server on the embedded or the PostgreSQL store.

use super::*;

pub(super) fn serve(a: ServeArgs) -> Result<(), Fail> {
    let default = if a.demo { DEMO_DB } else { DEFAULT_DB };
    let store = open_store(&a.db, default)?;
    if a.demo {
        let demo = anjian_app::demo::demo_app(store.clone(), 2022);
        if demo.all_regions()?.is_empty() {
            let s = setup::demo(&demo, 2022)?;
            setup::print_accounts(&s);
        } else {
            println!(
                "使用已有的演示数据。演示账号：admin、leader、yingji、zhujian、zhifa、xiangzhen、qiye、paizhu（密码 {}）",
                anjian_app::demo::DEMO_PASSWORD
            );
        }
    }
    anjian_store::db::log_slow_statements(Some(std::time::Duration::from_millis(
        a.slow_statement_ms,
    )));
    let mut app = app_on(store.clone())?;
    let blank = app.needs_first_run()?;
    // After the app's own defaults are written, so the first backup holds them.
    if let Some(dir) = &a.backup_dir {
        backup::start_daily_backups(store, dir.clone(), a.backup_keep as usize)?;
        println!(
            "每日备份写入 {}（保留最近 {} 份）",
            dir.display(),
            a.backup_keep
        );
    }
    app.auth.session_cache_secs = i64::from(a.session_cache_secs);
    if !a.no_jobs {
        start_jobs(app.clone(), &a.listen);
    }
    // Kept for the server's life: the subscriber's threads run until the process ends.
    let _mqtt = match &a.mqtt {
        Some(url) => {
            let cfg = anjian_app::monitoring::mqtt::MqttConfig::new(
                url,
                &format!(
                    "anjian-{}-{}",
                    a.listen.replace([':', '.'], "-"),
                    std::process::id()
                ),
            );
            let s = anjian_app::monitoring::mqtt::start(app.clone(), &cfg)
                .map_err(|m| Fail(format!("--mqtt：{m}"), 2))?;
            println!("在线监测：订阅 {url} 的 {}", cfg.filter());
            Some(s)
        }
        None => None,
    };
    let addr: std::net::SocketAddr = a
        .listen
        .parse()
        .map_err(|_| Fail(format!("--listen 地址无效：{}", a.listen), 2))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fail(format!("无法启动运行时：{e}"), 1))?;
    let trusted_proxies = a
        .trusted_proxy
        .iter()
        .map(|p| {
            p.parse::<anjian_web::Cidr>()
                .map_err(|m| Fail(format!("--trusted-proxy：{m}"), 2))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let config = anjian_web::WebConfig {
        secure_cookies: a.secure_cookies,
        metrics: a.metrics,
        trusted_proxies,
    };
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Fail(format!("无法监听 {addr}：{e}"), 1))?;
        let local = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or(addr.to_string());
        println!("anjian 已启动：http://{local}/  （API：http://{local}/api/v1，按 Ctrl-C 停止）");
        if blank {
            println!(
                "本系统尚未初始化：请在浏览器打开 http://{local}/ 选择本县并创建第一个管理员（或用 anjian init 与 anjian user add）。"
            );
        }
        tracing::info!(%local, "listening");
        anjian_web::serve(app, config, listener)
            .await
            .map_err(|e| Fail(format!("服务异常退出：{e}"), 1))
    })
}

/// Runs the dispatch job and the monitoring job (设备离线; once a day also the deletion of
/// readings past their retention) every minute and the daily reminders every ten minutes (a
/// no-op once a day's cycle ran anywhere) in a thread of its own: the dispatch job's network
/// calls block, and the store's claims and locks make them safe beside other instances doing
/// the same.
fn start_jobs(app: anjian_app::App, listen: &str) {
    let instance = format!("serve-{listen}-{}", std::process::id());
    let spawned = std::thread::Builder::new()
        .name("anjian-jobs".into())
        .spawn(move || {
            for round in 0u64.. {
                std::thread::sleep(std::time::Duration::from_secs(60));
                if round % 10 == 0
                    && let Err(e) = app.run_daily_reminders(&instance)
                {
                    tracing::warn!(error = %e, "daily reminders failed");
                }
                match app.run_monitoring_jobs(round % 1440 == 0) {
                    Ok(r) if r.offline_opened > 0 || r.pruned > 0 => tracing::info!(
                        offline_opened = r.offline_opened,
                        pruned = r.pruned,
                        "monitoring job"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "monitoring job failed"),
                }
                match app.run_dispatch_jobs(&instance) {
                    Ok(r) if r.sent + r.retried + r.failed + r.escalated > 0 => {
                        tracing::info!(
                            sent = r.sent,
                            retried = r.retried,
                            failed = r.failed,
                            escalated = r.escalated,
                            "dispatch job"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "dispatch job failed"),
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "dispatch job not started");
    }
}
