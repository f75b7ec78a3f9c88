//! Evidence files: which kinds are accepted, checked by content (magic bytes), not by
//! what the client claims.

/// Largest accepted file.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// (extension, content type, magic prefix)
const KINDS: &[(&str, &str, &[u8])] = &[
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("pdf", "application/pdf", b"%PDF-"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    (
        "doc",
        "application/msword",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    ),
    (
        "xls",
        "application/vnd.ms-excel",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    ),
];

/// A file name safe to store and show: no path, no control characters, at most 120 characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let name = name.trim().to_string();
    if name.is_empty() { "file".into() } else { name }
}

/// Checks a file's kind and size; returns its content type.
pub fn check_file(name: &str, data: &[u8]) -> Result<&'static str, String> {
    if data.is_empty() {
        return Err("文件为空".into());
    }
    if data.len() > MAX_FILE_BYTES {
        return Err(format!("文件超过 {} MB 上限", MAX_FILE_BYTES / 1024 / 1024));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, content_type, magic)) = KINDS.iter().find(|(e, ..)| *e == ext) else {
        return Err("只接受 JPG、PNG 照片和 PDF、Word（doc/docx）、Excel（xls/xlsx）文档".into());
    };
    if !data.starts_with(magic) {
        return Err(format!(
            "文件内容与扩展名 .{ext} 不符（文件可能已损坏或被改名）"
        ));
    }
    Ok(content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_checked_by_content() {
        assert_eq!(
            check_file("现场.JPG", b"\xFF\xD8\xFF\xE0rest"),
            Ok("image/jpeg")
        );
        assert_eq!(
            check_file("a.png", b"\x89PNG\r\n\x1a\nrest"),
            Ok("image/png")
        );
        assert!(check_file("a.pdf", b"%PDF-1.7").is_ok());
        assert!(check_file("a.pdf", b"MZ\x90\x00").is_err()); // an executable renamed
        assert!(check_file("a.exe", b"MZ\x90\x00").is_err());
        assert!(check_file("a.png", b"").is_err());
        assert!(check_file("noext", b"%PDF-").is_err());
        assert!(check_file("big.pdf", &vec![b'%'; MAX_FILE_BYTES + 1]).is_err());
    }

    #[test]
    fn names_lose_paths_and_controls() {
        assert_eq!(clean_name("C:\\tmp\\照片1.jpg"), "照片1.jpg");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b.pdf"), "ab.pdf");
        assert_eq!(clean_name(""), "file");
    }
}
