//! Enum values are stored as their interchange codes (`pending_unit_review`, `approve`…).

use crate::error::StoreError;
use serde::{de::DeserializeOwned, Serialize};

pub fn to_code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub fn from_code<T: DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unknown code `{s}`")))
}
