// The bridge's local log buffer: a SQLite file that never grows past its cap. Records are
// appended in small transactions; at the cap the oldest unclaimed records are dropped (non-critical
// first) and counted. Batches are claimed with recorded bounds, shipped, then retired: a retired
// batch's records are deleted in small steps, which can overlap the next batch's encoding.
import { formatArchivedLine, type LogLevel, type LogRecord } from "@nervesys/core/logs";
import type Database from "better-sqlite3";
import { type BufferStatements, prepareBufferStatements } from "./buffer-statements";
import { type Capacity, PAGE_SIZE, recordCost } from "./capacity";
import { RowInserter } from "./row-inserter";
import { type Span, SpanReader, spanRows } from "./span-reader";

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

type PendingRow = {
  first_id: number;
  last_id: number;
  records: number;
  first_timestamp: string;
  last_timestamp: string;
  uploaded: number;
};

const DROP_CHUNK = 500;
/** Text per chunk handed to the encoder: big enough to amortise a query, small enough to stay cheap. */
const TEXT_SPAN_BYTES = 128 * 1024;
/** A deleted row's share of the WAL beyond its text, as `recordCost` counts it (agent ≤ 50 characters). */
const DELETE_ROW_OVERHEAD = 3 * 50 + 160;

export class LogBuffer {
  private readonly pageCount: Database.Statement;
  private readonly freePages: Database.Statement;
  /** Statements on paths that run per append or per uploader tick, prepared once. */
  private readonly sql: BufferStatements;
  private readonly inserter: RowInserter;
  private readonly spans: SpanReader;
  /** Rows for the next step of `collectShipped`, adapted to the rows' sizes. */
  private collectRows = 1;

  constructor(
    private readonly db: Database.Database,
    private readonly capacity: Capacity,
  ) {
    this.pageCount = db.prepare("PRAGMA page_count").pluck();
    this.freePages = db.prepare("PRAGMA freelist_count").pluck();
    this.sql = prepareBufferStatements(db);
    this.inserter = new RowInserter(db);
    this.spans = new SpanReader(db);
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
      while (end < records.length && (bytes < this.capacity.txBytes || end === start)) {
        const r = records[end++]!;
        bytes += recordCost(r.message, r.context, r.agent);
      }
      const outcome = this.appendChunk(records, start, end, bytes);
      result.stored += outcome.stored;
      result.dropped += outcome.dropped;
      start = end;
    }
    return result;
  }

  private appendChunk(records: readonly LogRecord[], start: number, end: number, bytes: number): AppendResult {
    let dropped = this.makeRoom(bytes);
    for (let attempt = 0; ; attempt++) {
      try {
        this.inserter.insert(records, start, end);
        return { stored: end - start, dropped };
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_FULL") throw error;
        // The estimate was short: free more and try again; past that, the new records are what goes.
        if (attempt < 3 && this.deleteShipped()) continue;
        const freed = attempt < 3 ? this.dropOldest(DROP_CHUNK * 4) : 0;
        if (freed === 0) {
          this.addToCounter("dropped_records", end - start);
          return { stored: 0, dropped: dropped + end - start };
        }
        dropped += freed;
      }
    }
  }

  /** Frees room until `incoming` more bytes fit under the high-water mark: shipped records first, then drops. */
  private makeRoom(incoming: number): number {
    const { highWaterBytes, lowWaterBytes } = this.capacity;
    if (this.usedBytes() + incoming <= highWaterBytes) return 0;
    let dropped = 0;
    while (this.usedBytes() + incoming > lowWaterBytes) {
      if (this.deleteShipped()) continue;
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

  /** The id of the newest record (0 when empty): a horizon for "what is buffered now". */
  newestId(): number {
    return (this.sql.newest.get() as number | null) ?? 0;
  }

  /** Records waiting to be shipped (claimed or not). */
  recordCount(): number {
    return this.sql.count.get() as number;
  }

  pendingBatch(): PendingBatch | null {
    const row = this.sql.pending.get() as PendingRow | undefined;
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
   * Recording the bounds is the whole claim: nothing drops ids up to the pending batch's last_id.
   */
  claimBatch(maxBytes: number, throughId = Number.MAX_SAFE_INTEGER): PendingBatch | null {
    const pending = this.pendingBatch();
    if (pending) return pending;
    const first = this.sql.oldest.get() as { id: number; timestamp: string } | undefined;
    if (!first || first.id > throughId) return null;
    let last: Span | null = null;
    let records = 0;
    let bytes = 0;
    do {
      const rows = spanRows(maxBytes - bytes, records, bytes);
      const span = this.spans.next(last?.lastId ?? first.id - 1, throughId, rows);
      if (!span) break;
      last = span;
      records += span.count;
      bytes += span.bytes;
    } while (bytes < maxBytes);
    if (!last) return null;
    const batch: PendingBatch = {
      firstId: first.id,
      lastId: last.lastId,
      records,
      firstTimestamp: first.timestamp,
      lastTimestamp: last.lastTimestamp,
      uploaded: false,
    };
    this.sql.recordPending.run(batch.firstId, batch.lastId, batch.records, batch.firstTimestamp, batch.lastTimestamp);
    return batch;
  }

  /** The claimed records of a batch, in order, as the NDJSON lines they are archived as. */
  *batchLines(batch: PendingBatch): Generator<string> {
    const rows = this.sql.batchRows.iterate(batch.firstId, batch.lastId) as IterableIterator<
      [number, string, LogLevel, string, string | null, string, string | null]
    >;
    let previousId: number | null = null;
    for (const [id, timestamp, level, agent, action, message, context] of rows) {
      yield formatArchivedLine({ timestamp, level, agent, action, message, context }, id, previousId);
      previousId = id;
    }
  }

  /**
   * The same lines as `batchLines`, formatted by SQLite and joined with "\n" into texts of about
   * `spanBytes` of record text each: far cheaper per record, for the encoder to redact and gzip.
   * Each text is read when asked for, so an encoder can start on the first while the rest are read.
   */
  *batchText(batch: PendingBatch, spanBytes = TEXT_SPAN_BYTES): Generator<string> {
    let previousId: number | null = null;
    let rows = 0;
    let bytes = 0;
    for (;;) {
      const afterId = previousId ?? batch.firstId - 1;
      const span = this.spans.nextText(afterId, batch.lastId, spanRows(spanBytes, rows, bytes), previousId);
      if (!span) return;
      yield span.text;
      previousId = span.lastId;
      rows += span.count;
      bytes += span.bytes;
    }
  }

  /** Marks the pending batch as stored; `afterwards` runs in the same transaction (e.g. queue a report). */
  markUploaded(afterwards: () => void = () => {}): void {
    this.db.transaction(() => {
      this.sql.markUploaded.run();
      afterwards();
    })();
  }

  /**
   * Records that a stored batch is shipped and frees the pending slot, so the next batch can be
   * claimed at once; its records are left to `collectShipped`, which the caller can run while
   * the next batch is encoded.
   */
  retireBatch(batch: PendingBatch): void {
    this.db.transaction(() => {
      this.sql.markShipped.run(batch.lastId);
      this.sql.deletePending.run();
    })();
  }

  /**
   * Deletes the oldest shipped records, one transaction small enough for the WAL's share of the
   * cap; false once none are left, and then the file is shrunk if most of it has become free.
   */
  collectShipped(): boolean {
    if (this.deleteShipped()) return true;
    this.reclaimIfMostlyFree();
    return false;
  }

  private deleteShipped(): boolean {
    const span = this.spans.next(0, this.sql.shipped.get() as number, this.collectRows);
    if (!span) return false;
    this.sql.deleteThrough.run(span.lastId);
    const weight = 2 * span.bytes + DELETE_ROW_OVERHEAD * span.count;
    this.collectRows = spanRows(this.capacity.txBytes, span.count, weight);
    return true;
  }

  /** Retires a stored batch and deletes its records now. */
  releaseBatch(batch: PendingBatch): void {
    this.retireBatch(batch);
    while (this.collectShipped()) {
      // small transactions keep the WAL inside its share of the cap
    }
  }

  /** Free pages are reused by later appends; moving pages to shrink the file pays only when most are free. */
  private reclaimIfMostlyFree(): void {
    if ((this.freePages.get() as number) * 2 > (this.pageCount.get() as number)) this.reclaim();
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
