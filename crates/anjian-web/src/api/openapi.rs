//! The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json` and printed by
//! `anjian openapi`. It is generated: every handler carries a `#[utoipa::path]` description
//! naming its parameters, body and responses by the handler's own types, and the feature
//! routers register handlers only through `utoipa_axum::routes!`, so a route cannot be served
//! without being described. [`finish`] then adds the error responses that the shared
//! extractors give every operation (see its comment).

use crate::AppState;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The document's frame: title, description, server, security; the operations come from the
/// routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "anjian 安全生产综合监管平台 API",
        description = "除登录外的所有接口需 `Authorization: Bearer TOKEN`。错误统一为 {error, message, fields}，输入错误返回 4xx（校验失败 422）。"
    ),
    servers((url = "/api/v1")),
    security(("bearer" = [])),
    modifiers(&Bearer),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every API error's body (see `crate::error::ApiError`).
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// 稳定的错误代码，如 validation_failed、not_found、unauthorized、forbidden、conflict、malformed_json
    pub error: String,
    /// 给用户看的说明
    pub message: String,
    /// 出错的字段及其说明（没有时为空对象）
    pub fields: BTreeMap<String, Vec<String>>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// The document (an OpenAPI 3.1 object), as served.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    summary = "本接口说明（OpenAPI 3.1）",
    security(()),
    responses((status = 200, description = "OpenAPI 文档", body = Object))
)]
async fn openapi_json() -> axum::Json<Value> {
    axum::Json(document())
}

/// The schema of a step named by `action` (`#[serde(tag = "action")]` over structs that deny
/// unknown fields): one object per step, its own fields and `action`, so that a generator can
/// satisfy it (utoipa's `allOf` of the struct, closed to other fields, and the tag cannot be).
pub(crate) fn action_steps(
    steps: Vec<(
        &'static str,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};
    let mut one_of = OneOfBuilder::new();
    for (action, schema) in steps {
        let mut object = match schema {
            RefOr::T(Schema::Object(o)) => o,
            _ => Object::new(),
        };
        object.properties.insert(
            "action".into(),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([action]))
                .into(),
        );
        object.required.insert(0, "action".into());
        one_of = one_of.item(object);
    }
    one_of.into()
}

/// The generated document (built once).
pub fn document() -> Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = super::described().into_openapi();
        let mut v = serde_json::to_value(&doc).unwrap_or(Value::Null);
        finish(&mut v);
        v
    })
    .clone()
}

/// The error responses every operation can give through the shared extractors, added to each
/// operation from what it declares, next to the ones its annotation names itself:
/// - authenticated (no `security(())`): 401 without a valid token, 403 (a role or scope that
///   may not, a cookie session without its CSRF token, a password that must be changed first);
/// - a path parameter: 404 (not a positive integer, or no such record in the caller's scope);
/// - query parameters: 422 naming the parameter (`AppQuery` and the `query` parsers);
/// - a JSON body (`AppJson`): 400 malformed, 415 not JSON, 422 a field's type or value, 404 a
///   record the body names, and for writes 409 (a version or state conflict);
/// - a multipart upload: 400 unreadable, 413 over the limits, 415 not multipart, 422.
///
/// Every one refers to the one `Error` response (`{error, message, fields}`).
fn finish(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let path = path.clone();
        for (method, op) in item.iter_mut() {
            let write = method != "get";
            // Operation ids unique by construction: the method and the path's words.
            let words: Vec<&str> = path
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            op["operationId"] = json!(format!("{method}_{}", words.join("_")));
            // A query parameter is absent or has a value: never null.
            for p in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(types) = p.pointer_mut("/schema/type").and_then(Value::as_array_mut) {
                    types.retain(|t| t != "null");
                    if types.len() == 1 {
                        let t = types[0].clone();
                        p["schema"]["type"] = t;
                    }
                }
            }
            let authed = op
                .get("security")
                .and_then(Value::as_array)
                .is_none_or(|s| {
                    !s.iter()
                        .all(|r| r.as_object().is_some_and(|o| o.is_empty()))
                });
            let params: Vec<String> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("in").and_then(Value::as_str).map(str::to_string))
                .collect();
            let body = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .map(|c| c.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default();
            let mut codes: Vec<&str> = Vec::new();
            if authed {
                codes.extend(["401", "403"]);
            }
            if params.iter().any(|p| p == "path") {
                codes.push("404");
            }
            if params.iter().any(|p| p == "query") {
                codes.push("422");
            }
            if body.iter().any(|c| c == "application/json") {
                codes.extend(["400", "415", "422"]);
                if authed {
                    codes.push("404");
                }
                if authed && write {
                    codes.push("409");
                }
            }
            if body.iter().any(|c| c == "multipart/form-data") {
                codes.extend(["400", "413", "415", "422"]);
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for code in codes {
                responses
                    .entry(code)
                    .or_insert_with(|| json!({"$ref": "#/components/responses/Error"}));
            }
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        components.insert(
            "responses".into(),
            json!({"Error": {
                "description": "错误（{error, message, fields}）",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            }}),
        );
    }
}

#[cfg(test)]
mod tests;
