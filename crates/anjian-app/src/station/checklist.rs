//! The stationed supervisor's short checklist per sector (`data/station_checklists.tsv`): the
//! items every site answers, then the sector's own.

use anjian_domain::station::CheckItem;
use std::sync::OnceLock;

const SOURCE: &str = include_str!("../../data/station_checklists.tsv");

/// (sector, item) in file order; `*` for every sector.
fn all() -> &'static [(String, CheckItem)] {
    static ALL: OnceLock<Vec<(String, CheckItem)>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
            .filter_map(|l| {
                let mut it = l.split('\t');
                let (sector, key, text) = (it.next()?, it.next()?, it.next()?);
                Some((
                    sector.to_string(),
                    CheckItem {
                        key: key.to_string(),
                        text: text.to_string(),
                    },
                ))
            })
            .collect()
    })
}

/// The items a visit to a site of `sector` answers (the common ones for a key place with no
/// sector).
pub fn items(sector: Option<&str>) -> Vec<CheckItem> {
    all()
        .iter()
        .filter(|(s, _)| s == "*" || Some(s.as_str()) == sector)
        .map(|(_, i)| i.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_site_answers_the_common_items_then_its_sectors() {
        let common = items(None);
        assert_eq!(common.len(), 4, "{common:?}");
        let mines = items(Some("mines"));
        assert_eq!(mines.len(), 7);
        assert_eq!(mines[..4], common[..]);
        // Keys are unique within a sector's list.
        for s in [
            "mines",
            "hazchem",
            "fireworks",
            "construction",
            "fire",
            "gas",
            "road",
        ] {
            let list = items(Some(s));
            let mut keys: Vec<&str> = list.iter().map(|i| i.key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), list.len(), "{s}");
        }
    }
}
