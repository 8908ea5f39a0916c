// The NDJSON lines of an archived batch: one record per line, in the order of their sequence
// numbers in the bridge's buffer. A line carries its `seq` only where it cannot be inferred: on a
// batch's first line, and after a gap (records dropped at the buffer's cap); every other line's is
// one more than the line before. A seven-digit counter on every line was an eighth of a batch's
// compressed bytes (`npm run bench -- pipeline` measures the reduction), and it told a reader
// nothing the line order does not. Batches written with a seq on every line read the same.
import { isJsonObject, type LogRecord } from "./log-record";

/** One line of an archived batch as read: the record plus its sequence number in the bridge's buffer. */
export type ArchivedLogLine = Omit<LogRecord, "context"> & { seq: number; context: Record<string, unknown> | null };

/** Whether the line of record `seq` must say so: the first line (no `previousSeq`) and after a gap. */
function writesSeq(seq: number, previousSeq: number | null): boolean {
  return previousSeq === null || seq !== previousSeq + 1;
}

/**
 * The NDJSON line of record `seq`, which follows record `previousSeq` in its batch (null for the
 * batch's first line); `context` is spliced in as the JSON text it was stored as.
 */
export function formatArchivedLine(record: LogRecord, seq: number, previousSeq: number | null): string {
  const head = JSON.stringify({
    ...(writesSeq(seq, previousSeq) ? { seq } : {}),
    timestamp: record.timestamp,
    level: record.level,
    agent: record.agent,
    action: record.action,
    message: record.message,
  });
  return `${head.slice(0, -1)},"context":${record.context ?? "null"}}`;
}

/** Reads one batch's lines in order, restoring the seq of lines that leave it out. */
export class ArchivedLineReader {
  private previousSeq: number | null = null;

  /** The line's record with its seq; throws an Error saying what is wrong with a line that is not one. */
  read(raw: string): ArchivedLogLine {
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      throw new Error("not JSON");
    }
    if (!isJsonObject(line)) throw new Error("not a JSON object");
    const seq: unknown = line.seq ?? (this.previousSeq === null ? undefined : this.previousSeq + 1);
    if (seq === undefined) throw new Error("the first line of a batch must carry its seq");
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) {
      throw new Error("seq: a non-negative integer");
    }
    if (this.previousSeq !== null && seq <= this.previousSeq) {
      throw new Error(`seq ${seq} does not follow ${this.previousSeq}`);
    }
    this.previousSeq = seq;
    return { ...line, seq } as ArchivedLogLine;
  }
}
