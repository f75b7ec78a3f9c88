-- 0044: one-key dispatch (一键调度).
-- dispatch_channels: the county's notifiers: a generic webhook (JSON POST signed with HMAC),
--   the group robots of 企业微信 (wecom) and 钉钉 (dingtalk), e-mail over SMTP, and an SMS
--   gateway over HTTP; config is the channel's JSON (URL, secret, SMTP server, SMS template).
-- dispatches: a message sent to the chain of a record (hazard, accident, disaster, alarm) or
--   to a place; level_reached is the highest level notified so far, escalated_at when it was
--   notified (unconfirmed recipients after escalate_minutes bring in the next level).
-- dispatch_recipients: each person, with the level they are notified at; notified_at when
--   their level was notified, delivered_at the first successful delivery, confirmed_at and
--   confirmed_via ('link', 'sms', 'manual') the confirmation; token the secret of their link.
-- dispatch_outbox: one message per recipient and channel (unique), sent by the job runner:
--   claimed by an instance until claimed_until, retried with backoff until sent or failed.
-- Keep in step with the other backend's 0044_dispatch.sql.

CREATE TABLE dispatch_channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'wecom', 'dingtalk', 'smtp', 'sms')),
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE dispatches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    county_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('hazard', 'accident', 'disaster', 'alarm', 'place')),
    entity_id INTEGER,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    channel_ids TEXT NOT NULL,
    escalate_minutes INTEGER NOT NULL CHECK (escalate_minutes > 0),
    level_reached INTEGER NOT NULL,
    escalated_at TEXT NOT NULL,
    created_by INTEGER,
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dispatches_entity ON dispatches (entity, entity_id);
CREATE INDEX dispatches_open ON dispatches (closed_at, escalated_at);

CREATE TABLE dispatch_recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),
    level INTEGER NOT NULL CHECK (level >= 1 AND level <= 9),
    role TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL UNIQUE,
    notified_at TEXT,
    delivered_at TEXT,
    confirmed_at TEXT,
    confirmed_via TEXT CHECK (confirmed_via IS NULL OR confirmed_via IN ('link', 'sms', 'manual')),
    reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dispatch_recipients_dispatch ON dispatch_recipients (dispatch_id, level);
CREATE INDEX dispatch_recipients_phone ON dispatch_recipients (phone, confirmed_at);

CREATE TABLE dispatch_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),
    recipient_id INTEGER NOT NULL REFERENCES dispatch_recipients (id),
    channel_id INTEGER NOT NULL REFERENCES dispatch_channels (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (recipient_id, channel_id)
);
CREATE INDEX dispatch_outbox_due ON dispatch_outbox (status, next_attempt_at);

