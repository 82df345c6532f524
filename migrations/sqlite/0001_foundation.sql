-- Organisations, people, sign-in and the audit trail.

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('seller', 'client', 'dealer', 'supplier', 'person')),
    name TEXT NOT NULL,
    inn TEXT,
    region_id INTEGER REFERENCES regions (id),
    created_at TEXT NOT NULL
);
CREATE INDEX organisations_kind ON organisations (kind);

CREATE TABLE retail_points (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL,
    address TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    phone TEXT UNIQUE,
    password_hash TEXT,
    locale TEXT,
    region_id INTEGER REFERENCES regions (id),
    retail_point_id INTEGER REFERENCES retail_points (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    password_changed_at TEXT,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure TEXT,
    locked_until TEXT
);

CREATE TABLE password_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);

-- Messages waiting to be delivered by e-mail or SMS.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    actor_role TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    before_state TEXT,
    after_state TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
