-- Reference data and the office's monthly inputs, loaded by tools (not by the stream). The latest
-- load wins (ReplacingMergeTree on updated_at); read FINAL.

-- The assessed units: id (as in ticket events), published name, assessment group.
CREATE TABLE IF NOT EXISTS ${db}.units
(
    unit_id    String,
    name       String,
    unit_group String,
    updated_at DateTime
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY unit_id;

-- What the office enters each month per unit: knowledge-base upkeep, cooperation, bonus or deductions.
CREATE TABLE IF NOT EXISTS ${db}.office_inputs
(
    month          Date,
    unit_id        String,
    knowledge_base Float64,
    cooperation    Float64,
    bonus          Float64,
    bonus_reason   String,
    updated_at     DateTime
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (month, unit_id);

-- A month's published totals, for months the stream holds no data for (month-over-month changes).
CREATE TABLE IF NOT EXISTS ${db}.published_months
(
    month                     Date,
    city                      String,
    calls_answered            UInt64,
    connection_rate_pct       Float64,
    tickets_valid             UInt64,
    tickets_dispatched        UInt64,
    callback_satisfaction_pct Float64,
    updated_at                DateTime
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY month;
