//! 工作记录台账: the work-record ledger as Excel.

use super::*;

impl App {
    /// 工作记录台账: the filtered list as Excel, in the import's columns (so an exported
    /// ledger can be edited and imported elsewhere).
    pub fn work_records_ledger(&self, caller: &Caller, f: &WorkFilter) -> Result<Vec<u8>> {
        let mut f = f.clone();
        f.limit = 100_000;
        let items = self.store.list_work_records(&caller.scope, &f)?.items;
        let types = self.store.list_work_item_types()?;
        let departments = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
        let headers: Vec<&str> = WORK_COLUMNS.iter().map(|(_, l)| *l).collect();
        let widths = [30.0, 12.0, 16.0, 24.0, 12.0, 8.0, 14.0, 30.0, 30.0];
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|w| {
                let t = types.iter().find(|t| t.code == w.item_code);
                vec![
                    t.map(|t| t.name.clone())
                        .unwrap_or_else(|| w.item_code.clone()),
                    w.done_on.to_string(),
                    w.region_code.clone(),
                    w.department_id
                        .and_then(|d| departments.iter().find(|x| x.id == d))
                        .map(|d| d.name.clone())
                        .unwrap_or_default(),
                    w.quantity.to_string(),
                    t.map(|t| t.unit.clone()).unwrap_or_default(),
                    w.campaign.clone().unwrap_or_default(),
                    w.place.clone(),
                    w.note.clone(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "工作记录台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
