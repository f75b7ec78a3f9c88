//! Where a benchmark's fresh stores are made: SQLite files in the run's folder (the default,
//! or beside the file of a `--db sqlite://PATH`), or scratch databases on the PostgreSQL
//! server of a `--db postgres://…` URL, each created for the run and dropped after it. Every
//! benchmark line names the store it ran on (`"store": "sqlite"` or `"postgres"`).

use anjian_store::testing::TestStore;
use anjian_store::{Store, StoreUrl};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The kind of store a benchmark makes its stores in.
#[derive(Debug, Clone)]
pub enum Target {
    /// SQLite files in this folder.
    Sqlite(PathBuf),
    /// Scratch databases on the server of this URL.
    Postgres(String),
}

/// A fresh store of a benchmark; a PostgreSQL one is dropped with it.
pub struct Scratch {
    pub store: Arc<Store>,
    /// The `--db` URL another process opens it with.
    pub url: String,
    _guard: Option<TestStore>,
}

impl Target {
    /// From a benchmark's `--db` (none: SQLite in `dir`).
    pub fn new(db: Option<&str>, dir: &Path) -> Result<Self, String> {
        match db {
            None => Ok(Self::Sqlite(dir.to_path_buf())),
            Some(u) => match StoreUrl::parse(u)? {
                StoreUrl::Sqlite(p) => Ok(Self::Sqlite(
                    p.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.to_path_buf()),
                )),
                StoreUrl::Postgres(u) => Ok(Self::Postgres(u)),
            },
        }
    }

    /// `sqlite` or `postgres`, as the result lines name it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// A fresh, migrated store called `name` (a SQLite file of that name is replaced).
    pub fn fresh(&self, name: &str) -> Result<Scratch, String> {
        match self {
            Self::Sqlite(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                let path = dir.join(format!("{name}.sqlite"));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Self::sqlite_at(&path)
            }
            Self::Postgres(server) => {
                let t = TestStore::postgres_on(server)?;
                let url = match t.url() {
                    StoreUrl::Postgres(u) => u,
                    StoreUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
                };
                Ok(Scratch {
                    store: t.store.clone(),
                    url,
                    _guard: Some(t),
                })
            }
        }
    }

    /// The SQLite store `name` kept from an earlier run (`bench http --store-dir`), opened
    /// as it is; none on PostgreSQL or when there is no such file.
    pub fn kept(&self, name: &str) -> Result<Option<Scratch>, String> {
        match self {
            Self::Sqlite(dir) => {
                let path = dir.join(format!("{name}.sqlite"));
                if path.exists() {
                    Self::sqlite_at(&path).map(Some)
                } else {
                    Ok(None)
                }
            }
            Self::Postgres(_) => Ok(None),
        }
    }

    fn sqlite_at(path: &Path) -> Result<Scratch, String> {
        let store =
            Store::open(&StoreUrl::Sqlite(path.to_path_buf())).map_err(|e| e.to_string())?;
        Ok(Scratch {
            store: Arc::new(store),
            url: format!("sqlite://{}", path.display()),
            _guard: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Target;
    use std::path::Path;

    #[test]
    fn a_bench_db_names_the_kind_of_store_and_where() {
        let dir = Path::new("/tmp/run");
        assert!(matches!(Target::new(None, dir), Ok(Target::Sqlite(d)) if d == dir));
        assert!(
            matches!(Target::new(Some("sqlite:///var/b/x.sqlite"), dir), Ok(Target::Sqlite(d)) if d == Path::new("/var/b"))
        );
        let pg = Target::new(Some("postgres://postgres@127.0.0.1/postgres"), dir);
        assert!(matches!(&pg, Ok(Target::Postgres(u)) if u.ends_with("/postgres")));
        assert_eq!(pg.map(|t| t.name()).ok(), Some("postgres"));
        assert!(Target::new(Some("mysql://x"), dir).is_err());
    }
}
