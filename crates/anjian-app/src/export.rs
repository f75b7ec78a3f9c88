//! Ledger export (台账): enterprises to XLSX or CSV with Chinese headers.
//! The columns are those of the import, so an export can be edited and re-imported.

use crate::import::ENTERPRISE_COLUMNS;
use crate::{App, AppError, Caller, Result};
use anjian_domain::Scope;
use anjian_domain::enterprise::{EnterpriseStatus, RISK_GRADES};
use anjian_domain::scope::Permission;
use anjian_store::enterprises::{Enterprise, EnterpriseFilter};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "xlsx" => Some(Self::Xlsx),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
        }
    }
}

const WIDTHS: [f64; 17] = [
    36.0, 22.0, 10.0, 16.0, 36.0, 20.0, 14.0, 24.0, 9.0, 9.0, 10.0, 15.0, 10.0, 15.0, 21.0, 10.0,
    14.0,
];

fn rows(
    app: &App,
    scope: &Scope,
    f: &EnterpriseFilter,
    full_id_numbers: bool,
) -> Result<Vec<Vec<String>>> {
    let sectors = app.store.list_sectors()?;
    let deps = app
        .store
        .list_departments(&Scope::system(), app.clock.today())?;
    let yn = |b: bool| if b { "是" } else { "否" }.to_string();
    let mut out = Vec::new();
    let mut f = EnterpriseFilter {
        after: None,
        limit: 5000,
        ..f.clone()
    };
    loop {
        let page = app.store.list_enterprises(scope, &f)?;
        for e in &page.items {
            let mut r = row(e, &sectors, &deps, yn);
            if !full_id_numbers {
                // Personal ID numbers in full only for callers who may edit the records.
                r[14] = mask_id(&r[14]);
            }
            out.push(r);
        }
        match page.next.and_then(|n| n.parse().ok()) {
            Some(n) => f.after = Some(n),
            None => break,
        }
    }
    Ok(out)
}

/// An enterprise's ledger row, cell by cell as the export writes it (ID number in full).
pub(crate) fn ledger_row(
    e: &Enterprise,
    sectors: &[anjian_store::sectors::Sector],
    deps: &[anjian_store::departments::Department],
) -> Vec<String> {
    row(e, sectors, deps, |b| {
        if b { "是" } else { "否" }.to_string()
    })
}

fn row(
    e: &Enterprise,
    sectors: &[anjian_store::sectors::Sector],
    deps: &[anjian_store::departments::Department],
    yn: impl Fn(bool) -> String,
) -> Vec<String> {
    let sector_names: Vec<String> = e
        .sectors
        .iter()
        .map(|c| {
            sectors
                .iter()
                .find(|s| &s.code == c)
                .map(|s| s.name.clone())
                .unwrap_or(c.clone())
        })
        .collect();
    let dep_names: Vec<String> = e
        .department_ids
        .iter()
        .filter_map(|d| deps.iter().find(|x| x.id == *d))
        .map(|d| d.name.clone())
        .collect();
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        e.name.clone(),
        e.uscc.clone(),
        yn(e.uscc_warning.is_some()),
        e.region_code.clone(),
        e.address.clone(),
        sector_names.join("、"),
        o(&e.industry_code),
        dep_names.join("、"),
        yn(e.above_scale),
        yn(e.is_key),
        o(&e.legal_rep),
        o(&e.legal_rep_phone),
        o(&e.principal),
        o(&e.principal_phone),
        o(&e.principal_id_no),
        EnterpriseStatus::parse(&e.status)
            .map(|s| s.label().to_string())
            .unwrap_or(e.status.clone()),
        e.risk_grade
            .as_deref()
            .and_then(|g| RISK_GRADES.iter().find(|(k, _)| *k == g))
            .map(|(_, l)| l.to_string())
            .unwrap_or_default(),
    ]
}

pub(crate) fn mask_id(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else if s.len() == 18 && s.is_ascii() {
        format!("{}********{}", &s[..6], &s[14..])
    } else {
        "***".into()
    }
}

/// A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe.
fn csv_cell(v: &str) -> std::borrow::Cow<'_, str> {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}").into()
    } else {
        v.into()
    }
}

/// Whether a ledger column holds codes (USCC, ID numbers, phones, region codes, licence
/// numbers): written as text cells in a text-formatted column, so that a code typed into the
/// exported sheet stays text as well.
pub fn is_code_column(header: &str) -> bool {
    [
        "代码",
        "身份证",
        "电话",
        "手机",
        "证号",
        "许可证",
        "证件号码",
    ]
    .iter()
    .any(|w| header.contains(w))
}

/// Writes rows to the chosen format.
pub fn render(
    format: ExportFormat,
    sheet: &str,
    headers: &[&str],
    widths: &[f64],
    rows: &[Vec<String>],
) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
            let io = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
            w.write_record(headers).map_err(io)?;
            for r in rows {
                w.write_record(r.iter().map(|c| csv_cell(c).into_owned()))
                    .map_err(io)?;
            }
            w.into_inner()
                .map_err(|e| AppError::Internal(format!("csv: {e}")))
        }
        ExportFormat::Xlsx => xlsx_ledger(sheet, headers, widths, rows),
    }
}

/// A ledger as a workbook that prints as a ledger: a title row, the header on row 2 repeated
/// on every printed page, a 序号 column, thin borders, long columns wrapped, A4 landscape
/// fitted to the page width, "第 N 页 共 M 页" in the footer. Code columns are text cells.
/// The import reads it back (the title row above the header and the 序号 column are
/// recognised), so an export can be edited and imported again.
fn xlsx_ledger(
    sheet: &str,
    headers: &[&str],
    widths: &[f64],
    rows: &[Vec<String>],
) -> Result<Vec<u8>> {
    let x = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // Excel sheet names: at most 31 characters, none of []:*?/\.
    let name: String = sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(if name.is_empty() { "Sheet1" } else { &name })
        .map_err(x)?;
    let last_col = headers.len() as u16; // the 序号 column comes first
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = Format::new()
        .set_bold()
        .set_background_color("DCE6F1")
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let wrapped = cell.clone().set_text_wrap();
    let text = cell.clone().set_num_format_index(49);
    let number = cell.clone().set_align(FormatAlign::Center);
    let heading = format!("{sheet}（共 {} 条）", rows.len());
    if last_col > 0 {
        ws.merge_range(0, 0, 0, last_col, &heading, &title)
            .map_err(x)?;
    } else {
        ws.write_string_with_format(0, 0, &heading, &title)
            .map_err(x)?;
    }
    ws.set_row_height(0, 28).map_err(x)?;
    ws.write_string_with_format(1, 0, "序号", &head)
        .map_err(x)?;
    ws.set_column_width(0, 6).map_err(x)?;
    let codes: Vec<bool> = headers.iter().map(|h| is_code_column(h)).collect();
    let wide: Vec<bool> = (0..headers.len())
        .map(|c| widths.get(c).copied().unwrap_or(14.0) >= 30.0)
        .collect();
    for (c, h) in headers.iter().enumerate() {
        let col = c as u16 + 1;
        if codes.get(c).copied().unwrap_or(false) {
            ws.set_column_format(col, &Format::new().set_num_format_index(49))
                .map_err(x)?;
        }
        ws.write_string_with_format(1, col, *h, &head).map_err(x)?;
        ws.set_column_width(col, widths.get(c).copied().unwrap_or(14.0))
            .map_err(x)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32 + 2;
        ws.write_number_with_format(at, 0, (r + 1) as f64, &number)
            .map_err(x)?;
        for c in 0..headers.len() {
            let v = row.get(c).map(String::as_str).unwrap_or("");
            let f = if codes.get(c).copied().unwrap_or(false) {
                &text
            } else if wide.get(c).copied().unwrap_or(false) {
                &wrapped
            } else {
                &cell
            };
            ws.write_string_with_format(at, c as u16 + 1, v, f)
                .map_err(x)?;
        }
    }
    ws.set_freeze_panes(2, 0).map_err(x)?;
    if !rows.is_empty() {
        ws.autofilter(1, 0, rows.len() as u32 + 1, last_col)
            .map_err(x)?;
    }
    // Paper: A4 landscape, every column on the page width, the header on every page.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(1, 1).map_err(x)?;
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页 共 &N 页");
    wb.save_to_buffer().map_err(x)
}

impl App {
    /// The enterprise ledger of the caller's scope with the list's filters.
    pub fn export_enterprises(
        &self,
        caller: &Caller,
        f: &EnterpriseFilter,
        format: ExportFormat,
    ) -> Result<Vec<u8>> {
        caller.require(Permission::ExportEnterprises)?;
        let rows = rows(
            self,
            &caller.scope,
            f,
            caller.enterprise_write_scope().writable,
        )?;
        render_enterprises(format, &rows)
    }

    /// The whole ledger (CLI, system).
    pub fn export_enterprises_system(
        &self,
        f: &EnterpriseFilter,
        format: ExportFormat,
    ) -> Result<(usize, Vec<u8>)> {
        let rows = rows(self, &Scope::system(), f, true)?;
        Ok((rows.len(), render_enterprises(format, &rows)?))
    }
}

const HAZARD_HEADERS: [&str; 17] = [
    "编号",
    "发现日期",
    "隐患等级",
    "隐患来源",
    "所在区划",
    "企业名称",
    "行业领域",
    "隐患描述",
    "隐患部位",
    "整改期限",
    "状态",
    "是否逾期",
    "整改责任单位",
    "整改责任人",
    "整改资金（元）",
    "专项行动",
    "销号日期",
];
const HAZARD_WIDTHS: [f64; 17] = [
    8.0, 12.0, 10.0, 10.0, 14.0, 30.0, 14.0, 48.0, 18.0, 12.0, 10.0, 9.0, 20.0, 10.0, 12.0, 14.0,
    12.0,
];

impl App {
    /// The hazard ledger (隐患台账) of the caller's scope with the list's filters.
    pub fn export_hazards(
        &self,
        caller: &Caller,
        f: &anjian_store::hazards::HazardFilter,
        format: ExportFormat,
    ) -> Result<Vec<u8>> {
        let sectors = self.store.list_sectors()?;
        let mut rows = Vec::new();
        let mut f = anjian_store::hazards::HazardFilter {
            after: None,
            limit: 5000,
            ..f.clone()
        };
        loop {
            let page = self.list_hazards(caller, &f)?;
            for v in &page.items {
                let h = &v.hazard;
                rows.push(vec![
                    h.id.to_string(),
                    h.found_on.to_string(),
                    v.level_label.to_string(),
                    v.source_label.to_string(),
                    h.region_name.clone(),
                    h.enterprise_name.clone().unwrap_or_default(),
                    sectors
                        .iter()
                        .find(|s| s.code == h.sector)
                        .map(|s| s.name.clone())
                        .unwrap_or(h.sector.clone()),
                    h.description.clone(),
                    h.location.clone(),
                    h.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    v.status_label.to_string(),
                    if v.overdue { "是" } else { "否" }.to_string(),
                    h.responsible_unit.clone(),
                    h.responsible_person.clone(),
                    h.funds_planned.map(|n| n.to_string()).unwrap_or_default(),
                    h.campaign.clone().unwrap_or_default(),
                    h.closed_on.map(|d| d.to_string()).unwrap_or_default(),
                ]);
            }
            match page.next.and_then(|n| n.parse().ok()) {
                Some(n) => f.after = Some(n),
                None => break,
            }
        }
        render(format, "隐患台账", &HAZARD_HEADERS, &HAZARD_WIDTHS, &rows)
    }
}

fn render_enterprises(format: ExportFormat, rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let headers: Vec<&str> = ENTERPRISE_COLUMNS.iter().map(|(_, l)| *l).collect();
    render(format, "企业台账", &headers, &WIDTHS, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("清江市某公司"), "清江市某公司");
        let out = render(
            ExportFormat::Csv,
            "s",
            &["a"],
            &[10.0],
            &[vec!["=1+1".into()]],
        )
        .unwrap_or_default();
        assert!(String::from_utf8_lossy(&out).contains("'=1+1"));
    }

    #[test]
    fn code_columns_are_text_cells_in_text_columns() {
        assert!(is_code_column("统一社会信用代码") && is_code_column("主要负责人身份证号"));
        assert!(is_code_column("法定代表人电话") && !is_code_column("企业名称"));
        let out = render(
            ExportFormat::Xlsx,
            "s",
            &["企业名称", "主要负责人身份证号"],
            &[10.0, 10.0],
            &[vec!["某公司".into(), "360982198506151239".into()]],
        )
        .unwrap_or_default();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(out)).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
            s
        };
        // The built-in text format "@" (49): the column and the cell carry it.
        let styles = read("xl/styles.xml");
        assert!(styles.contains("numFmtId=\"49\""), "{styles}");
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<col "), "{sheet}");
        assert!(
            sheet.contains("r=\"B2\" s=\"") && sheet.contains("t=\"s\""),
            "{sheet}"
        );
        let t = crate::import::read_table_bytes(
            "xlsx",
            &render(
                ExportFormat::Xlsx,
                "s",
                &["主要负责人身份证号"],
                &[10.0],
                &[vec!["360982198506151239".into()]],
            )
            .unwrap_or_default(),
        )
        .unwrap();
        // Row 1 is the title, row 2 the header (序号 first), row 3 the record.
        assert_eq!(t.rows[0].1, ["序号", "主要负责人身份证号"]);
        assert_eq!(t.rows[1].1[1], "360982198506151239");
        assert!(!t.is_numeric(3, 1));
    }

    /// A ledger prints as a ledger: A4 landscape fitted to the page width, the header row
    /// repeated on every page, a title row, record numbers and page numbers.
    #[test]
    fn ledgers_print_landscape_fitted_to_width_with_a_repeated_header() {
        let rows: Vec<Vec<String>> = (0..3)
            .map(|i| vec![format!("隐患{i}"), "2022-06-01".into()])
            .collect();
        let out = render(
            ExportFormat::Xlsx,
            "隐患台账",
            &["隐患描述", "发现日期"],
            &[40.0, 12.0],
            &rows,
        )
        .unwrap_or_default();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(out.clone())).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
            s
        };
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.contains("orientation=\"landscape\""), "{sheet}");
        assert!(sheet.contains("paperSize=\"9\""), "{sheet}");
        assert!(sheet.contains("fitToPage=\"1\""), "{sheet}");
        assert!(sheet.contains("fitToHeight=\"0\""), "{sheet}");
        assert!(
            sheet.contains("&amp;P") && sheet.contains("&amp;N"),
            "{sheet}"
        );
        let workbook = read("xl/workbook.xml");
        assert!(
            workbook.contains("_xlnm.Print_Titles") && workbook.contains("$2:$2"),
            "{workbook}"
        );
        let t = crate::import::read_table_bytes("xlsx", &out).unwrap();
        assert_eq!(t.headers[0], "隐患台账（共 3 条）");
        assert_eq!(t.rows[0].1, ["序号", "隐患描述", "发现日期"]);
        assert_eq!(t.rows[3].1, ["3", "隐患2", "2022-06-01"]);
    }

    #[test]
    fn id_numbers_are_masked() {
        assert_eq!(mask_id("360982198506151239"), "360982********1239");
        assert_eq!(mask_id(""), "");
    }
}
