-- Raw validated events for analysts' drill-down, and the records kept aside.
-- Every table has a deterministic key in a ReplacingMergeTree: a replay or a retried insert
-- writes the same key again and never counts twice. Read with FINAL (or GROUP BY the key).

-- One row per call step. The job passes one step of each kind per call (duplicates go to
-- dead_letters), so the key is the call and the step.
CREATE TABLE IF NOT EXISTS ${db}.call_events
(
    event_id       String,
    event_type     String,
    event_time     DateTime('Asia/Shanghai'),
    call_id        String,
    line           String,
    caller_region  String,
    agent_id       String,
    wait_seconds   Nullable(UInt32),
    talk_seconds   Nullable(UInt32),
    schema_version UInt16
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (call_id, event_type);

-- One row per ticket step (a ticket may be dispatched, extended or called back more than once).
CREATE TABLE IF NOT EXISTS ${db}.ticket_events
(
    event_id        String,
    event_type      String,
    event_time      DateTime('Asia/Shanghai'),
    ticket_id       String,
    call_id         String,
    channel         String,
    request_type    String,
    category        String,
    topic           String,
    region          String,
    tags            Array(String),
    desk            String,
    unit_id         String,
    due_time        Nullable(DateTime('Asia/Shanghai')),
    new_due_time    Nullable(DateTime('Asia/Shanghai')),
    reason          String,
    callback_source String,
    satisfied       Nullable(UInt8),
    schema_version  UInt16
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (ticket_id, event_id);

-- Every record that was not counted, with why: unparseable or invalid (the parser's reason
-- codes), a duplicate step, or later than its window's allowed lateness. Keyed by the record's
-- place in Kafka, so each input record appears here at most once.
CREATE TABLE IF NOT EXISTS ${db}.dead_letters
(
    topic           String,
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String,
    reason          String,
    field           String,
    message         String,
    event_time      Nullable(DateTime('Asia/Shanghai')),
    seen_at         DateTime('Asia/Shanghai')
)
ENGINE = ReplacingMergeTree
ORDER BY (topic, kafka_partition, kafka_offset);
