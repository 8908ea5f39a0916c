// The buffer file's layout. `logs` has the seed's columns (shared/DESIGN.md appendix), `uploaded`
// included though a claim no longer writes to it: the pending batch's bounds and
// `counters.shipped_through` say which records are in flight or shipped.
//
// The seed's three indexes (`uploaded`, `timestamp`, `(agent_id, timestamp)`) are not kept, and are
// dropped from files that have them: the buffer is a queue read only in `id` order, so no query
// uses them, yet they took 39 % of every record's bytes (240 → 147 per record on realistic logs,
// so an outage fills the 100 MB cap with 1.6 times fewer records) and about half of the ingest
// time (`npm run bench -- buffer-ingest` measures both schemas).
import type Database from "better-sqlite3";

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
  level TEXT,
  agent_id TEXT,
  action TEXT,
  message TEXT,
  context TEXT,
  uploaded INTEGER DEFAULT 0
);
DROP INDEX IF EXISTS logs_uploaded_idx;
DROP INDEX IF EXISTS logs_timestamp_idx;
DROP INDEX IF EXISTS logs_agent_time_idx;

-- At most one batch is pending: its bounds are recorded before the upload, so a retry after a
-- crash ships exactly the same rows under exactly the same key.
CREATE TABLE IF NOT EXISTS pending_batch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  records INTEGER NOT NULL,
  first_timestamp TEXT NOT NULL,
  last_timestamp TEXT NOT NULL,
  uploaded INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

-- Messages for the control plane that must survive restarts and outages (upload reports,
-- heartbeats taken offline), kept until the control plane acknowledges them.
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  data TEXT NOT NULL
);

-- How far each tailed file has been read, committed with the lines it produced.
CREATE TABLE IF NOT EXISTS tail_positions (
  path TEXT PRIMARY KEY,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  offset INTEGER NOT NULL
);
`;

export type BufferPragmas = { maxPageCount: number; walLimitBytes: number };

/** Pragmas for a fresh or existing file; auto_vacuum only takes effect before the first table. */
export function applyPragmas(db: Database.Database, { maxPageCount, walLimitBytes }: BufferPragmas): void {
  db.pragma("auto_vacuum = INCREMENTAL");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  // 2 MiB of page cache, not the 16 MiB better-sqlite3 is built with: an idle daemon keeps it.
  db.pragma("cache_size = -2048");
  db.pragma(`journal_size_limit = ${walLimitBytes}`);
  db.pragma(`wal_autocheckpoint = ${Math.max(64, Math.floor(walLimitBytes / 4 / 4096))}`);
  db.pragma(`max_page_count = ${maxPageCount}`);
}
