//! Rule sets by year: the app receives rule updates through sync.

use super::{AppState, Reviewer};
use crate::problem::Problem;
use axum::extract::{Query, State};
use axum::Json;
use jxjy_core::RuleSet;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RulesQuery {
    /// The reviewed year.
    pub year: i32,
}

/// The rule set that applies to a year (a rule-set document, see DOMAIN.md).
#[utoipa::path(get, path = "/api/v1/rules", operation_id = "getRules", params(RulesQuery), security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 400, body = Problem), (status = 404, body = Problem), (status = 401, body = Problem)))]
pub async fn rules(
    _who: Reviewer,
    State(_state): State<AppState>,
    q: Query<RulesQuery>,
) -> Result<Json<RuleSet>, Problem> {
    RuleSet::for_year(q.year)
        .map(Json)
        .map_err(|e| Problem::not_found(e.to_string()))
}
