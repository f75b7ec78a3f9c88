//! Filling a Word (.docx) template: `{占位符}` in the text of the document, its headers and
//! its footers are replaced by values, keeping the template's formatting.
//!
//! Word often splits what a person typed as one `{当事人}` over several runs (spelling marks,
//! an edit in the middle, a change of language). Placeholders are therefore found in the text
//! of a whole paragraph; the value goes into the run where the placeholder starts (taking that
//! run's formatting) and the rest of the placeholder is removed from the runs that follow.
//! A value with several lines becomes several paragraphs with the paragraph's properties
//! (first-line indent, spacing, alignment) and the run's, or line breaks where the run is not
//! directly in the paragraph (a hyperlink, a content control). Keep-with-next
//! (`<w:keepNext/>`) stays on the last of those paragraphs only: in the template it keeps the
//! end of the text with what follows (the body with the signatures and the seal), and on every
//! paragraph it would chain the whole body to them, moving it off the first page.
//!
//! Every package is read with bounds: at most [`MAX_ENTRIES`] parts and [`MAX_UNZIPPED`]
//! bytes once unpacked, so a small upload cannot unpack into gigabytes.

use std::io::{Cursor, Read, Write};

/// The most parts a template package may have.
pub const MAX_ENTRIES: usize = 1000;
/// The most bytes a template may unpack to (all parts together).
pub const MAX_UNZIPPED: u64 = 50 * 1024 * 1024;
/// The longest placeholder name looked for (in characters).
const MAX_NAME_CHARS: usize = 20;

/// The parts whose text is filled: the body, headers and footers.
fn is_text_part(name: &str) -> bool {
    name == "word/document.xml"
        || (name.starts_with("word/header") || name.starts_with("word/footer"))
            && name.ends_with(".xml")
            && !name[5..].contains('/')
}

/// One piece of XML: a tag (with its name), character data, or anything else (comments,
/// declarations), each with its exact source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Empty,
    Text,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: Kind,
    name: &'a str,
    raw: &'a str,
}

fn tokenize(xml: &str) -> Result<Vec<Tok<'_>>, String> {
    let bad = || "Word 文件内容格式错误（XML 不完整）".to_string();
    let b = xml.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            let j = xml[i..].find('<').map(|k| i + k).unwrap_or(b.len());
            out.push(Tok {
                kind: Kind::Text,
                name: "",
                raw: &xml[i..j],
            });
            i = j;
            continue;
        }
        let rest = &xml[i..];
        let special = [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")]
            .iter()
            .find(|(open, _)| rest.starts_with(open));
        if let Some((_, close)) = special {
            let j = rest.find(close).ok_or_else(bad)? + close.len();
            out.push(Tok {
                kind: Kind::Other,
                name: "",
                raw: &rest[..j],
            });
            i += j;
            continue;
        }
        // A tag: up to the first `>` outside quoted attribute values.
        let mut quote = None;
        let mut j = 1;
        loop {
            let c = *rest.as_bytes().get(j).ok_or_else(bad)?;
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => break,
                None => {}
            }
            j += 1;
        }
        let raw = &rest[..=j];
        let (kind, body) = if let Some(r) = raw.strip_prefix("</") {
            (Kind::Close, r)
        } else if raw.starts_with("<!") {
            (Kind::Other, "")
        } else if raw.ends_with("/>") {
            (Kind::Empty, &raw[1..])
        } else {
            (Kind::Open, &raw[1..])
        };
        let name_end = body
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(body.len());
        out.push(Tok {
            kind,
            name: &body[..name_end],
            raw,
        });
        i += j + 1;
    }
    Ok(out)
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let entity = after.find(';').map(|j| (&after[1..j], j));
        let decoded = entity.and_then(|(e, j)| {
            let c = match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => e
                    .strip_prefix("#x")
                    .or_else(|| e.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, j))
        });
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text for a `<w:t>`: markup characters escaped, characters XML 1.0 forbids dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A `<w:t>` element of a paragraph.
struct TextRef {
    /// Index of the `<w:t>` token and of its character data, if any.
    open: usize,
    text: Option<usize>,
    /// In a run that is directly in the paragraph (so the paragraph can be split there).
    direct: bool,
    /// Token range of the run's `<w:rPr>…</w:rPr>`, if any.
    rpr: Option<(usize, usize)>,
}

/// A paragraph: its `<w:pPr>` token range and its texts in order.
#[derive(Default)]
struct Para {
    ppr: Option<(usize, usize)>,
    texts: Vec<TextRef>,
}

/// The paragraphs of a part, innermost first as they close.
fn paragraphs(toks: &[Tok<'_>]) -> Vec<Para> {
    let mut done = Vec::new();
    // Open paragraphs: (element depth of the <w:p>, paragraph).
    let mut open: Vec<(usize, Para)> = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    // The current direct run's rPr range (start, end) and whether we are in a direct run.
    let mut run_rpr: Option<(usize, usize)> = None;
    let mut rpr_start: Option<usize> = None;
    let mut ppr_start: Option<usize> = None;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Open => {
                let depth = stack.len();
                let para_depth = open.last().map(|(d, _)| *d);
                match t.name {
                    "w:p" => open.push((depth, Para::default())),
                    "w:pPr" if para_depth == Some(depth.wrapping_sub(1)) => ppr_start = Some(i),
                    "w:r" if para_depth == Some(depth.wrapping_sub(1)) => run_rpr = None,
                    "w:rPr"
                        if para_depth == Some(depth.wrapping_sub(2))
                            && stack.last() == Some(&"w:r") =>
                    {
                        rpr_start = Some(i)
                    }
                    "w:t" => {
                        if let Some((d, p)) = open.last_mut() {
                            let direct = *d + 2 == depth && stack.last() == Some(&"w:r");
                            let text = toks
                                .get(i + 1)
                                .filter(|n| n.kind == Kind::Text)
                                .map(|_| i + 1);
                            p.texts.push(TextRef {
                                open: i,
                                text,
                                direct,
                                rpr: if direct { run_rpr } else { None },
                            });
                        }
                    }
                    _ => {}
                }
                stack.push(t.name);
            }
            Kind::Close => {
                stack.pop();
                let depth = stack.len();
                match t.name {
                    "w:p" => {
                        if let Some((_, p)) = open.pop() {
                            done.push(p);
                        }
                    }
                    "w:pPr" => {
                        if let (Some(s), Some((d, p))) = (ppr_start.take(), open.last_mut())
                            && *d + 1 == depth
                        {
                            p.ppr = Some((s, i));
                        }
                    }
                    "w:rPr" => {
                        if let Some(s) = rpr_start.take() {
                            run_rpr = Some((s, i));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    done
}

/// The placeholders `{name}` in a text: (byte start, byte end, name).
fn find_placeholders(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find('{').map(|k| from + k) {
        let after = &text[i + 1..];
        let close = after.find(['}', '{']);
        match close {
            Some(j) if after.as_bytes()[j] == b'}' => {
                let name = &after[..j];
                let n = name.chars().count();
                if (1..=MAX_NAME_CHARS).contains(&n) && !name.chars().any(char::is_whitespace) {
                    out.push((i, i + 1 + j + 1, name));
                    from = i + j + 2;
                } else {
                    from = i + 1;
                }
            }
            _ => from = i + 1,
        }
    }
    out
}

fn para_text(toks: &[Tok<'_>], p: &Para) -> (String, Vec<(usize, usize)>) {
    let mut full = String::new();
    let mut ranges = Vec::with_capacity(p.texts.len());
    for t in &p.texts {
        let s = full.len();
        if let Some(x) = t.text {
            full.push_str(&unescape(toks[x].raw));
        }
        ranges.push((s, full.len()));
    }
    (full, ranges)
}

fn raw_range(toks: &[Tok<'_>], r: Option<(usize, usize)>) -> String {
    r.map(|(s, e)| toks[s..=e].iter().map(|t| t.raw).collect())
        .unwrap_or_default()
}

/// A paragraph's properties for the paragraphs a multi-line value adds: without a section
/// break (which stays with the original paragraph).
fn ppr_for_copies(ppr: &str) -> String {
    match (ppr.find("<w:sectPr"), ppr.find("</w:sectPr>")) {
        (Some(s), Some(e)) => format!("{}{}", &ppr[..s], &ppr[e + "</w:sectPr>".len()..]),
        _ => ppr.to_string(),
    }
}

/// A paragraph's properties without keep-with-next, for the paragraphs a multi-line value
/// makes before its last one.
fn without_keep_next(ppr: &str) -> String {
    ppr.replace("<w:keepNext/>", "")
        .replace("<w:keepNext w:val=\"1\"/>", "")
        .replace("<w:keepNext w:val=\"true\"/>", "")
        .replace("<w:keepNext w:val=\"on\"/>", "")
}

/// The part with its placeholders replaced; `None` when it has none to replace.
fn fill_part(xml: &str, values: &[(&str, String)]) -> Result<Option<String>, String> {
    let toks = tokenize(xml)?;
    // Replacement of a token's raw text.
    let mut replaced: Vec<Option<String>> = vec![None; toks.len()];
    let mut any = false;
    for p in paragraphs(&toks) {
        let (full, ranges) = para_text(&toks, &p);
        // (start, end, value with its line ends as `\n`)
        let matches: Vec<(usize, usize, String)> = find_placeholders(&full)
            .into_iter()
            .filter_map(|(s, e, name)| {
                values
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (s, e, v.replace("\r\n", "\n").replace('\r', "\n")))
            })
            .collect();
        if matches.is_empty() {
            continue;
        }
        any = true;
        let ppr = ppr_for_copies(&raw_range(&toks, p.ppr));
        // The paragraphs the values add, so that the last one keeps the properties whole and
        // the paragraph and copies before it lose keep-with-next.
        let breaks: usize = p
            .texts
            .iter()
            .zip(&ranges)
            .filter(|(t, _)| t.direct && t.text.is_some())
            .flat_map(|(_, &(s, e))| matches.iter().filter(move |m| m.0 >= s && m.0 < e))
            .map(|m| m.2.matches('\n').count())
            .sum();
        let unkept = without_keep_next(&ppr);
        if breaks > 0
            && let Some((first, last)) = p.ppr
        {
            replaced[first] = Some(without_keep_next(&raw_range(&toks, p.ppr)));
            for r in &mut replaced[first + 1..=last] {
                *r = Some(String::new());
            }
        }
        let mut made = 0;
        for (t, &(s, e)) in p.texts.iter().zip(&ranges) {
            let touched: Vec<&(usize, usize, String)> =
                matches.iter().filter(|m| m.1 > s && m.0 < e).collect();
            if touched.is_empty() {
                continue;
            }
            let Some(text_tok) = t.text else { continue };
            let rpr = raw_range(&toks, t.rpr);
            let line_break = |made: &mut usize| {
                if t.direct {
                    *made += 1;
                    let ppr = if *made == breaks { &ppr } else { &unkept };
                    format!("</w:t></w:r></w:p><w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">")
                } else {
                    "</w:t><w:br/><w:t xml:space=\"preserve\">".to_string()
                }
            };
            let mut out = String::new();
            let mut cursor = s;
            for &&(ms, me, ref value) in &touched {
                if ms > cursor {
                    out.push_str(&escape(&full[cursor..ms]));
                }
                if ms >= s {
                    for (k, line) in value.split('\n').enumerate() {
                        if k > 0 {
                            out.push_str(&line_break(&mut made));
                        }
                        out.push_str(&escape(line));
                    }
                }
                cursor = me.min(e).max(cursor);
            }
            if cursor < e {
                out.push_str(&escape(&full[cursor..e]));
            }
            replaced[t.open] = Some("<w:t xml:space=\"preserve\">".to_string());
            replaced[text_tok] = Some(out);
        }
    }
    if !any {
        return Ok(None);
    }
    let mut out = String::with_capacity(xml.len() + 1024);
    for (t, r) in toks.iter().zip(replaced) {
        out.push_str(r.as_deref().unwrap_or(t.raw));
    }
    Ok(Some(out))
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Archive<'_>, String> {
    let z = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "不是有效的 Word 文件（.docx）".to_string())?;
    if z.len() > MAX_ENTRIES {
        return Err(format!("Word 文件的部件过多（超过{MAX_ENTRIES}个）"));
    }
    let names: Vec<&str> = z.file_names().collect();
    if !names.contains(&"word/document.xml") || !names.contains(&"[Content_Types].xml") {
        return Err("不是有效的 Word 文件（.docx）：缺少正文部件".into());
    }
    Ok(z)
}

/// Reads a part, refusing it past the remaining unpacked budget.
fn read_part(
    z: &mut Archive<'_>,
    i: usize,
    budget: &mut u64,
    limit: u64,
) -> Result<(String, Vec<u8>), String> {
    let too_big = || format!("Word 文件解压后超过 {} MB 上限", limit / 1024 / 1024);
    let f = z
        .by_index(i)
        .map_err(|_| "Word 文件已损坏或已加密".to_string())?;
    if f.encrypted() {
        return Err("Word 文件已加密，请上传未加密的文件".into());
    }
    if f.size() > *budget {
        return Err(too_big());
    }
    let name = f.name().to_string();
    let mut data = Vec::new();
    f.take(*budget + 1)
        .read_to_end(&mut data)
        .map_err(|_| "Word 文件已损坏".to_string())?;
    if data.len() as u64 > *budget {
        return Err(too_big());
    }
    *budget -= data.len() as u64;
    Ok((name, data))
}

/// Checks that the bytes are a Word document within the bounds and returns the placeholder
/// names its text uses (each once, in order of appearance).
pub fn placeholders(bytes: &[u8]) -> Result<Vec<String>, String> {
    placeholders_within(bytes, MAX_UNZIPPED)
}

fn placeholders_within(bytes: &[u8], limit: u64) -> Result<Vec<String>, String> {
    let mut z = open(bytes)?;
    let mut budget = limit;
    let mut names: Vec<String> = Vec::new();
    for i in 0..z.len() {
        let (name, data) = read_part(&mut z, i, &mut budget, limit)?;
        if !is_text_part(&name) {
            continue;
        }
        let xml = String::from_utf8(data)
            .map_err(|_| format!("Word 文件的部件 {name} 不是 UTF-8 文本"))?;
        let toks = tokenize(&xml)?;
        for p in paragraphs(&toks) {
            let (full, _) = para_text(&toks, &p);
            for (_, _, n) in find_placeholders(&full) {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            }
        }
    }
    Ok(names)
}

/// The template with every placeholder named in `values` replaced by its value. Other parts
/// (styles, images, fonts) are copied unchanged.
pub fn fill(template: &[u8], values: &[(&str, String)]) -> Result<Vec<u8>, String> {
    let mut z = open(template)?;
    let mut budget = MAX_UNZIPPED;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let werr = |e: zip::result::ZipError| format!("生成 Word 文件失败：{e}");
    for i in 0..z.len() {
        let name = z
            .by_index_raw(i)
            .map_err(|_| "Word 文件已损坏".to_string())?
            .name()
            .to_string();
        if is_text_part(&name) {
            let (_, data) = read_part(&mut z, i, &mut budget, MAX_UNZIPPED)?;
            let xml = String::from_utf8(data)
                .map_err(|_| format!("Word 文件的部件 {name} 不是 UTF-8 文本"))?;
            let out = fill_part(&xml, values)?.unwrap_or(xml);
            w.start_file(name, opts).map_err(werr)?;
            w.write_all(out.as_bytes())
                .map_err(|e| format!("生成 Word 文件失败：{e}"))?;
        } else {
            let f = z
                .by_index_raw(i)
                .map_err(|_| "Word 文件已损坏".to_string())?;
            w.raw_copy_file(f).map_err(werr)?;
        }
    }
    Ok(w.finish().map_err(werr)?.into_inner())
}

#[cfg(test)]
mod tests;
