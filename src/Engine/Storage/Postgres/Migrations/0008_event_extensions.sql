-- CloudEvents extension attributes (issue 18): every top-level attribute the spec does not define (traceparent,
-- tenantregion, ...), as one JSON object of name to text, which rules read as event.ext.NAME.
-- NULL when the event carried none, and for rows stored before this migration (they were dropped then).
ALTER TABLE events ADD COLUMN IF NOT EXISTS extensions text;
