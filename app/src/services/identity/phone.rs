//! Identity area, use cases: proving that a phone number is the person's by a one-time code sent
//! by SMS, before an account is made with it (registration) or an order is placed with it (guest
//! checkout). Asking for a code answers the same whether or not an account has the number; only
//! someone who typed the right code learns that it has one.

use chrono::{Duration, Utc};
use domain::{Phone, ThrottlePolicy};

use crate::error::{AppError, FieldError};
use crate::model::{CODE_MINUTES, CodeSent};
use crate::ports::{Channel, Outgoing, SmsError};
use crate::services::context::{RequestInfo, ServerState, rate_limit};
use crate::services::crypto::token_hash;

/// Wrong codes a live code survives; then a new one must be asked for.
pub const MAX_WRONG: u32 = 5;
const DIGITS: usize = 6;

/// Sends a fresh code to `phone` (replacing the number's earlier code). The field named in errors
/// is `field`.
pub async fn send_code(
    state: &ServerState,
    info: &RequestInfo,
    phone: &str,
    field: &str,
) -> Result<CodeSent, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::Validation(vec![FieldError::from_domain(field, &e)]))?;
    let Some(sms) = &state.sms else {
        return Err(AppError::field(field, "sms.unavailable"));
    };
    // Every request counts, for the address and for the number, whoever owns the number.
    rate_limit(state, info, ThrottlePolicy::PHONE_CODES_ADDRESS, &format!("code-ip:{}", info.ip)).await?;
    rate_limit(state, info, ThrottlePolicy::PHONE_CODES, &format!("code-phone:{}", phone.as_str())).await?;
    let code = random_code();
    let now = Utc::now();
    let hash = code_hash(state, &phone, &code);
    state
        .store
        .put_phone_code(phone.as_str(), &hash, now, now + Duration::minutes(CODE_MINUTES))
        .await
        .map_err(|e| info.store_error(e))?;
    let text = crate::i18n::identity::texts(info.locale).sms_code;
    sms.send(phone.as_str(), &format!("{text} {code}")).await.map_err(|e| match e {
        SmsError::Refused => AppError::field(field, "sms.refused"),
        SmsError::Unavailable(reason) => {
            tracing::error!(request_id = %info.request_id, %reason, "the SMS gateway failed");
            AppError::field(field, "sms.failed")
        }
    })?;
    // The outbox keeps what went out (the administrator sees it); a real code only masked, since
    // the code itself is kept nowhere but as a keyed hash.
    let shown = if sms.is_sandbox() { code.clone() } else { "•".repeat(DIGITS) };
    let record = Outgoing {
        channel: Channel::Sms,
        recipient: phone.as_str().to_string(),
        subject: text.to_string(),
        body: format!("{text} {shown}"),
        notice: None,
    };
    let via = if sms.is_sandbox() { "sandbox" } else { "gateway" };
    state.store.record_sent(&record, via, now).await.map_err(|e| info.store_error(e))?;
    Ok(CodeSent {
        phone: phone.as_str().to_string(),
        minutes: CODE_MINUTES,
        sandbox_code: sms.is_sandbox().then_some(code),
    })
}

/// Uses up the live code of `phone` if `code` is it; otherwise a validation error on `field`.
pub async fn confirm(
    state: &ServerState,
    info: &RequestInfo,
    phone: &Phone,
    code: &str,
    field: &str,
) -> Result<(), AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err(AppError::field(field, "code.missing"));
    }
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::field(field, "code.wrong"));
    }
    let hash = code_hash(state, phone, &code);
    let used = state
        .store
        .use_phone_code(phone.as_str(), &hash, Utc::now(), MAX_WRONG)
        .await
        .map_err(|e| info.store_error(e))?;
    if used { Ok(()) } else { Err(AppError::field(field, "code.wrong")) }
}

/// The code as kept: keyed by the server secret and bound to the number.
fn code_hash(state: &ServerState, phone: &Phone, code: &str) -> String {
    token_hash(&state.secret, &format!("phone-code {} {code}", phone.as_str()))
}

/// Six uniformly random digits (rejection sampling: no digit is likelier than another).
fn random_code() -> String {
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        let n = u32::from_le_bytes(bytes);
        // The largest multiple of 10^6 that fits; above it the remainder would be biased.
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_six_digits() {
        for _ in 0..1000 {
            let code = super::random_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
