//! How the statistics write shares and day counts.

/// A share as a whole percentage ("83 %").
pub(super) fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

/// A count of days ("1 day", "3 days").
pub(super) fn days_text(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}
