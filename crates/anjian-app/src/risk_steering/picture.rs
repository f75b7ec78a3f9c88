//! 四色图 drawn as SVG on the server: an enterprise's risk points as coloured blocks grouped by
//! unit/place, a township's enterprises as tiles coloured by effective grade, each with a
//! legend of the four colours and their counts. Sized for A4 portrait (794 px wide at 96 dpi);
//! every text is escaped. Blocks and legend entries carry `data-grade` (and the legend
//! `data-count`) so that a reader can count them without reading the drawing.

use super::*;
use anjian_domain::RegionCode;

const WIDTH: u32 = 794;
const FONT: &str =
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";
const UNGRADED: &str = "#b8bec6";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A block or tile: its label and grade (None: not graded yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub label: String,
    pub grade: Option<Grade>,
}

fn fill(g: Option<Grade>) -> &'static str {
    g.map_or(UNGRADED, Grade::colour)
}

fn ink(g: Option<Grade>) -> &'static str {
    match g {
        Some(Grade::General) | None => "#222",
        _ => "#fff",
    }
}

fn code(g: Option<Grade>) -> &'static str {
    g.map_or("none", Grade::as_str)
}

/// At most `n` characters, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn legend(out: &mut String, y: u32, tiles: &[&Tile], none_label: &str) {
    let mut x = 24;
    let mut entries: Vec<(Option<Grade>, String)> = Grade::descending()
        .into_iter()
        .map(|g| (Some(g), format!("{}（{}）", g.colour_label(), g.label())))
        .collect();
    if tiles.iter().any(|t| t.grade.is_none()) {
        entries.push((None, none_label.to_string()));
    }
    for (g, label) in entries {
        let n = tiles.iter().filter(|t| t.grade == g).count();
        out.push_str(&format!(
            r##"<rect x="{x}" y="{y}" width="16" height="16" fill="{}" stroke="#555" stroke-width="0.5"/><text class="legend" data-grade="{}" data-count="{n}" x="{}" y="{}" font-size="13" fill="#222">{} {n}</text>"##,
            fill(g),
            code(g),
            x + 22,
            y + 13,
            esc(&label),
        ));
        x += 150;
    }
}

/// Draws groups of tiles under a title, with the legend; `cols` tiles a row.
fn draw(title: &str, subtitle: &str, groups: &[(String, Vec<Tile>)], none_label: &str) -> String {
    let cols = 6u32;
    let (tw, th, gap) = (118u32, 44u32, 6u32);
    let all: Vec<&Tile> = groups.iter().flat_map(|(_, t)| t.iter()).collect();
    let mut body = String::new();
    let mut y = 104u32;
    for (name, tiles) in groups {
        body.push_str(&format!(
            r##"<text class="group" x="24" y="{}" font-size="14" font-weight="bold" fill="#222">{}（{}）</text>"##,
            y + 14,
            esc(name),
            tiles.len()
        ));
        y += 24;
        let mut sorted: Vec<&Tile> = tiles.iter().collect();
        sorted.sort_by_key(|t| std::cmp::Reverse(t.grade));
        for (i, t) in sorted.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let (cx, cy) = (24 + (i % cols) * (tw + gap), y + (i / cols) * (th + gap));
            body.push_str(&format!(
                r##"<g class="block" data-grade="{}"><rect x="{cx}" y="{cy}" width="{tw}" height="{th}" rx="4" fill="{}" stroke="#333" stroke-width="0.5"/><title>{}</title><text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">{}</text></g>"##,
                code(t.grade),
                fill(t.grade),
                esc(&t.label),
                cx + tw / 2,
                cy + th / 2 + 4,
                ink(t.grade),
                esc(&clip(&t.label, 9)),
            ));
        }
        let rows = u32::try_from(sorted.len())
            .unwrap_or(0)
            .div_ceil(cols)
            .max(1);
        y += rows * (th + gap) + 12;
    }
    if groups.is_empty() || all.is_empty() {
        body.push_str(&format!(
            r##"<text x="24" y="{}" font-size="13" fill="#666">暂无记录</text>"##,
            y + 14
        ));
        y += 24;
    }
    let height = y + 16;
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="four-colour" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" role="img" aria-label="{}"><rect width="{WIDTH}" height="{height}" fill="#fff"/><text x="24" y="34" font-size="20" font-weight="bold" fill="#111">{}</text><text x="24" y="58" font-size="12" fill="#555">{}</text>"##,
        esc(title),
        esc(title),
        esc(subtitle)
    );
    legend(&mut out, 72, &all, none_label);
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// An enterprise's points: blocks grouped by unit/place, coloured by grade.
pub fn enterprise_svg(name: &str, subtitle: &str, groups: &[(String, Vec<Tile>)]) -> String {
    draw(
        &format!("{name}安全风险四色分布图"),
        subtitle,
        groups,
        "灰色（未评定）",
    )
}

/// A township's enterprises: tiles coloured by effective grade.
pub fn township_svg(name: &str, subtitle: &str, tiles: &[Tile]) -> String {
    draw(
        &format!("{name}企业安全风险四色分布图"),
        subtitle,
        &[("企业".to_string(), tiles.to_vec())],
        "灰色（未定级）",
    )
}

impl App {
    /// The 四色图 of an enterprise in scope (its non-retired points; the ones not yet graded
    /// in grey).
    pub fn enterprise_risk_grade_enterprise_svg(
        &self,
        caller: &Caller,
        enterprise_id: i64,
    ) -> Result<String> {
        let detail = self.enterprise_risk_grade(caller, enterprise_id)?;
        let points = self
            .store
            .enterprise_risk_grade_points(&caller.scope, enterprise_id)?;
        // One group per place (部位/场所), in the store's order (by place, then by point).
        let mut groups: Vec<(String, Vec<Tile>)> = Vec::new();
        for (_, place, label, grade) in points {
            let tile = Tile { label, grade };
            match groups.last_mut() {
                Some((p, tiles)) if *p == place => tiles.push(tile),
                _ => groups.push((place, vec![tile])),
            }
        }
        let g = &detail.grade;
        let subtitle = format!(
            "企业风险等级：{}　　制图日期：{}",
            g.effective.map_or("未定级", Grade::label),
            self.clock.today().format("%Y-%m-%d")
        );
        Ok(enterprise_svg(&g.name, &subtitle, &groups))
    }

    /// The 四色图 of a township (or any region in scope): its open enterprises by effective
    /// grade. A region outside the scope answers like a missing one.
    pub fn enterprise_risk_grade_township_svg(
        &self,
        caller: &Caller,
        region_code: &str,
    ) -> Result<String> {
        let code = RegionCode::parse(region_code)
            .map_err(|_| ValidationErrors::single("region_code", "区划代码不正确"))?;
        if !caller.scope.admits_region(code.as_str()) || !self.region_exists(code.as_str())? {
            return Err(AppError::NotFound);
        }
        let name = self.region_name(caller, code.as_str())?;
        let grades = self.enterprise_risk_grades(
            caller,
            &EnterpriseRiskGradeQuery {
                region_prefix: Some(code.subtree_prefix().to_string()),
                ..Default::default()
            },
        )?;
        let mut tiles: Vec<Tile> = grades
            .into_iter()
            .map(|g| Tile {
                label: g.name,
                grade: g.effective,
            })
            .collect();
        tiles.reverse();
        let subtitle = format!("制图日期：{}", self.clock.today().format("%Y-%m-%d"));
        Ok(township_svg(&name, &subtitle, &tiles))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn blocks_and_legend_count_each_colour_and_text_is_escaped() {
        let t = |l: &str, g| Tile {
            label: l.into(),
            grade: g,
        };
        let svg = enterprise_svg(
            "A&B<化工>",
            "x",
            &[
                (
                    "罐区".into(),
                    vec![t("储罐", Some(Grade::Major)), t("泵房", Some(Grade::Low))],
                ),
                (
                    "车间\"一\"".into(),
                    vec![t("反应釜", Some(Grade::Major)), t("库", None)],
                ),
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("A&amp;B&lt;化工&gt;") && !svg.contains("A&B<"));
        assert!(svg.contains("车间&quot;一&quot;"));
        assert_eq!(count(&svg, r#"<g class="block" data-grade="major">"#), 2);
        assert_eq!(count(&svg, r#"<g class="block" data-grade="low">"#), 1);
        assert_eq!(count(&svg, r#"<g class="block" data-grade="none">"#), 1);
        assert!(svg.contains(r#"data-grade="major" data-count="2""#));
        assert!(svg.contains(r#"data-grade="large" data-count="0""#));
        assert!(svg.contains(r#"data-grade="none" data-count="1""#));
        assert!(svg.contains("Noto Sans CJK SC"));
        // No ungraded entry when every tile is graded.
        let svg = township_svg("临江镇", "", &[t("甲", Some(Grade::Large))]);
        assert!(!svg.contains(r#"data-grade="none""#));
        assert!(svg.contains(r#"data-grade="large" data-count="1""#));
    }
}
