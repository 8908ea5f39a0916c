// The SQL the log buffer runs on its hot paths (per append, per uploader tick), prepared once.
import type Database from "better-sqlite3";

/**
 * Records up to this id are in the archive (counters row, set when a batch is retired): they are
 * never claimed or counted again, and are deleted in steps, before any drop when space is short.
 */
const SHIPPED = "coalesce((SELECT value FROM counters WHERE name = 'shipped_through'), 0)";
/** Ids at or below this are shipped or in the pending batch: never dropped, they are in flight. */
const CLAIMED = `max(${SHIPPED}, coalesce((SELECT last_id FROM pending_batch WHERE id = 1), 0))`;

export function prepareBufferStatements(db: Database.Database) {
  return {
    dropNonCritical: db.prepare(
      `DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE id > ${CLAIMED} AND level != 'CRITICAL' ORDER BY id LIMIT ?)`,
    ),
    dropAny: db.prepare(`DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE id > ${CLAIMED} ORDER BY id LIMIT ?)`),
    addToCounter: db.prepare(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
    ),
    counter: db.prepare("SELECT value FROM counters WHERE name = ?").pluck(),
    count: db
      .prepare(`SELECT (SELECT count(*) FROM logs) - (SELECT count(*) FROM logs WHERE id <= ${SHIPPED})`)
      .pluck(),
    pending: db.prepare("SELECT * FROM pending_batch WHERE id = 1"),
    shipped: db.prepare(`SELECT ${SHIPPED}`).pluck(),
    newest: db.prepare("SELECT max(id) FROM logs").pluck(),
    oldest: db.prepare(`SELECT id, timestamp FROM logs WHERE id > ${SHIPPED} ORDER BY id LIMIT 1`),
    recordPending: db.prepare(
      "INSERT INTO pending_batch (id, first_id, last_id, records, first_timestamp, last_timestamp) VALUES (1, ?, ?, ?, ?, ?)",
    ),
    markUploaded: db.prepare("UPDATE pending_batch SET uploaded = 1 WHERE id = 1"),
    markShipped: db.prepare(
      "INSERT INTO counters (name, value) VALUES ('shipped_through', ?) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
    ),
    deletePending: db.prepare("DELETE FROM pending_batch WHERE id = 1"),
    deleteThrough: db.prepare("DELETE FROM logs WHERE id <= ?"),
    batchRows: db
      .prepare(
        "SELECT id, timestamp, level, agent_id, action, message, context FROM logs WHERE id BETWEEN ? AND ? ORDER BY id",
      )
      .raw(),
  };
}

export type BufferStatements = ReturnType<typeof prepareBufferStatements>;
