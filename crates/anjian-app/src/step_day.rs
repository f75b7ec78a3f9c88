//! The day a workflow step names: given by the user or today, never after today nor before
//! the step it follows. One check for every loop's steps (penalty cases, 行刑衔接).

use anjian_domain::ValidationErrors;
use anjian_domain::validation::parse_date;
use chrono::NaiveDate;

/// The day a step names (default today) as `label`: never after today nor before
/// `not_before` (a day and what it is). An error is added on `field` and `None` returned.
pub(crate) fn day_of(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    given: Option<&str>,
    today: NaiveDate,
    not_before: Option<(NaiveDate, &str)>,
) -> Option<NaiveDate> {
    let day = match given.map(str::trim).filter(|x| !x.is_empty()) {
        None => today,
        Some(x) => match parse_date(x) {
            Ok(d) => d,
            Err(m) => {
                e.add(field, m);
                return None;
            }
        },
    };
    if day > today {
        e.add(field, format!("{label}不能晚于今天"));
        return None;
    }
    if let Some((min, what)) = not_before
        && day < min
    {
        e.add(field, format!("{label}不能早于{what}"));
        return None;
    }
    Some(day)
}
