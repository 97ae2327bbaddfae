-- The monthly assessment, as computed by `./hotline assess --month`: one row per unit and month,
-- the latest computation wins (read FINAL). Scores have two decimals; rank is within the unit's
-- group and, for departments and companies, its tier (A, B, C).
CREATE TABLE IF NOT EXISTS ${db}.assessment
(
    month              Date,
    unit_id            String,
    unit_group         String,
    tier               String,
    rank               UInt16,
    tickets            UInt64,
    on_time_score      Float64,
    delay_score        Float64,
    contact_score      Float64,
    satisfaction_score Float64,
    reject_score       Float64,
    knowledge_base     Float64,
    cooperation        Float64,
    bonus              Float64,
    total              Float64,
    computed_at        DateTime
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (month, unit_id);
