// Reads the logs table in consecutive id spans sized by their text, so a batch or a delete step can
// be capped in bytes without loading each row into JavaScript: SQLite sums the sizes (and, when
// asked, formats and joins the archived lines) per span, and JavaScript sees one row per span.
import type Database from "better-sqlite3";

/**
 * One record's archived NDJSON line, built by SQLite exactly as `formatArchivedLine` builds it, from
 * a row with the `previous_id` of the line before it in the batch (null for the first): json_quote
 * escapes text as JSON.stringify does (checked for every UTF-16 code unit by the tests), and the
 * context is spliced in as the JSON text it was stored as.
 */
const ARCHIVED_LINE_SQL = `'{' || CASE WHEN id - 1 = previous_id THEN '' ELSE '"seq":' || id || ',' END || '"timestamp":' || json_quote(timestamp) || ',"level":' || json_quote(level) || ',"agent":' || json_quote(agent_id) || ',"action":' || json_quote(action) || ',"message":' || json_quote(message) || ',"context":' || coalesce(context, 'null') || '}'`;

/** Bytes of text a record counts for in a batch (as `claimBatch`'s `maxBytes` measures it). */
const SIZE_SQL = "octet_length(message) + coalesce(octet_length(context), 0)";

export type Span = {
  count: number;
  /** Text bytes (message and context) of the span's records. */
  bytes: number;
  lastId: number;
  lastTimestamp: string;
};

const MAX_SPAN_ROWS = 8_192;

/**
 * How many rows the next span should take to weigh about `target`, judging by the `weight` of the
 * `rows` read so far. It starts with one row and at most quadruples, so an unrepresentative first
 * row cannot make one span huge.
 */
export function spanRows(target: number, rows: number, weight: number): number {
  if (rows === 0) return 1;
  const estimate = Math.ceil(target / Math.max(1, weight / rows));
  return Math.max(1, Math.min(estimate, rows * 4, MAX_SPAN_ROWS));
}

export class SpanReader {
  private readonly sizes: Database.Statement;
  private readonly texts: Database.Statement;

  constructor(db: Database.Database) {
    const rows = `SELECT id, timestamp, level, agent_id, action, message, context, ${SIZE_SQL} AS size FROM logs WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`;
    // With exactly one max() in the query, SQLite takes the bare `timestamp` from the row with the max id.
    const span = (extra: string, from: string) =>
      `SELECT count(*), sum(size), max(id), timestamp${extra} FROM (${from})`;
    this.sizes = db.prepare(span("", rows)).raw();
    // The span's first row follows the id given before the others (null: none before it in the batch).
    const withPrevious = `SELECT *, coalesce(lag(id) OVER (ORDER BY id), ?) AS previous_id FROM (${rows})`;
    this.texts = db.prepare(span(`, group_concat(${ARCHIVED_LINE_SQL}, char(10) ORDER BY id)`, withPrevious)).raw();
  }

  /** Up to `rows` records after `afterId` and at most `throughId`, oldest first; null when none. */
  next(afterId: number, throughId: number, rows: number): Span | null {
    const [count, bytes, lastId, lastTimestamp] = this.sizes.get(afterId, throughId, rows) as SpanRow;
    return count === 0 ? null : { count, bytes: bytes ?? 0, lastId: lastId!, lastTimestamp: lastTimestamp! };
  }

  /**
   * As `next`, with the span's archived lines joined by "\n"; `previousId` is the id of the batch's
   * line before the span's first (null when the span starts the batch).
   */
  nextText(
    afterId: number,
    throughId: number,
    rows: number,
    previousId: number | null,
  ): (Span & { text: string }) | null {
    const [count, bytes, lastId, lastTimestamp, text] = this.texts.get(previousId, afterId, throughId, rows) as SpanRow;
    return count === 0
      ? null
      : { count, bytes: bytes ?? 0, lastId: lastId!, lastTimestamp: lastTimestamp!, text: text ?? "" };
  }
}

type SpanRow = [number, number | null, number | null, string | null, string | null];
