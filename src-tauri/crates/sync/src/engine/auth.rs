//! Calls with a token: refresh once on a 401, retry transient failures with full jitter,
//! wait out Retry-After, and recover the engine's state after a failure.

use super::Engine;
use crate::client::{Answer, Client};
use crate::error::SyncError;
use jxjy_store::keys::{self, Tokens};
use jxjy_store::Sensitive;
use std::future::Future;
use std::time::Duration;

impl Engine<'_> {
    pub(super) fn token(&mut self) -> Result<String, SyncError> {
        if let Some(t) = &self.access {
            return Ok(t.clone());
        }
        let tokens = keys::load_tokens(&self.profile)?.ok_or(SyncError::NotLoggedIn)?;
        let t = tokens.access.expose().clone();
        self.access = Some(t.clone());
        Ok(t)
    }

    /// Rule 3, 401: a new access token with the refresh token from the keyring.
    pub(super) async fn refresh(&mut self) -> Result<(), SyncError> {
        let tokens = keys::load_tokens(&self.profile)?.ok_or(SyncError::NotLoggedIn)?;
        let answer = self.client.refresh(tokens.refresh.expose()).await?;
        keys::save_tokens(
            &self.profile,
            &Tokens {
                access: Sensitive::new(answer.body.access_token.clone()),
                refresh: Sensitive::new(answer.body.refresh_token.clone()),
            },
        )?;
        self.access = Some(answer.body.access_token);
        Ok(())
    }

    pub(super) async fn sleep(&self, d: Duration) -> Result<(), SyncError> {
        let step = Duration::from_millis(100);
        let mut left = d;
        while !left.is_zero() {
            if self.cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            let s = left.min(step);
            tokio::time::sleep(s).await;
            left = left.saturating_sub(s);
        }
        Ok(())
    }

    /// One API call with retries (rule 3) and one re-authentication on 401.
    pub(super) async fn call<T, F, Fut>(&mut self, mut f: F) -> Result<T, SyncError>
    where
        F: FnMut(Client, String) -> Fut,
        Fut: Future<Output = Result<Answer<T>, SyncError>>,
    {
        let mut attempt = 0;
        let mut refreshed = false;
        loop {
            if self.cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            let token = self.token()?;
            self.report.requests += 1;
            match f(self.client.clone(), token).await {
                Ok(answer) => {
                    if let Some(t) = answer.server_time {
                        let offset = (t - (self.now)()).num_seconds();
                        self.report.clock_offset_secs = Some(offset);
                    }
                    self.advance(0, answer.bytes, 0);
                    return Ok(answer.body);
                }
                Err(e) => self.recover(e, &mut attempt, &mut refreshed).await?,
            }
        }
    }

    /// What a failed attempt leads to (rule 3): one re-authentication on 401, a backoff wait
    /// on a transient failure (Ok: try again), anything else ends the operation.
    pub(super) async fn recover(
        &mut self,
        e: SyncError,
        attempt: &mut u32,
        refreshed: &mut bool,
    ) -> Result<(), SyncError> {
        match e {
            SyncError::Unauthorized(_) if !*refreshed => {
                *refreshed = true;
                self.refresh().await
            }
            e if e.is_retryable() => {
                *attempt += 1;
                self.report.retries += 1;
                if self.policy.gives_up(*attempt) {
                    return Err(SyncError::GaveUp {
                        attempts: *attempt,
                        last: e.to_string(),
                    });
                }
                let d = self.policy.delay(*attempt, &e, &mut self.rng);
                self.sleep(d).await
            }
            e => Err(e),
        }
    }
}
