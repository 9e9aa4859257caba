//! What a profile knows of its reviewer, unit and platform, as one typed value: written by a
//! login or a snapshot import, read once by whoever needs it.

use crate::db::Store;
use crate::error::StoreError;
use serde::Serialize;

/// The year under review when a profile has none on record (the notice's first year).
pub const DEFAULT_REVIEW_YEAR: i32 = 2019;

/// A profile's reviewer, unit, platform and review year.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProfileMeta {
    /// The platform address logged in to (or preset by a snapshot).
    pub server: Option<String>,
    /// The reviewer's platform user name.
    pub username: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub review_year: i32,
}

impl ProfileMeta {
    /// The reviewer who decides on this profile, or `NotLoggedIn`.
    pub fn reviewer(&self) -> Result<&str, StoreError> {
        self.username.as_deref().ok_or(StoreError::NotLoggedIn)
    }

    /// The reviewer's name, or `fallback` (the profile's name) when the profile has never
    /// logged in: an actor for audit entries of work that needs no login.
    pub fn actor<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.username.as_deref().unwrap_or(fallback)
    }

    /// The unit's name, empty when unknown.
    pub fn unit_name(&self) -> &str {
        self.unit_name.as_deref().unwrap_or_default()
    }

    /// Whether the profile can be used offline: it knows its reviewer and unit.
    pub fn offline_ready(&self) -> bool {
        self.username.is_some() && self.unit_id.is_some()
    }
}

/// The meta keys, in one place.
pub(crate) mod keys {
    pub const SERVER: &str = "server";
    pub const USERNAME: &str = "username";
    pub const UNIT_ID: &str = "unit_id";
    pub const UNIT_NAME: &str = "unit_name";
    pub const REVIEW_YEAR: &str = "review_year";
}

impl Store {
    /// The profile's metadata, read in one go.
    pub fn profile_meta(&self) -> Result<ProfileMeta, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM meta WHERE key IN (?1, ?2, ?3, ?4, ?5)")?;
        let mut m = ProfileMeta {
            review_year: DEFAULT_REVIEW_YEAR,
            ..ProfileMeta::default()
        };
        let rows = stmt.query_map(
            [
                keys::SERVER,
                keys::USERNAME,
                keys::UNIT_ID,
                keys::UNIT_NAME,
                keys::REVIEW_YEAR,
            ],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?;
        for row in rows {
            let (k, v) = row?;
            match k.as_str() {
                keys::SERVER => m.server = Some(v),
                keys::USERNAME => m.username = Some(v),
                keys::UNIT_ID => m.unit_id = Some(v),
                keys::UNIT_NAME => m.unit_name = Some(v),
                keys::REVIEW_YEAR => {
                    m.review_year = v.parse().unwrap_or(DEFAULT_REVIEW_YEAR);
                }
                _ => {}
            }
        }
        Ok(m)
    }

    /// Records a login: who, for which unit and year, on which platform, in one transaction.
    pub fn set_login_meta(
        &mut self,
        server: &str,
        username: &str,
        unit_id: &str,
        unit_name: &str,
        review_year: i32,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (k, v) in [
            (keys::SERVER, server),
            (keys::USERNAME, username),
            (keys::UNIT_ID, unit_id),
            (keys::UNIT_NAME, unit_name),
            (keys::REVIEW_YEAR, &review_year.to_string()),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [k, v],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
