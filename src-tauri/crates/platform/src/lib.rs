//! jxjy-platform: a reference implementation of the platform (专技平台) API that jxjy-review
//! syncs with. It serves one SQLite database (WAL) of units, reviewers, rosters, declarations,
//! evidence and unit decisions, and can inject faults for tests and benchmarks.

pub mod api;
pub mod auth;
pub mod certificates;
pub mod conformance;
pub mod db;
pub mod faults;
pub mod files;
pub mod manage;
pub mod openapi;
pub mod problem;
pub mod seed;
pub mod throttle;
