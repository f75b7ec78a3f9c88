//! The backup file: a 16-byte magic line, then one gzip stream of frames.
//!
//! ```text
//! "ANJIAN-BACKUP-1\n"
//! gzip {
//!   'H' len:u32 JSON Header          format, schema version, source backend, time
//!   ( 'T' len:u32 JSON TableStart    table name, column names
//!     ( 'R' value × columns )*       one row
//!     'E' )*                         end of the table
//!   'Z' len:u32 JSON Trailer         row counts and digests per table, sequences, digest
//! }
//! value: 0 null | 1 i64 | 2 f64 (bits) | 3 u32 len + UTF-8 | 4 bool u8 | 5 u32 len + bytes
//! ```
//!
//! Integers are little-endian. Values keep their exact bits (a real is its IEEE bits, bytes
//! are raw), so a restored row is the row that was read; gzip's CRC covers the whole stream.

use super::BackupError;
use crate::TableSummary;
use crate::db::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};

pub(crate) const MAGIC: &[u8; 16] = b"ANJIAN-BACKUP-1\n";
/// The largest JSON frame or value a reader accepts (a corrupt length fails, never allocates).
const MAX_LEN: u64 = 1 << 30;

/// What the file is, before any row.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Header {
    /// "anjian-backup".
    pub format: String,
    /// The format's version (1).
    pub version: u32,
    /// The source store's schema version (highest applied migration).
    pub schema_version: i64,
    /// "sqlite" or "postgres".
    pub source: String,
    /// When the snapshot was taken (RFC 3339, UTC).
    pub created_at: String,
    /// The anjian version that wrote it.
    pub anjian: String,
}

/// The start of one table's rows.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct TableStart {
    pub name: String,
    pub columns: Vec<String>,
}

/// What the file holds, after the last row: the reader checks it against what it read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Trailer {
    /// Every table, in name order.
    pub tables: Vec<TableSummary>,
    /// The last id issued per table (SQLite's `sqlite_sequence`, PostgreSQL's identity
    /// sequences), so that ids are never issued twice after a restore.
    pub sequences: BTreeMap<String, i64>,
    /// The content digest of the snapshot (see `Store::content_digest`).
    pub digest: String,
}

pub(crate) enum Frame {
    Header(Header),
    Table(TableStart),
    Row(Vec<Value>),
    EndTable,
    Trailer(Trailer),
}

pub(crate) struct FrameWriter<W: Write> {
    pub(crate) w: W,
}

impl<W: Write> FrameWriter<W> {
    fn json(&mut self, tag: u8, v: &impl serde::Serialize) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(v).map_err(std::io::Error::other)?;
        self.w.write_all(&[tag])?;
        self.w.write_all(&(bytes.len() as u32).to_le_bytes())?;
        self.w.write_all(&bytes)
    }

    pub(crate) fn header(&mut self, h: &Header) -> std::io::Result<()> {
        self.json(b'H', h)
    }

    pub(crate) fn table(&mut self, t: &TableStart) -> std::io::Result<()> {
        self.json(b'T', t)
    }

    pub(crate) fn end_table(&mut self) -> std::io::Result<()> {
        self.w.write_all(b"E")
    }

    pub(crate) fn trailer(&mut self, t: &Trailer) -> std::io::Result<()> {
        self.json(b'Z', t)
    }

    pub(crate) fn row(&mut self, values: &[Value]) -> std::io::Result<()> {
        self.w.write_all(b"R")?;
        for v in values {
            match v {
                Value::Null => self.w.write_all(&[0])?,
                Value::Int(n) => {
                    self.w.write_all(&[1])?;
                    self.w.write_all(&n.to_le_bytes())?;
                }
                Value::Real(f) => {
                    self.w.write_all(&[2])?;
                    self.w.write_all(&f.to_bits().to_le_bytes())?;
                }
                Value::Text(s) => self.bytes(3, s.as_bytes())?,
                Value::Bool(b) => self.w.write_all(&[4, u8::from(*b)])?,
                Value::Bytes(b) => self.bytes(5, b)?,
            }
        }
        Ok(())
    }

    fn bytes(&mut self, tag: u8, b: &[u8]) -> std::io::Result<()> {
        let len = u32::try_from(b.len())
            .map_err(|_| std::io::Error::other("a value over 4 GB cannot be backed up"))?;
        self.w.write_all(&[tag])?;
        self.w.write_all(&len.to_le_bytes())?;
        self.w.write_all(b)
    }
}

pub(crate) struct FrameReader<R: Read> {
    r: R,
    /// The current table's column count (rows carry no count of their own).
    columns: Option<usize>,
}

fn corrupt(what: impl Into<String>) -> BackupError {
    BackupError::Corrupt(what.into())
}

impl<R: Read> FrameReader<R> {
    pub(crate) fn new(r: R) -> Self {
        Self { r, columns: None }
    }

    fn exact<const N: usize>(&mut self) -> Result<[u8; N], BackupError> {
        let mut b = [0u8; N];
        self.r.read_exact(&mut b).map_err(eof)?;
        Ok(b)
    }

    fn sized(&mut self) -> Result<Vec<u8>, BackupError> {
        let len = u64::from(u32::from_le_bytes(self.exact()?));
        if len > MAX_LEN {
            return Err(corrupt(format!("长度 {len} 超出上限")));
        }
        // Grown as bytes arrive: a corrupt length ends in an error, not a huge allocation.
        let mut buf = Vec::new();
        (&mut self.r).take(len).read_to_end(&mut buf).map_err(eof)?;
        if buf.len() as u64 != len {
            return Err(corrupt("文件在一个值的中间结束"));
        }
        Ok(buf)
    }

    fn json<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, BackupError> {
        let bytes = self.sized()?;
        serde_json::from_slice(&bytes).map_err(|e| corrupt(format!("描述信息无法读取：{e}")))
    }

    fn value(&mut self) -> Result<Value, BackupError> {
        let [tag] = self.exact()?;
        Ok(match tag {
            0 => Value::Null,
            1 => Value::Int(i64::from_le_bytes(self.exact()?)),
            2 => Value::Real(f64::from_bits(u64::from_le_bytes(self.exact()?))),
            3 => Value::Text(
                String::from_utf8(self.sized()?).map_err(|_| corrupt("文本不是 UTF-8"))?,
            ),
            4 => Value::Bool(self.exact::<1>()?[0] != 0),
            5 => Value::Bytes(self.sized()?),
            t => return Err(corrupt(format!("未知的值类型 {t}"))),
        })
    }

    /// The next frame; the end of the stream is an error (a whole file ends with the trailer).
    pub(crate) fn next(&mut self) -> Result<Frame, BackupError> {
        let [tag] = self.exact()?;
        Ok(match tag {
            b'H' => Frame::Header(self.json()?),
            b'T' => {
                let t: TableStart = self.json()?;
                self.columns = Some(t.columns.len());
                Frame::Table(t)
            }
            b'R' => {
                let n = self.columns.ok_or_else(|| corrupt("数据行不在任何表内"))?;
                let mut row = Vec::with_capacity(n);
                for _ in 0..n {
                    row.push(self.value()?);
                }
                Frame::Row(row)
            }
            b'E' => {
                self.columns = None;
                Frame::EndTable
            }
            b'Z' => Frame::Trailer(self.json()?),
            t => return Err(corrupt(format!("未知的记录类型 {t}"))),
        })
    }

    /// After the trailer: reads the stream to its end, so that gzip checks its CRC, and
    /// refuses anything after the trailer.
    pub(crate) fn finish(&mut self) -> Result<(), BackupError> {
        let extra = std::io::copy(&mut self.r, &mut std::io::sink()).map_err(eof)?;
        if extra > 0 {
            return Err(corrupt(format!("结束标记之后还有 {extra} 字节")));
        }
        Ok(())
    }
}

fn eof(e: std::io::Error) -> BackupError {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::UnexpectedEof => corrupt("文件不完整（在结束标记之前就结束了）"),
        // gzip's own checks: a damaged stream or a wrong CRC.
        ErrorKind::InvalidData | ErrorKind::InvalidInput => corrupt(e.to_string()),
        _ => BackupError::Io(e),
    }
}
