//! A request budget per API key (`KASSA_API_RATE` a second, bursts up to
//! `KASSA_API_BURST`), kept by `governor`'s keyed GCRA limiter. Every answer
//! says where the key stands (`RateLimit-Limit`, `-Remaining`, `-Reset`);
//! over the budget the answer is a 429 with `Retry-After`.

use crate::{config::Limits, error::ApiError, AppState};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    Quota, RateLimiter,
};
use std::hash::{BuildHasher, RandomState};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, Ordering};

type Keyed =
    RateLimiter<u64, governor::state::keyed::DefaultKeyedStateStore<u64>, DefaultClock, StateInformationMiddleware>;

pub struct ApiLimiter {
    limiter: Keyed,
    clock: DefaultClock,
    /// Keys are held as a salted hash: the limiter's map never holds a key.
    hasher: RandomState,
    burst: u32,
    /// How long one spent request takes to come back, in seconds.
    per_request: f64,
    last_forgot: AtomicI64,
}

impl ApiLimiter {
    pub fn new(limits: &Limits) -> ApiLimiter {
        let rate = NonZeroU32::new(limits.api_rate.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(limits.api_burst.max(limits.api_rate).max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(rate).allow_burst(burst);
        ApiLimiter {
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            clock: DefaultClock::default(),
            hasher: RandomState::new(),
            burst: burst.get(),
            per_request: quota.replenish_interval().as_secs_f64(),
            last_forgot: AtomicI64::new(crate::time::now_ms()),
        }
    }

    /// Spends one request of `token`'s budget: the headers to answer with,
    /// and whether the request may go on.
    fn spend(&self, token: &str) -> (HeaderMap, bool) {
        let key = self.hasher.hash_one(token);
        let mut headers = HeaderMap::new();
        let mut put = |name: &'static str, value: u64| {
            headers.insert(name, HeaderValue::from(value));
        };
        put("ratelimit-limit", u64::from(self.burst));
        match self.limiter.check_key(&key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let spent = f64::from(self.burst - remaining.min(self.burst));
                put("ratelimit-remaining", u64::from(remaining));
                put("ratelimit-reset", (spent * self.per_request).ceil() as u64);
                (headers, true)
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now()).as_secs_f64().ceil().max(1.0) as u64;
                put("ratelimit-remaining", 0);
                put("ratelimit-reset", wait);
                headers.insert(header::RETRY_AFTER, HeaderValue::from(wait));
                (headers, false)
            }
        }
    }

    /// Forgets keys whose budget is full again, at most once a minute, so a
    /// flood of made-up keys cannot grow the map for long.
    fn forget_idle(&self) {
        let now = crate::time::now_ms();
        let last = self.last_forgot.load(Ordering::Relaxed);
        if now - last > 60_000
            && self.last_forgot.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }
}

/// Counts every request that names a key; one without a key is refused by
/// the key check anyway.
pub async fn per_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let Some(token) = token else {
        return next.run(request).await;
    };
    state.api_limiter.forget_idle();
    let (headers, allowed) = state.api_limiter.spend(&token);
    let mut response = if allowed { next.run(request).await } else { ApiError::RateLimited.into_response() };
    response.headers_mut().extend(headers);
    response
}
