//! Backups, restores and moving a county to another store (`backup`, `restore`,
//! `migrate-store`), and the daily rotating backups of `serve --backup-dir`.

use super::*;
use anjian_store::backup::{BackupError, BackupReader, BackupSummary, copy_store};
use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, Instant};

/// How often the daily backup thread looks whether today's backup is written.
const CHECK_EVERY: Duration = Duration::from_secs(3600);

impl From<BackupError> for Fail {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Store(e) => e.into(),
            other => Fail(other.to_string(), 1),
        }
    }
}

fn url_of(s: &str) -> Result<StoreUrl, Fail> {
    StoreUrl::parse(s).map_err(|e| Fail(e, 2))
}

fn open_at(url: &StoreUrl, version: Option<i64>) -> Result<Store, Fail> {
    let opened = match version {
        Some(v) => Store::open_at_version(url, v),
        None => Store::open(url),
    };
    opened.map_err(|e| {
        Fail(
            format!(
                "无法打开数据库 {}：{}",
                describe(url),
                anjian_store::error_chain(&e)
            ),
            1,
        )
    })
}

fn megabytes(path: &Path) -> String {
    let bytes = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// `anjian backup`: one file holding every record, taken while the store keeps serving.
pub(super) fn backup(a: BackupArgs) -> Result<(), Fail> {
    let store = open_store(&a.db, DEFAULT_DB)?;
    let started = Instant::now();
    let s = write_backup(&store, &a.out, a.level)?;
    println!(
        "已备份到 {}（{}）：{} 张表、{} 行，数据结构第 {} 版，用时 {:.1} 秒",
        a.out.display(),
        megabytes(&a.out),
        s.trailer.tables.len(),
        s.rows(),
        s.header.schema_version,
        started.elapsed().as_secs_f64()
    );
    println!("数据摘要：{}", s.trailer.digest);
    Ok(())
}

/// Writes a backup to `out` through a file beside it, synced and then renamed: a file under
/// the final name is always whole.
pub(super) fn write_backup(store: &Store, out: &Path, level: u32) -> Result<BackupSummary, Fail> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| Fail(format!("--out 不是文件名：{}", out.display()), 2))?;
    let part = out.with_file_name(format!(".{name}.{}.part", std::process::id()));
    let cannot = |e: std::io::Error| Fail(format!("无法写入 {}：{e}", part.display()), 1);
    let written = (|| {
        let mut file = File::create(&part).map_err(cannot)?;
        let summary = store.backup(&mut file, SystemClock.now(), level)?;
        file.sync_all().map_err(cannot)?;
        fs::rename(&part, out).map_err(cannot)?;
        Ok(summary)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&part);
    }
    written
}

/// `anjian restore`: a backup into an empty store, opened at the backup's schema version and
/// upgraded afterwards; the digest is checked before the commit, the audit chain after it.
pub(super) fn restore(a: RestoreArgs) -> Result<(), Fail> {
    let db = a.db.db.as_deref().ok_or_else(|| {
        Fail(
            "请用 --db 指定要恢复到的空数据库（sqlite://路径 或 postgres://用户@主机/库名）".into(),
            2,
        )
    })?;
    let url = url_of(db)?;
    let input = a
        .file
        .or(a.input_flag)
        .ok_or_else(|| Fail("请指定要恢复的备份文件：anjian restore 文件".into(), 2))?;
    let file =
        File::open(&input).map_err(|e| Fail(format!("无法读取 {}：{e}", input.display()), 1))?;
    let reader = BackupReader::open(file)?;
    let header = reader.header().clone();
    let latest = Store::latest_schema_version();
    if header.schema_version > latest {
        return Err(BackupError::TooNew {
            backup: header.schema_version,
            latest,
        }
        .into());
    }
    let store = open_at(&url, Some(header.schema_version))?;
    let started = Instant::now();
    let restored = store.restore(reader)?;
    let secs = started.elapsed().as_secs_f64();
    let upgraded = store.migrate()?;
    println!(
        "已把 {}（{} 备份于 {}）恢复到 {}：{} 张表、{} 行，用时 {secs:.1} 秒",
        input.display(),
        header.source,
        header.created_at,
        describe(&url),
        restored.tables.len(),
        restored.rows(),
    );
    println!("数据摘要与备份一致：{}", restored.digest);
    if let Some(last) = upgraded.last() {
        println!(
            "数据结构已从第 {} 版升级到第 {last} 版",
            header.schema_version
        );
    }
    verified_audit(&store)
}

/// `anjian migrate-store`: every record of one store copied into an empty other one, through a
/// pipe, the target committed only when its digest equals the source snapshot's.
pub(super) fn migrate_store(a: MigrateStoreArgs) -> Result<(), Fail> {
    let (from_url, to_url) = (url_of(&a.from)?, url_of(&a.to)?);
    if from_url == to_url {
        return Err(Fail("--from 与 --to 是同一个数据库".into(), 2));
    }
    let from = open_at(&from_url, None)?;
    let to = open_at(&to_url, Some(from.schema_version()?))?;
    let started = Instant::now();
    let copied = copy_store(&from, &to, SystemClock.now())?;
    let secs = started.elapsed().as_secs_f64();
    let after = to.content_digest()?;
    if after != copied.digest {
        return Err(Fail(
            format!(
                "迁移后目标库的数据摘要 {after} 与来源快照的 {} 不一致",
                copied.digest
            ),
            1,
        ));
    }
    to.migrate()?;
    println!(
        "已把 {} 的数据迁移到 {}：{} 张表、{} 行，用时 {secs:.1} 秒",
        describe(&from_url),
        describe(&to_url),
        copied.tables.len(),
        copied.rows()
    );
    println!("数据摘要：来源快照 {}，目标 {after}（一致）", copied.digest);
    verified_audit(&to)
}

fn verified_audit(store: &Store) -> Result<(), Fail> {
    let audit = store.verify_audit()?;
    if !audit.ok() {
        return Err(Fail(
            format!(
                "恢复后的审计链校验未通过（{} 处问题），请运行 anjian audit verify 查看",
                audit.problems.len()
            ),
            1,
        ));
    }
    println!("审计链校验通过：{} 条记录", audit.checked);
    Ok(())
}

/// Starts the thread of `serve --backup-dir`: today's backup when it is missing (checked at
/// start and every hour), then all but the newest `keep` deleted.
pub(super) fn start_daily_backups(
    store: Arc<Store>,
    dir: PathBuf,
    keep: usize,
) -> Result<(), Fail> {
    fs::create_dir_all(&dir)
        .map_err(|e| Fail(format!("无法创建备份目录 {}：{e}", dir.display()), 1))?;
    std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || {
            loop {
                match daily_backup(&store, &dir, keep, SystemClock.today()) {
                    Ok(Some(path)) => {
                        tracing::info!(path = %path.display(), "daily backup written")
                    }
                    Ok(None) => {}
                    Err(Fail(message, _)) => tracing::warn!(%message, "daily backup failed"),
                }
                std::thread::sleep(CHECK_EVERY);
            }
        })
        .map_err(|e| Fail(format!("无法启动每日备份：{e}"), 1))?;
    Ok(())
}

/// The file name of a day's backup.
fn daily_name(day: chrono::NaiveDate) -> String {
    format!("anjian-{day}.backup")
}

/// Writes the day's backup unless it exists (another instance sharing the folder may have
/// written it), then deletes the daily backups beyond the newest `keep`.
fn daily_backup(
    store: &Store,
    dir: &Path,
    keep: usize,
    today: chrono::NaiveDate,
) -> Result<Option<PathBuf>, Fail> {
    let path = dir.join(daily_name(today));
    let wrote = if path.exists() {
        None
    } else {
        write_backup(store, &path, 6)?;
        Some(path)
    };
    let mut dated: Vec<(chrono::NaiveDate, PathBuf)> = fs::read_dir(dir)
        .map_err(|e| Fail(format!("无法读取备份目录 {}：{e}", dir.display()), 1))?
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let day = name.strip_prefix("anjian-")?.strip_suffix(".backup")?;
            let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
            (name == daily_name(day)).then_some((day, path))
        })
        .collect();
    dated.sort_by_key(|d| std::cmp::Reverse(d.0));
    for (_, old) in dated.into_iter().skip(keep.max(1)) {
        if let Err(e) = fs::remove_file(&old) {
            tracing::warn!(path = %old.display(), error = %e, "old backup not deleted");
        }
    }
    Ok(wrote)
}
