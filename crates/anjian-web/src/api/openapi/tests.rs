//! The generated document keeps its contract: every path parameter declared, every JSON
//! write with its body, every operation with a success response that has content, every
//! reference resolved, and the routes in the sources are exactly the documented paths.

use super::document;
use serde_json::Value;
use std::collections::BTreeSet;

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn every_path_parameter_is_declared_as_a_path_parameter() {
    let doc = document();
    let mut undeclared = Vec::new();
    for (path, method, op) in operations(&doc) {
        let names: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let declared: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path" && p["required"] == true)
            .filter_map(|p| p["name"].as_str())
            .collect();
        for n in &names {
            if !declared.contains(n) {
                undeclared.push(format!("{method} {path}: {n}"));
            }
        }
        for d in &declared {
            if !names.contains(d) {
                undeclared.push(format!("{method} {path}: {d} is not in the path"));
            }
        }
    }
    assert!(undeclared.is_empty(), "{undeclared:?}");
}

/// The handlers that read a JSON body (`AppJson`) or an upload (`Multipart`), by name, from
/// the sources; each one's operation must describe its body.
#[test]
fn every_operation_reading_a_body_describes_it() {
    let doc = document();
    let mut missing = Vec::new();
    for (path, method, op) in operations(&doc) {
        if method == "get" {
            assert!(
                op.get("requestBody").is_none(),
                "{method} {path} has a body"
            );
            continue;
        }
        let reads = handler_reads_body(&op);
        if reads && op.pointer("/requestBody/content").is_none() {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(missing.is_empty(), "no requestBody: {missing:?}");
}

/// Whether the handler of an operation takes `AppJson` or `Multipart`, read from the source
/// after its `#[utoipa::path(... path = "P" ...)]` attribute of the same method.
fn handler_reads_body(op: &Value) -> bool {
    let Some(id) = op["operationId"].as_str() else {
        return false;
    };
    SOURCES.with(|s| s.iter().any(|(key, reads)| key == id && *reads))
}

thread_local! {
    /// (operation id as `finish` writes it, whether the handler reads a body) for every
    /// annotated handler in `src/api`.
    static SOURCES: Vec<(String, bool)> = annotated_handlers();
}

fn annotated_handlers() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for text in api_sources() {
        for part in text.split("#[utoipa::path(").skip(1) {
            let Some((attr, rest)) = part.split_once(")]\n") else {
                continue;
            };
            let method = attr
                .trim_start()
                .split(',')
                .next()
                .unwrap_or_default()
                .trim();
            let Some(path) = attr
                .split("path = \"")
                .nth(1)
                .and_then(|p| p.split('"').next())
            else {
                continue;
            };
            // The handler's signature: up to the opening of its body.
            let sig = rest.split(" {\n").next().unwrap_or_default();
            let reads = sig.contains("AppJson<") || sig.contains("Multipart");
            let words: Vec<&str> = path
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            out.push((format!("{method}_{}", words.join("_")), reads));
        }
    }
    out
}

fn api_sources() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs")
                && p.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                // The code, not the tests.
                out.push(
                    text.split("#[cfg(test)]")
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api"),
        &mut out,
    );
    out
}

#[test]
fn every_annotated_handler_reading_a_body_was_found() {
    // The source reading above must see the handlers, or the body test proves nothing.
    let found = annotated_handlers();
    assert!(found.len() > 130, "{}", found.len());
    assert!(found.iter().filter(|(_, r)| *r).count() > 50);
}

#[test]
fn every_operation_has_a_success_response_with_content() {
    let doc = document();
    let mut bad = Vec::new();
    for (path, method, op) in operations(&doc) {
        let responses = op["responses"].as_object().cloned().unwrap_or_default();
        let ok: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
        match ok.as_slice() {
            [code] if code.as_str() == "204" => {}
            [code] => {
                if responses[code.as_str()]["content"]
                    .as_object()
                    .is_none_or(|c| c.is_empty())
                {
                    bad.push(format!("{method} {path}: {code} without content"));
                }
            }
            other => bad.push(format!("{method} {path}: success responses {other:?}")),
        }
        // Every error is the shared error shape (or, for imports, the import report).
        for (code, r) in &responses {
            if code.starts_with('4') && r.get("$ref").is_none() && r.get("content").is_none() {
                bad.push(format!("{method} {path}: {code} without a body"));
            }
        }
        if op["security"] != serde_json::json!([{}]) && responses.get("401").is_none() {
            bad.push(format!("{method} {path}: authenticated without 401"));
        }
    }
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn every_reference_resolves_and_operation_ids_are_unique() {
    let doc = document();
    fn refs(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.insert(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = BTreeSet::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in &all {
        let pointer = r.strip_prefix('#').unwrap_or(r);
        assert!(doc.pointer(pointer).is_some(), "unresolved {r}");
    }
    let ids: Vec<String> = operations(&doc)
        .iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_string))
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(
        doc["components"]["schemas"]["Error"]["required"],
        serde_json::json!(["error", "message", "fields"])
    );
}

/// Routes are registered only through `routes!` (which takes each handler's description),
/// never with a bare `.route(`, and the paths of the annotated handlers are exactly the
/// document's.
#[test]
fn the_documented_paths_are_exactly_the_routes() {
    let mut annotated = BTreeSet::new();
    for text in api_sources() {
        assert!(
            !text.contains(".route(") && !text.contains(".route_service("),
            "a route registered without its description"
        );
        for part in text.split("#[utoipa::path(").skip(1) {
            if let Some(p) = part
                .split("path = \"")
                .nth(1)
                .and_then(|p| p.split('"').next())
            {
                annotated.insert(p.to_string());
            }
        }
    }
    let doc = document();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    assert!(documented.len() > 100, "{}", documented.len());
    assert_eq!(annotated, documented);
}
