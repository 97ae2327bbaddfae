-- What an alert names of what its value counts, as its notification says it (due_soon: the first tickets
-- and their due times, "2023-09-07 17:00 T1, 2023-09-07 18:30 T2 (+3)"); '' where the rule names nothing.
ALTER TABLE ${db}.alerts ADD COLUMN detail String DEFAULT '';
ALTER TABLE ${db}.alerts_latest ADD COLUMN detail String DEFAULT '';
