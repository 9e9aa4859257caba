//! Hours as exact hundredths, so that sums, caps and the ledger never drift the way floats do.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

/// A number of study hours (学时), stored as hundredths of an hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Hours(i64);

impl Hours {
    pub const ZERO: Hours = Hours(0);

    /// Whole hours.
    pub const fn whole(h: i64) -> Hours {
        Hours(h * 100)
    }

    /// From hundredths of an hour.
    pub const fn from_centi(c: i64) -> Hours {
        Hours(c)
    }

    pub const fn centi(self) -> i64 {
        self.0
    }

    /// Converts a JSON number; `None` when negative, not finite, or absurdly large.
    pub fn from_f64(v: f64) -> Option<Hours> {
        if !v.is_finite() || !(0.0..=1.0e9).contains(&v) {
            return None;
        }
        // Rounded to the nearest hundredth; the range check above keeps the cast exact.
        #[allow(clippy::cast_possible_truncation)]
        Some(Hours((v * 100.0).round() as i64))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn min(self, other: Hours) -> Hours {
        Hours(self.0.min(other.0))
    }

    pub fn max(self, other: Hours) -> Hours {
        Hours(self.0.max(other.0))
    }

    /// `self - other`, never below zero.
    pub fn saturating_sub(self, other: Hours) -> Hours {
        Hours((self.0 - other.0).max(0))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl Add for Hours {
    type Output = Hours;
    fn add(self, rhs: Hours) -> Hours {
        Hours(self.0 + rhs.0)
    }
}

impl AddAssign for Hours {
    fn add_assign(&mut self, rhs: Hours) {
        self.0 += rhs.0;
    }
}

impl Sub for Hours {
    type Output = Hours;
    fn sub(self, rhs: Hours) -> Hours {
        Hours(self.0 - rhs.0)
    }
}

impl Mul<i64> for Hours {
    type Output = Hours;
    fn mul(self, rhs: i64) -> Hours {
        Hours(self.0 * rhs)
    }
}

impl Sum for Hours {
    fn sum<I: Iterator<Item = Hours>>(iter: I) -> Hours {
        iter.fold(Hours::ZERO, Add::add)
    }
}

/// `24`, `1.5`, `0.25` — the way the notice and the UI write hours.
impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.abs();
        let (int, frac) = (abs / 100, abs % 100);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else if frac % 10 == 0 {
            write!(f, "{sign}{int}.{}", frac / 10)
        } else {
            write!(f, "{sign}{int}.{frac:02}")
        }
    }
}

/// In the OpenAPI document: a JSON number of hours, at least 0, in hundredths at most.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Hours {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .minimum(Some(0.0))
            .description(Some(
                "Study hours (学时), a non-negative number with at most two decimals",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Hours {}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hours, D::Error> {
        let v = f64::deserialize(d)?;
        Hours::from_f64(v).ok_or_else(|| {
            de::Error::custom(format!("hours must be a non-negative number, got {v}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_the_notice() {
        assert_eq!(Hours::whole(24).to_string(), "24");
        assert_eq!(Hours::from_centi(150).to_string(), "1.5");
        assert_eq!(Hours::from_centi(25).to_string(), "0.25");
    }

    #[test]
    fn json_round_trip_keeps_integers_integral() {
        let h: Hours = serde_json::from_str("24").unwrap();
        assert_eq!(serde_json::to_string(&h).unwrap(), "24");
        let h: Hours = serde_json::from_str("1.5").unwrap();
        assert_eq!(serde_json::to_string(&h).unwrap(), "1.5");
        assert!(serde_json::from_str::<Hours>("-1").is_err());
    }
}
