//! Codes of the demo county: township codes, USCCs with their check digit, ID-card numbers.

use super::*;

pub(super) fn town_code(kind: &str, seq: &mut [usize; 3]) -> String {
    let base = match kind {
        "街道" => {
            seq[0] += 1;
            seq[0]
        }
        "镇" => {
            seq[1] += 1;
            99 + seq[1]
        }
        _ => {
            seq[2] += 1;
            199 + seq[2]
        }
    };
    format!("360982{base:03}000")
}

pub(super) const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

pub(super) fn demo_uscc(rng: &mut Rng, n: usize, prefix: &str) -> String {
    // Organisation-code body: "MA" + 5 base-31 digits of n + 1 random symbol, then its GB 11714 check.
    let mut body = String::from("MA");
    let mut v = n;
    let mut digits = Vec::new();
    for _ in 0..5 {
        digits.push(ALPHABET[v % 31] as char);
        v /= 31;
    }
    body.extend(digits.iter().rev());
    body.push(ALPHABET[10 + rng.below(21)] as char);
    let org = org_check_char(&body).unwrap_or('0');
    let org = if ALPHABET.contains(&(org as u8)) {
        org
    } else {
        '0'
    };
    let first17 = format!("{prefix}360982{body}{org}");
    match check_char(&first17) {
        Some(c) => format!("{first17}{c}"),
        None => first17,
    }
}

pub(super) fn id_number(rng: &mut Rng) -> String {
    let birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default()
        + chrono::Duration::days(rng.below(30 * 365) as i64);
    let body = format!("360982{}{:03}", birth.format("%Y%m%d"), rng.below(1000));
    let c = anjian_domain::idcard::check_char(&body).unwrap_or('0');
    format!("{body}{c}")
}

/// The short name of the first department supervising a sector (the coordinating supervisor).
pub(super) fn dept_for(sector: &str) -> String {
    words::DEPARTMENTS
        .iter()
        .find(|d| d.5.contains(&sector))
        .map(|d| format!("{DEMO_COUNTY_NAME}{}", d.0))
        .unwrap_or_else(|| format!("{DEMO_COUNTY_NAME}应急管理局"))
}

pub(super) fn sectors_of(i: usize) -> &'static [&'static str] {
    words::DEPARTMENTS.get(i).map(|d| d.5).unwrap_or(&[])
}

pub(super) fn licence_for(sector: &str, rng: &mut Rng, n: usize) -> Vec<Licence> {
    let (kind, issuer, word) = match sector {
        "hazchem" => ("危险化学品经营许可证", "宜春市应急管理局", "危化经"),
        "fireworks" => ("烟花爆竹经营（零售）许可证", "清江市应急管理局", "烟零"),
        "mines" => ("安全生产许可证", "江西省应急管理厅", "FM安许证"),
        "gas" => ("燃气经营许可证", "清江市住房和城乡建设局", "燃经"),
        "road" => ("道路运输经营许可证", "清江市交通运输局", "交运管许可"),
        _ => return vec![],
    };
    let from = NaiveDate::from_ymd_opt(
        2019 + rng.below(4) as i32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    );
    let to = from.and_then(|d| d.with_year(d.year_ce().1 as i32 + 3));
    vec![Licence {
        kind: kind.into(),
        number: format!(
            "赣清{word}字〔{}〕{:04}号",
            from.map(|d| d.format("%Y").to_string()).unwrap_or_default(),
            n % 10000
        ),
        issuer: Some(issuer.into()),
        valid_from: from,
        valid_to: to,
    }]
}
