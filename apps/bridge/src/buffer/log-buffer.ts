// The bridge's local log buffer: a SQLite file that never grows past its cap. Records are
// appended in small transactions; at the cap the oldest unclaimed records are dropped (non-critical
// first) and counted. Batches are claimed with recorded bounds, shipped, then deleted.
import { formatArchivedLine, type LogLevel, type LogRecord } from "@nervesys/core/logs";
import type Database from "better-sqlite3";
import { type Capacity, PAGE_SIZE, recordCost } from "./capacity";

export type PendingBatch = {
  firstId: number;
  lastId: number;
  records: number;
  firstTimestamp: string;
  lastTimestamp: string;
  /** True once the object is safely stored: only the local clean-up is left. */
  uploaded: boolean;
};

export type AppendResult = { stored: number; dropped: number };

type Row = {
  id: number;
  timestamp: string;
  level: string;
  agent_id: string;
  action: string | null;
  message: string;
  context: string | null;
};

const DROP_CHUNK = 500;
const DELETE_CHUNK = 5_000;

export class LogBuffer {
  private readonly insert: Database.Statement;
  private readonly pageCount: Database.Statement;
  private readonly freePages: Database.Statement;
  /** Statements on paths that run per append or per uploader tick, prepared once. */
  private readonly sql: Record<
    "dropNonCritical" | "dropAny" | "addToCounter" | "counter" | "count" | "pending",
    Database.Statement
  >;

  constructor(
    private readonly db: Database.Database,
    private readonly capacity: Capacity,
  ) {
    this.insert = db.prepare(
      "INSERT INTO logs (timestamp, level, agent_id, action, message, context) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.pageCount = db.prepare("PRAGMA page_count").pluck();
    this.freePages = db.prepare("PRAGMA freelist_count").pluck();
    this.sql = {
      dropNonCritical: db.prepare(
        "DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE uploaded = 0 AND level != 'CRITICAL' ORDER BY id LIMIT ?)",
      ),
      dropAny: db.prepare("DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE uploaded = 0 ORDER BY id LIMIT ?)"),
      addToCounter: db.prepare(
        "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
      ),
      counter: db.prepare("SELECT value FROM counters WHERE name = ?").pluck(),
      count: db.prepare("SELECT count(*) FROM logs").pluck(),
      pending: db.prepare("SELECT * FROM pending_batch WHERE id = 1"),
    };
  }

  /** Bytes of the database file holding data (free pages excluded). */
  usedBytes(): number {
    return ((this.pageCount.get() as number) - (this.freePages.get() as number)) * PAGE_SIZE;
  }

  /** Stores records, dropping the oldest unclaimed ones first when the cap is near. */
  append(records: readonly LogRecord[]): AppendResult {
    const result: AppendResult = { stored: 0, dropped: 0 };
    let start = 0;
    while (start < records.length) {
      let end = start;
      let bytes = 0;
      const rows: Array<[string, string, string, string | null, string, string | null]> = [];
      while (end < records.length && (bytes < this.capacity.txBytes || end === start)) {
        const r = records[end++]!;
        bytes += recordCost(r.message, r.context, r.agent);
        rows.push([r.timestamp, r.level, r.agent, r.action, r.message, r.context]);
      }
      const outcome = this.appendChunk(rows, bytes);
      result.stored += outcome.stored;
      result.dropped += outcome.dropped;
      start = end;
    }
    return result;
  }

  private appendChunk(rows: Array<[string, string, string, string | null, string, string | null]>, bytes: number) {
    let dropped = this.makeRoom(bytes);
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.transaction(() => {
          for (const row of rows) this.insert.run(...row);
        })();
        return { stored: rows.length, dropped };
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_FULL") throw error;
        // The estimate was short: free more and try again; past that, the new records are what goes.
        const freed = attempt < 3 ? this.dropOldest(DROP_CHUNK * 4) : 0;
        if (freed === 0) {
          this.addToCounter("dropped_records", rows.length);
          return { stored: 0, dropped: dropped + rows.length };
        }
        dropped += freed;
      }
    }
  }

  /** Drops oldest records until `incoming` more bytes fit under the high-water mark. */
  private makeRoom(incoming: number): number {
    const { highWaterBytes, lowWaterBytes } = this.capacity;
    if (this.usedBytes() + incoming <= highWaterBytes) return 0;
    let dropped = 0;
    while (this.usedBytes() + incoming > lowWaterBytes) {
      const freed = this.dropOldest(DROP_CHUNK);
      if (freed === 0) break;
      dropped += freed;
    }
    return dropped;
  }

  /** Deletes up to `limit` of the oldest unclaimed records, non-critical first; counts them. */
  private dropOldest(limit: number): number {
    return this.db.transaction(() => {
      let deleted = this.sql.dropNonCritical.run(limit).changes;
      if (deleted === 0) deleted = this.sql.dropAny.run(limit).changes;
      this.addToCounter("dropped_records", deleted);
      return deleted;
    })();
  }

  private addToCounter(name: string, by: number): void {
    if (by > 0) this.sql.addToCounter.run(name, by);
  }

  counter(name: string): number {
    return (this.sql.counter.get(name) as number | undefined) ?? 0;
  }

  /** Records waiting to be shipped (claimed or not). */
  recordCount(): number {
    return this.sql.count.get() as number;
  }

  pendingBatch(): PendingBatch | null {
    const row = this.sql.pending.get() as
      | {
          first_id: number;
          last_id: number;
          records: number;
          first_timestamp: string;
          last_timestamp: string;
          uploaded: number;
        }
      | undefined;
    return row
      ? {
          firstId: row.first_id,
          lastId: row.last_id,
          records: row.records,
          firstTimestamp: row.first_timestamp,
          lastTimestamp: row.last_timestamp,
          uploaded: row.uploaded === 1,
        }
      : null;
  }

  /**
   * The batch to ship next: the pending one if a previous attempt did not finish, otherwise the
   * oldest records up to `maxBytes` of text, whose bounds are recorded before anything is sent.
   */
  claimBatch(maxBytes: number): PendingBatch | null {
    const pending = this.pendingBatch();
    if (pending) return pending;
    let bytes = 0;
    let first: { id: number; timestamp: string } | null = null;
    let last: { id: number; timestamp: string } | null = null;
    let records = 0;
    const rows = this.db
      .prepare(
        "SELECT id, timestamp, length(message) + coalesce(length(context), 0) AS size FROM logs WHERE uploaded = 0 ORDER BY id",
      )
      .iterate() as IterableIterator<{ id: number; timestamp: string; size: number }>;
    for (const row of rows) {
      first ??= row;
      last = row;
      records++;
      bytes += row.size;
      if (bytes >= maxBytes) break;
    }
    if (!first || !last) return null;
    const batch: PendingBatch = {
      firstId: first.id,
      lastId: last.id,
      records,
      firstTimestamp: first.timestamp,
      lastTimestamp: last.timestamp,
      uploaded: false,
    };
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO pending_batch (id, first_id, last_id, records, first_timestamp, last_timestamp) VALUES (1, ?, ?, ?, ?, ?)",
        )
        .run(batch.firstId, batch.lastId, batch.records, batch.firstTimestamp, batch.lastTimestamp);
      this.db.prepare("UPDATE logs SET uploaded = 1 WHERE id BETWEEN ? AND ?").run(batch.firstId, batch.lastId);
    })();
    return batch;
  }

  /** The claimed records of a batch, in order, as the NDJSON lines they are archived as. */
  *batchLines(batch: PendingBatch): Generator<string> {
    const rows = this.db
      .prepare(
        "SELECT id, timestamp, level, agent_id, action, message, context FROM logs WHERE id BETWEEN ? AND ? ORDER BY id",
      )
      .iterate(batch.firstId, batch.lastId) as IterableIterator<Row>;
    for (const row of rows) {
      const { id, agent_id, level, ...rest } = row;
      yield formatArchivedLine(id, { ...rest, level: level as LogLevel, agent: agent_id });
    }
  }

  /** Marks the pending batch as stored; `afterwards` runs in the same transaction (e.g. queue a report). */
  markUploaded(afterwards: () => void = () => {}): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE pending_batch SET uploaded = 1 WHERE id = 1").run();
      afterwards();
    })();
  }

  /** Deletes a stored batch's records in small steps and gives the space back to the file system. */
  releaseBatch(batch: PendingBatch): void {
    const remove = this.db.prepare(
      "DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE id BETWEEN ? AND ? LIMIT ?)",
    );
    while (remove.run(batch.firstId, batch.lastId, DELETE_CHUNK).changes > 0) {
      // small transactions keep the WAL inside its share of the cap
    }
    this.db.prepare("DELETE FROM pending_batch WHERE id = 1").run();
    this.reclaim();
  }

  /** Shrinks the file by its free pages, a step at a time, and truncates the WAL. */
  reclaim(): void {
    const step = Math.max(1, Math.floor(this.capacity.txBytes / PAGE_SIZE));
    while ((this.freePages.get() as number) > 0) {
      const before = this.freePages.get() as number;
      this.db.pragma(`incremental_vacuum(${step})`);
      if ((this.freePages.get() as number) >= before) break;
    }
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  close(): void {
    this.db.close();
  }
}
