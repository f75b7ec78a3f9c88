//! The readings a gateway sends (over MQTT or the HTTP batch endpoint), read into
//! `RawReading`s with one error per bad element, so a bad reading never stops the good ones
//! around it.
//!
//! A payload is JSON: one reading `{"device": "…", "ts": …, "value": …, "quality": 0}`, an
//! array of them, or `{"gateway": "…", "readings": [ … ]}`. `device` is the point's device id;
//! `ts` is RFC 3339 (`2022-06-21T12:00:00+08:00`) or a Unix time in seconds or milliseconds
//! (a number above 10¹¹ is milliseconds), and the time of receipt when left out; `value` a
//! finite number; `quality` 0 (good, the default), 1 (suspect) or 2 (bad: stored, never
//! evaluated against thresholds).

use chrono::{DateTime, Utc};
use serde_json::Value;

/// The most readings one payload may carry.
pub const MAX_BATCH: usize = 10_000;
/// The largest payload read (bytes).
pub const MAX_PAYLOAD: usize = 1 << 20;

/// A reading as sent, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReading {
    pub device: String,
    /// Unix milliseconds.
    pub ts_ms: i64,
    pub value: f64,
    pub quality: u8,
}

/// Why (part of) a payload was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    /// The element's place in the batch (0 for a single reading), `None` for the payload.
    pub index: Option<usize>,
    /// The device id, when the element named one.
    pub device: Option<String>,
    pub reason: String,
}

fn whole(reason: impl Into<String>) -> PayloadError {
    PayloadError {
        index: None,
        device: None,
        reason: reason.into(),
    }
}

/// Reads a payload received at `now`. Times more than a day ahead of `now`, or before 2000,
/// are refused (a gateway with a wrong clock), as is a device id that is not one
/// (`is_device_id`).
pub fn parse_payload(bytes: &[u8], now: DateTime<Utc>) -> (Vec<RawReading>, Vec<PayloadError>) {
    if bytes.len() > MAX_PAYLOAD {
        return (
            Vec::new(),
            vec![whole(format!("报文超过{}字节", MAX_PAYLOAD))],
        );
    }
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return (Vec::new(), vec![whole(format!("不是有效的JSON：{e}"))]),
    };
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("readings") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(_) => return (Vec::new(), vec![whole("readings应为数组")]),
            None => vec![&v],
        },
        _ => return (Vec::new(), vec![whole("报文应为对象或数组")]),
    };
    if items.len() > MAX_BATCH {
        return (
            Vec::new(),
            vec![whole(format!("一个报文最多{MAX_BATCH}条读数"))],
        );
    }
    let mut good = Vec::with_capacity(items.len());
    let mut bad = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match reading(item, now) {
            Ok(r) => good.push(r),
            Err((device, reason)) => bad.push(PayloadError {
                index: Some(i),
                device,
                reason,
            }),
        }
    }
    (good, bad)
}

type ElementError = (Option<String>, String);

fn reading(v: &Value, now: DateTime<Utc>) -> Result<RawReading, ElementError> {
    let o = v.as_object().ok_or((None, "读数应为对象".to_string()))?;
    let device = match o.get("device") {
        Some(Value::String(s)) if super::is_device_id(s) => s.clone(),
        Some(Value::String(s)) => {
            let shown: String = s.chars().take(64).collect();
            return Err((Some(shown), "设备编号应为1至64个字母、数字或-_.:/".into()));
        }
        _ => return Err((None, "缺少设备编号device".into())),
    };
    let fail = |reason: &str| (Some(device.clone()), reason.to_string());
    let value = match o.get("value") {
        Some(Value::Number(n)) => n.as_f64().filter(|x| x.is_finite()),
        _ => None,
    }
    .ok_or_else(|| fail("value应为有限数值"))?;
    let quality = match o.get("quality") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(q @ 0..=2) => q as u8,
            _ => return Err(fail("quality应为0、1或2")),
        },
        _ => return Err(fail("quality应为0、1或2")),
    };
    let ts = match o.get("ts") {
        None | Some(Value::Null) => now,
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| fail("ts应为RFC 3339时间或Unix时间"))?,
        Some(Value::Number(n)) => {
            let x = n.as_i64().ok_or_else(|| fail("ts应为整数"))?;
            let ms = if x.abs() > 100_000_000_000 {
                x
            } else {
                x.saturating_mul(1000)
            };
            DateTime::from_timestamp_millis(ms).ok_or_else(|| fail("ts超出范围"))?
        }
        _ => return Err(fail("ts应为RFC 3339时间或Unix时间")),
    };
    if ts > now + chrono::Duration::days(1) {
        return Err(fail("ts晚于接收时间一天以上（网关时钟有误）"));
    }
    if ts.timestamp() < 946_684_800 {
        return Err(fail("ts早于2000年"));
    }
    Ok(RawReading {
        device,
        ts_ms: ts.timestamp_millis(),
        value,
        quality,
    })
}
