-- Identity area: one-time codes that prove a phone number is the person's before an account is
-- made with it (registration, guest checkout). One live code per number; only its keyed hash is
-- kept; it dies after its expiry or after too many wrong tries.

CREATE TABLE phone_codes (
    phone TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    wrong_tries INTEGER NOT NULL DEFAULT 0
);
