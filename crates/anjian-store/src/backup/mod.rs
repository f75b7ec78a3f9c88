//! Backups in one logical format for both backends, restore into an empty store, and moving
//! a county from one store to another (SQLite ↔ PostgreSQL).
//!
//! A backup is every table's rows (the migration log left out), read in one snapshot (SQLite's
//! read transaction, PostgreSQL's REPEATABLE READ) while the store keeps serving, written in
//! foreign-key order as a gzip stream of frames ([`format`]), with the schema version in the
//! header and each table's row count and digest, the id sequences and the content digest in
//! the trailer. A restore writes it into an empty store of the same schema version in one
//! transaction, sets the id sequences, and commits only if the content digest it then reads
//! equals the trailer's. Rows are streamed both ways: memory does not grow with a table.

mod dump;
mod format;
mod load;
mod tables;

pub use format::{Header, Trailer};

use crate::{Store, StoreError, TableSummary};
use std::io::{BufReader, Read};

/// Why a backup or a restore failed; the messages are for the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("读写备份文件失败：{0}")]
    Io(#[from] std::io::Error),
    #[error("这不是 anjian 的备份文件（开头的标记不对）")]
    NotABackup,
    #[error("备份文件已损坏或不完整：{0}")]
    Corrupt(String),
    #[error(
        "目标数据库不是空的（表 {0} 已有数据）。恢复只会写入空数据库，以免覆盖现有数据：请新建一个数据库（SQLite 用一个新文件，PostgreSQL 用 CREATE DATABASE 新建一个库）后再恢复"
    )]
    NotEmpty(String),
    #[error(
        "备份的数据结构为第 {backup} 版，目标数据库为第 {store} 版。请恢复到一个新建的空数据库（不要先对它运行 migrate），恢复后会自动升级到本程序的版本"
    )]
    SchemaVersion { backup: i64, store: i64 },
    #[error(
        "备份来自较新的 anjian（数据结构第 {backup} 版，本程序最高第 {latest} 版）：请用新版本的 anjian 恢复"
    )]
    TooNew { backup: i64, latest: i64 },
    #[error("备份中的表 {0} 与目标数据库的结构不一致：{1}")]
    Mismatch(String, String),
    #[error("恢复后表 {table} 的数据摘要与备份不一致（备份 {expected}，恢复后 {got}），已撤销恢复")]
    DigestMismatch {
        table: String,
        expected: String,
        got: String,
    },
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    pub header: Header,
    pub trailer: Trailer,
}

impl BackupSummary {
    pub fn rows(&self) -> u64 {
        self.trailer.tables.iter().map(|t| t.rows).sum()
    }
}

/// What a restore wrote: the tables as read back from the target, and its digest.
#[derive(Debug, Clone)]
pub struct RestoreSummary {
    pub schema_version: i64,
    pub tables: Vec<TableSummary>,
    pub digest: String,
}

impl RestoreSummary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// A backup being read: its header first (to open the target at the backup's schema
/// version), then its tables, by [`Store::restore`].
pub struct BackupReader<R: Read> {
    header: Header,
    frames: format::FrameReader<flate2::read::GzDecoder<BufReader<R>>>,
}

impl<R: Read> BackupReader<R> {
    /// Checks the magic line and reads the header.
    pub fn open(r: R) -> Result<Self, BackupError> {
        let mut r = BufReader::with_capacity(1 << 16, r);
        let mut magic = [0u8; 16];
        r.read_exact(&mut magic).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => BackupError::NotABackup,
            _ => BackupError::Io(e),
        })?;
        if &magic != format::MAGIC {
            return Err(BackupError::NotABackup);
        }
        let mut frames = format::FrameReader::new(flate2::read::GzDecoder::new(r));
        let format::Frame::Header(header) = frames.next()? else {
            return Err(BackupError::Corrupt("缺少文件头".into()));
        };
        if header.format != "anjian-backup" || header.version != 1 {
            return Err(BackupError::Corrupt(format!(
                "不支持的格式 {} 第 {} 版",
                header.format, header.version
            )));
        }
        Ok(Self { header, frames })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }
}

/// Copies every record of `from` into the empty store `to` (both at the same schema version)
/// without a file in between: a backup written into a pipe and restored from it as it comes.
/// The target commits only if its content digest equals the source snapshot's.
pub fn copy_store(
    from: &Store,
    to: &Store,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<RestoreSummary, BackupError> {
    let (reader, writer) = std::io::pipe()?;
    std::thread::scope(|s| {
        // Level 1: the stream only crosses a pipe.
        let source = s.spawn(move || from.backup(writer, at, 1));
        let restored = BackupReader::open(reader).and_then(|r| to.restore(r));
        let dumped = source
            .join()
            .map_err(|_| BackupError::Corrupt("备份线程异常结束".into()))?;
        match (dumped, restored) {
            (Ok(_), r) => r,
            // The target gave up first (not empty, say) and closed the pipe.
            (Err(BackupError::Io(e)), Err(r)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                Err(r)
            }
            // Otherwise the source's failure explains the target's (a stream cut short).
            (Err(e), _) => Err(e),
        }
    })
}
