//! Dates as `YYYY-MM-DD`, with an error that says so (chrono's own says only "out of range").

use chrono::NaiveDate;
use serde::{de, Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
        de::Error::custom(format!(
            "expected a calendar date as YYYY-MM-DD, got `{text}`"
        ))
    })
}
