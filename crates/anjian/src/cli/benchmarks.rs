//! The benchmarks, each against a baseline measured in the same run.

use super::*;
use crate::bench_store::Target;

/// Runs one benchmark in a fresh folder (kept on request).
pub(super) fn bench(what: BenchWhat) -> Result<(), Fail> {
    let bail = |e: String| Fail(format!("基准测试失败：{e}"), 1);
    let (dir, keep, reuse) = match &what {
        BenchWhat::Http {
            store_dir: Some(d), ..
        } => (d.clone(), true, true),
        BenchWhat::Http { keep, .. } => (bench_dir(), *keep, false),
        _ => (bench_dir(), false, false),
    };
    std::fs::create_dir_all(&dir).map_err(|e| bail(e.to_string()))?;
    let out = match what {
        BenchWhat::Report { quick, runs, db } => {
            let scratch;
            let store = if quick {
                let target = Target::new(db.db.as_deref(), &dir).map_err(|e| Fail(e, 2))?;
                scratch = crate::bench::quick_province(&target).map_err(bail)?;
                scratch.store.clone()
            } else {
                if db.db.is_none() {
                    return Err(Fail(
                        "bench report 需要基准省数据库：先运行 anjian demo --scale province --db URL，再以 --db URL 运行（或加 --quick）".into(),
                        2,
                    ));
                }
                open_store(&db, DEFAULT_DB)?
            };
            crate::bench::report(store, runs).map_err(bail)
        }
        BenchWhat::Http {
            quick,
            hazards,
            secs,
            runs,
            connections,
            instances,
            db,
            ..
        } => crate::bench_http::http(
            &Target::new(db.db.as_deref(), &dir).map_err(|e| Fail(e, 2))?,
            &crate::bench_http::HttpOpts {
                hazards: hazards.unwrap_or(if quick { 20_000 } else { 1_000_000 }),
                secs: secs.unwrap_or(if quick { 1.0 } else { 5.0 }),
                runs: if quick { 1 } else { runs },
                connections: connections.into_iter().map(|c| c.max(1)).collect(),
                instances: instances.clamp(1, 16),
                reuse,
            },
        )
        .map_err(bail),
        BenchWhat::View {
            quick: true,
            instances,
            db,
            ..
        } => {
            let target = Target::new(db.db.as_deref(), &dir).map_err(|e| Fail(e, 2))?;
            let scratch = crate::bench::quick_province(&target).map_err(bail)?;
            crate::bench_http::view(
                &scratch.url,
                scratch.store.clone(),
                &crate::bench_http::ViewOpts {
                    users: 4,
                    secs: 3.0,
                    writes_per_s: 5.0,
                    instances: instances.clamp(1, 16),
                    pages: crate::bench_http::Pages::Both,
                },
            )
            .map_err(bail)
        }
        BenchWhat::View {
            users,
            secs,
            writes_per_s,
            instances,
            pages,
            db,
            ..
        } => {
            let Some(url) = db.db.clone() else {
                return Err(Fail(
                    "bench view 需要基准省数据库：先运行 anjian demo --scale province --db URL，再以 --db URL 运行".into(),
                    2,
                ));
            };
            let store = open_store(&db, DEFAULT_DB)?;
            crate::bench_http::view(
                &url,
                store,
                &crate::bench_http::ViewOpts {
                    users: users.clamp(1, 1000),
                    secs: secs.max(1.0),
                    writes_per_s: writes_per_s.clamp(0.0, 1000.0),
                    instances: instances.clamp(1, 16),
                    pages,
                },
            )
            .map_err(bail)
        }
        BenchWhat::MonthEnd {
            quick,
            users,
            secs,
            think_secs,
            instances,
            hazards,
            db,
        } => crate::bench_http::month_end(
            &Target::new(db.db.as_deref(), &dir).map_err(|e| Fail(e, 2))?,
            &crate::bench_http::MonthEndOpts {
                users: users
                    .unwrap_or(if quick { 50 } else { 1000 })
                    .clamp(1, 10_000),
                secs: secs.unwrap_or(if quick { 20.0 } else { 300.0 }).max(1.0),
                think_secs: think_secs.max(0.01),
                instances: instances.clamp(1, 16),
                hazards: hazards.unwrap_or(if quick { 20_000 } else { 1_000_000 }),
                reuse: false,
            },
        )
        .map_err(bail),
        BenchWhat::Import { quick, rows, db } => {
            let rows = rows.unwrap_or(if quick { 20_000 } else { 1_000_000 });
            let target = Target::new(db.db.as_deref(), &dir).map_err(|e| Fail(e, 2))?;
            crate::bench::import(&target, &dir, rows).map_err(bail)
        }
        BenchWhat::Ingest {
            quick,
            points,
            rounds,
            mqtt,
            db,
        } => crate::bench_ingest::ingest(
            &Target::new(db.db.as_deref(), &dir).map_err(|e| Fail(e, 2))?,
            &crate::bench_ingest::IngestOpts {
                points: points
                    .unwrap_or(if quick { 10_000 } else { 100_000 })
                    .max(100),
                rounds: rounds.max(1),
                mqtt,
            },
        )
        .map_err(bail),
        BenchWhat::ImportBombs {
            quick,
            server_exe,
            cap_mb,
        } => crate::bench_http::bombs::import_bombs(&dir, quick, server_exe, cap_mb).map_err(bail),
    };
    if keep {
        eprintln!("基准数据保留在 {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    out
}

/// A fresh folder for one benchmark run's stores.
fn bench_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("anjian-bench-{}", std::process::id()))
}
