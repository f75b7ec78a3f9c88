//! The work item catalogue (工作事项): the shipped items, and the county's edits to them.

use super::*;

/// The shipped catalogue of countable actions (`data/work_items.tsv`): code, name, unit,
/// sector, topic. A county adds or renames items on the 工作事项 page; units of used items
/// stay fixed.
pub fn default_work_items() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
)> {
    include_str!("../../data/work_items.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (code, name, unit, sector, topic) =
                (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
            Some((code, name, unit, (sector != "-").then_some(sector), topic))
        })
        .collect()
}

/// Inserts any shipped item type missing from the store; keeps edited ones.
pub fn ensure_work_items(app: &App) -> Result<usize> {
    let existing = app.store.list_work_item_types()?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut added = 0;
    for (i, (code, name, unit, sector, topic)) in default_work_items().into_iter().enumerate() {
        if existing.iter().any(|t| t.code == code) {
            continue;
        }
        app.store.save_work_item_type(
            &change,
            &WorkItemType {
                code: code.to_string(),
                name: name.to_string(),
                unit: unit.to_string(),
                sector: sector.map(str::to_string),
                topic: topic.to_string(),
                description: String::new(),
                sort_order: (i as i64 + 1) * 10,
                active: true,
            },
        )?;
        added += 1;
    }
    Ok(added)
}

impl App {
    pub fn work_item_types(&self) -> Result<Vec<WorkItemType>> {
        Ok(self.store.list_work_item_types()?)
    }

    /// Adds or edits a work item type (安委办 only): the catalogue is county configuration.
    pub fn save_work_item_type(&self, caller: &Caller, t: &WorkItemType) -> Result<()> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以维护工作事项目录".into()));
        }
        let mut e = ValidationErrors::new();
        if t.code.is_empty()
            || t.code.len() > 40
            || !t
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add(
                "code",
                "事项代码只能由小写字母、数字和下划线组成（40字以内）",
            );
        }
        if t.name.trim().is_empty() {
            e.add("name", "请填写事项名称");
        }
        if t.unit.trim().is_empty() {
            e.add("unit", "请填写计量单位");
        }
        if let Some(s) = &t.sector
            && !self.store.list_sectors()?.iter().any(|x| &x.code == s)
        {
            e.add("sector", "行业领域不存在");
        }
        e.into_result().map_err(AppError::Validation)?;
        let scope = caller.scope.clone();
        self.store
            .save_work_item_type(&caller.change(&scope, self), t)
            .map_err(|err| match err {
                anjian_store::StoreError::Conflict(_) => AppError::Validation(
                    ValidationErrors::single("unit", "该事项已有工作记录，计量单位不能修改"),
                ),
                other => other.into(),
            })
    }
}

#[cfg(test)]
mod catalogue_tests {
    #[test]
    fn the_shipped_work_items_parse_and_are_unique() {
        let items = super::default_work_items();
        let lines = include_str!("../../data/work_items.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(items.len(), lines, "every line is an item with five fields");
        assert!(items.len() > 50);
        let mut codes: Vec<_> = items.iter().map(|i| i.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), items.len(), "codes are unique");
        assert!(
            items
                .iter()
                .all(|i| !i.1.is_empty() && !i.2.is_empty() && !i.4.is_empty())
        );
    }
}
