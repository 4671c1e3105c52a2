-- Typed event data (issue 13): the values ingestion bound, by field name, in the engine's compact binary form
-- (RulesBilling.Engine.Storage.TypedFields, format version 1), so reads bind without parsing the JSON in "data".
-- NULL for rows stored before this migration: those keep binding from "data", which every row still has.
ALTER TABLE events ADD COLUMN IF NOT EXISTS fields bytea;
