//! Reading township boundaries from a GeoJSON FeatureCollection: each feature a Polygon or
//! MultiPolygon whose properties name the township by code or name, matched to the county's
//! townships. A file with any bad feature is refused whole, with one Chinese message per
//! feature (第n个要素（名称）：…).

use super::{Boundary, Extent};
use geo::{LineString, MultiPolygon, Polygon, Validation};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// The largest boundary file read (bytes): a county's townships at survey detail fit easily.
pub const MAX_BOUNDARY_BYTES: usize = 16 * 1024 * 1024;

/// At most this many messages are listed (the rest are counted).
const MAX_MESSAGES: usize = 50;

/// Property keys naming a township's code, in the order tried.
const CODE_KEYS: [&str; 9] = [
    "code",
    "region_code",
    "adcode",
    "ADCODE",
    "CODE",
    "XZQDM",
    "xzqdm",
    "区划代码",
    "乡镇代码",
];
/// Property keys naming a township, in the order tried.
const NAME_KEYS: [&str; 10] = [
    "name",
    "NAME",
    "Name",
    "乡镇",
    "乡镇名称",
    "名称",
    "XZQMC",
    "xzqmc",
    "XZMC",
    "township",
];

/// A township of the county, to match features to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Township {
    /// The 12-digit region code.
    pub code: String,
    pub name: String,
}

/// What a file brought: one boundary per matched township, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryImport {
    pub boundaries: Vec<Boundary>,
    /// The box of all of them.
    pub extent: Option<Extent>,
    /// Townships of the county the file has no boundary for.
    pub missing: Vec<String>,
}

fn text_of(v: &Json) -> Option<String> {
    match v {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first(props: &serde_json::Map<String, Json>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| props.get(*k).and_then(text_of))
}

fn norm(name: &str) -> String {
    let t: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    t.strip_suffix("办事处").map(str::to_string).unwrap_or(t)
}

/// The township a feature's properties name: by code (12 digits, or the 9 of a township
/// code), else by name.
fn matched<'a>(
    props: &serde_json::Map<String, Json>,
    towns: &'a [Township],
) -> Result<&'a Township, String> {
    let code = first(props, &CODE_KEYS);
    if let Some(c) = code
        .as_deref()
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
    {
        let full = if c.len() == 9 {
            format!("{c}000")
        } else {
            c.to_string()
        };
        if let Some(t) = towns.iter().find(|t| t.code == full) {
            return Ok(t);
        }
    }
    let name = first(props, &NAME_KEYS);
    if let Some(n) = name.as_deref()
        && let Some(t) = towns.iter().find(|t| norm(&t.name) == norm(n))
    {
        return Ok(t);
    }
    match (code, name) {
        (None, None) => Err("属性中没有乡镇代码或名称（code、adcode、name、乡镇等）".into()),
        (c, n) => Err(format!("「{}」不是本县的乡镇", n.or(c).unwrap_or_default())),
    }
}

fn ring(raw: &[Vec<f64>], k: usize) -> Result<LineString<f64>, String> {
    let which = if k == 0 {
        "外环".to_string()
    } else {
        format!("第{k}个内环")
    };
    if raw.len() < 4 {
        return Err(format!("{which}少于4个坐标点"));
    }
    let mut coords = Vec::with_capacity(raw.len());
    for p in raw {
        let (Some(&x), Some(&y)) = (p.first(), p.get(1)) else {
            return Err(format!("{which}有缺少经度或纬度的坐标"));
        };
        if !x.is_finite()
            || !y.is_finite()
            || !(73.0..=136.0).contains(&x)
            || !(3.0..=54.0).contains(&y)
        {
            return Err(format!(
                "{which}的坐标（{x}, {y}）超出范围（应为经度73°至136°、纬度3°至54°，顺序为经度在前）"
            ));
        }
        coords.push((x, y));
    }
    if coords.first() != coords.last() {
        return Err(format!("{which}未闭合（首尾坐标不同）"));
    }
    Ok(coords.into())
}

fn polygon(raw: &[Vec<Vec<f64>>]) -> Result<Polygon<f64>, String> {
    let mut rings = raw.iter().enumerate().map(|(k, r)| ring(r, k));
    let exterior = rings.next().ok_or("多边形没有坐标环")??;
    let holes = rings.collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(exterior, holes))
}

fn shape(feature: &Json) -> Result<MultiPolygon<f64>, String> {
    if feature.get("geometry").is_none_or(Json::is_null) {
        return Err("没有几何（geometry）".into());
    }
    let f = geojson::Feature::from_json_value(feature.clone())
        .map_err(|e| format!("不是有效的GeoJSON要素：{e}"))?;
    let g = f.geometry.ok_or("没有几何（geometry）")?;
    let shape = match &g.value {
        geojson::Value::Polygon(p) => MultiPolygon::new(vec![polygon(p)?]),
        geojson::Value::MultiPolygon(ps) => {
            if ps.is_empty() {
                return Err("MultiPolygon 没有多边形".into());
            }
            MultiPolygon::new(ps.iter().map(|p| polygon(p)).collect::<Result<_, _>>()?)
        }
        other => {
            return Err(format!(
                "几何类型应为 Polygon 或 MultiPolygon，而不是 {}",
                other.type_name()
            ));
        }
    };
    if let Err(e) = shape.check_validation() {
        return Err(format!("几何图形无效（{e}）"));
    }
    Ok(shape)
}

/// Reads a boundary file against the county's townships: all features good, or every
/// feature's problem.
pub fn parse_boundaries(bytes: &[u8], towns: &[Township]) -> Result<BoundaryImport, Vec<String>> {
    if bytes.len() > MAX_BOUNDARY_BYTES {
        return Err(vec![format!(
            "文件过大（{} MB），边界文件不超过{} MB",
            bytes.len() / (1024 * 1024),
            MAX_BOUNDARY_BYTES / (1024 * 1024)
        )]);
    }
    let json: Json = serde_json::from_slice(bytes).map_err(|e| {
        vec![format!(
            "不是有效的JSON文件（第{}行第{}列）",
            e.line(),
            e.column()
        )]
    })?;
    if json.get("type").and_then(Json::as_str) != Some("FeatureCollection") {
        return Err(vec![
            "不是GeoJSON要素集合（FeatureCollection）：最外层的 type 应为 FeatureCollection".into(),
        ]);
    }
    let Some(features) = json.get("features").and_then(Json::as_array) else {
        return Err(vec!["要素集合缺少 features 数组".into()]);
    };
    if features.is_empty() {
        return Err(vec!["要素集合中没有要素".into()]);
    }
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut boundaries = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let n = i + 1;
        let props = f
            .get("properties")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        let label = first(&props, &NAME_KEYS)
            .or_else(|| first(&props, &CODE_KEYS))
            .unwrap_or_else(|| "无名称".into());
        let town = matched(&props, towns);
        let geometry = shape(f);
        let mut problems = Vec::new();
        if let Err(e) = &town {
            problems.push(e.clone());
        }
        if let Err(e) = &geometry {
            problems.push(e.clone());
        }
        if let Ok(t) = town
            && let Some(prev) = seen.insert(t.code.as_str(), n)
        {
            problems.push(format!("与第{prev}个要素是同一乡镇（{}）", t.name));
        }
        match (town, geometry) {
            (Ok(t), Ok(shape)) if problems.is_empty() => boundaries.push(Boundary {
                region_code: t.code.clone(),
                shape,
            }),
            _ => errors.push(format!("第{n}个要素（{label}）：{}", problems.join("；"))),
        }
    }
    if !errors.is_empty() {
        if errors.len() > MAX_MESSAGES {
            let more = errors.len() - MAX_MESSAGES;
            errors.truncate(MAX_MESSAGES);
            errors.push(format!("另有{more}个要素有问题"));
        }
        return Err(errors);
    }
    let extent = boundaries
        .iter()
        .filter_map(|b| Extent::of(&b.shape))
        .reduce(Extent::union);
    let missing = towns
        .iter()
        .filter(|t| !seen.contains_key(t.code.as_str()))
        .map(|t| t.name.clone())
        .collect();
    Ok(BoundaryImport {
        boundaries,
        extent,
        missing,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn towns() -> Vec<Township> {
        vec![
            Township {
                code: "330102001000".into(),
                name: "临江镇".into(),
            },
            Township {
                code: "330102002000".into(),
                name: "城关街道".into(),
            },
            Township {
                code: "330102003000".into(),
                name: "白沙乡".into(),
            },
        ]
    }

    fn sq(x: f64, y: f64) -> String {
        format!(
            "[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]",
            x + 0.1,
            x + 0.1,
            y + 0.1,
            y + 0.1
        )
    }

    /// A FeatureCollection shaped like a real one (DataV-style properties, an adcode as a
    /// number, a MultiPolygon with an island, a Polygon with a hole).
    fn real_shaped() -> String {
        format!(
            r#"{{"type":"FeatureCollection","name":"townships","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}}},"features":[
  {{"type":"Feature","properties":{{"adcode":330102001,"name":"临江镇","level":"town"}},"geometry":{{"type":"MultiPolygon","coordinates":[[{a}],[{island}]]}}}},
  {{"type":"Feature","properties":{{"NAME":"城关街道办事处"}},"geometry":{{"type":"Polygon","coordinates":[{b},[[114.12,28.02],[114.14,28.02],[114.14,28.04],[114.12,28.04],[114.12,28.02]]]}}}}
]}}"#,
            a = sq(114.0, 28.0),
            island = sq(114.0, 28.3),
            b = sq(114.1, 28.0),
        )
    }

    #[test]
    fn a_real_shaped_collection_is_matched_by_adcode_and_by_name() {
        let got = parse_boundaries(real_shaped().as_bytes(), &towns()).unwrap();
        assert_eq!(got.boundaries.len(), 2);
        assert_eq!(got.boundaries[0].region_code, "330102001000");
        assert_eq!(
            got.boundaries[0].shape.0.len(),
            2,
            "MultiPolygon keeps its island"
        );
        assert_eq!(got.boundaries[1].region_code, "330102002000");
        assert_eq!(got.boundaries[1].shape.0[0].interiors().len(), 1);
        assert_eq!(got.missing, vec!["白沙乡".to_string()]);
        let e = got.extent.unwrap();
        assert_eq!((e.min_lng, e.max_lng), (114_000_000, 114_200_000));
        assert_eq!((e.min_lat, e.max_lat), (28_000_000, 28_400_000));
    }

    fn refused(text: &str) -> Vec<String> {
        parse_boundaries(text.as_bytes(), &towns()).unwrap_err()
    }

    #[test]
    fn a_broken_file_is_refused_whole_with_a_message_per_feature() {
        assert!(refused("not json")[0].contains("不是有效的JSON"));
        assert!(refused(r#"{"type":"Feature"}"#)[0].contains("FeatureCollection"));
        assert!(refused(r#"{"type":"FeatureCollection","features":[]}"#)[0].contains("没有要素"));
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
  {{"type":"Feature","properties":{{"name":"临江镇"}},"geometry":{{"type":"Polygon","coordinates":[{good}]}}}},
  {{"type":"Feature","properties":{{"name":"城关街道"}},"geometry":null}},
  {{"type":"Feature","properties":{{"name":"白沙乡"}},"geometry":{{"type":"Polygon","coordinates":[[[114,28],[114.1,28],[114.1,28.1],[114,28.1]]]}}}},
  {{"type":"Feature","properties":{{"code":"330102009000"}},"geometry":{{"type":"Polygon","coordinates":[{good}]}}}},
  {{"type":"Feature","properties":{{"name":"临江镇"}},"geometry":{{"type":"Polygon","coordinates":[[[28,114],[28.1,114],[28.1,114.1],[28,114]]]}}}},
  {{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[114,28]}}}},
  {{"type":"Feature","properties":{{"name":"白沙乡"}},"geometry":{{"type":"Polygon","coordinates":[[[114,28],[114.1,28]]]}}}},
  {{"type":"Feature","properties":{{"name":"城关街道"}},"geometry":{{"type":"Polygon","coordinates":[[[114,28],[114.1,28.1],[114.1,28],[114,28.1],[114,28]]]}}}}
]}}"#,
            good = sq(114.0, 28.0)
        );
        let m = refused(&text);
        assert_eq!(m.len(), 7, "{m:#?}");
        assert!(
            m[0].starts_with("第2个要素（城关街道）") && m[0].contains("没有几何"),
            "{}",
            m[0]
        );
        assert!(
            m[1].starts_with("第3个要素（白沙乡）") && m[1].contains("未闭合"),
            "{}",
            m[1]
        );
        assert!(
            m[2].contains("330102009000") && m[2].contains("不是本县的乡镇"),
            "{}",
            m[2]
        );
        assert!(
            m[3].contains("超出范围") && m[3].contains("同一乡镇"),
            "{}",
            m[3]
        );
        assert!(
            m[4].starts_with("第6个要素（无名称）")
                && m[4].contains("没有乡镇代码或名称")
                && m[4].contains("Point"),
            "{}",
            m[4]
        );
        assert!(m[5].contains("少于4个坐标点"), "{}", m[5]);
        assert!(m[6].contains("几何图形无效"), "{}", m[6]);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let big = vec![b' '; MAX_BOUNDARY_BYTES + 1];
        assert!(parse_boundaries(&big, &towns()).unwrap_err()[0].contains("文件过大"));
    }
}
