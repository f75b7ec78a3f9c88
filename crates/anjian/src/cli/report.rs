//! Statistical reports from the command line: Markdown, JSON or Word.

use super::*;

/// Renders the annual or a period's report to a file or standard output.
pub(super) fn report(what: ReportWhat) -> Result<(), Fail> {
    let (period, opts) = match what {
        ReportWhat::Annual { year, report } => (
            anjian_domain::period::Period::year(year)
                .filter(|_| (1990..=2100).contains(&year))
                .ok_or_else(|| Fail(format!("--year：年度“{year}”不正确"), 2))?,
            report,
        ),
        ReportWhat::Period { period, report } => (
            anjian_domain::period::Period::parse(&period).ok_or_else(|| {
                Fail(
                    format!("--period：期间“{period}”不正确（例：2022、2022-H1、2022-Q3、2022-05、2022-01-01..2022-06-30）"),
                    2,
                )
            })?,
            report,
        ),
    };
    let app = open(&opts.db, DEFAULT_DB)?;
    let caller = app.system_caller("cli")?;
    let r = app.render_report(&caller, &period)?;
    let base = opts.base_url.trim_end_matches('/');
    let bytes = match opts.format {
        ReportFormat::Md => r.markdown(base).into_bytes(),
        ReportFormat::Json => {
            let mut v =
                serde_json::to_vec_pretty(&r.json()).map_err(|e| Fail(format!("JSON：{e}"), 1))?;
            v.push(b'\n');
            v
        }
        ReportFormat::Docx => r.docx(base)?,
    };
    let out = match (opts.out, opts.format) {
        (Some(o), _) => Some(o),
        (None, ReportFormat::Docx) => Some(PathBuf::from(format!("report-{}.docx", period.code))),
        (None, _) => None,
    };
    match out {
        Some(o) => {
            std::fs::write(&o, bytes)
                .map_err(|e| Fail(format!("无法写入 {}：{e}", o.display()), 1))?;
            eprintln!(
                "已生成 {}（{} 个数字）：{}",
                r.title,
                r.figures.len(),
                o.display()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes).map_err(|e| {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    Fail::broken_pipe()
                } else {
                    Fail(format!("输出失败：{e}"), 1)
                }
            })?;
        }
    }
    Ok(())
}
