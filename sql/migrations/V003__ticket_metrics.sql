-- Tickets, per minute and slice, as counts of facts (see FactKind in jobs/ for each column's
-- exact meaning). dimension = 'unit' holds one row per responsible unit (value = its id); the
-- city-wide slices are 'all' (value ''), 'channel', 'request_type', 'category', 'topic',
-- 'region', 'tag' and 'desk'; 'unit_category' (value 'unit|category') counts each unit's rejections
-- and returns per category. Late changes rewrite a minute with a higher version; read FINAL.
CREATE TABLE IF NOT EXISTS ${db}.ticket_minute_metrics
(
    minute             DateTime('Asia/Shanghai'),
    dimension          String,
    value              String,
    created            Int64,
    resolved_online    Int64,
    dispatched_tickets Int64,
    dispatches         Int64,
    rejected           Int64,
    returned           Int64,
    extensions         Int64,
    extensions_refused Int64,
    contacts           Int64,
    completed          Int64,
    completed_on_time  Int64,
    completed_extended Int64,
    completed_contacted Int64,
    sys_callbacks      Int64,
    sys_satisfied      Int64,
    spot_callbacks     Int64,
    spot_satisfied     Int64,
    opened             Int64,
    closed             Int64,
    overdue_opened     Int64,
    overdue_closed     Int64,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (dimension, value, minute);

-- Where each ticket stands, as of the watermark: one row per ticket, the highest version wins.
CREATE TABLE IF NOT EXISTS ${db}.ticket_state
(
    ticket_id     String,
    status        String,
    unit_id       String,
    dispatches    UInt32,
    category      String,
    region        String,
    created_at    Nullable(DateTime('Asia/Shanghai')),
    assigned_at   Nullable(DateTime('Asia/Shanghai')),
    due_time      Nullable(DateTime('Asia/Shanghai')),
    overdue       UInt8,
    completed_at  Nullable(DateTime('Asia/Shanghai')),
    on_time       Nullable(UInt8),
    extended      UInt8,
    contacted     UInt8,
    last_event_at DateTime('Asia/Shanghai'),
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY ticket_id;
