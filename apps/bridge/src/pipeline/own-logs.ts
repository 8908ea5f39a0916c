// The bridge's own logs are a source like any other: a logger destination that turns each log line
// (info and above) into a record for the buffer. Lines logged before the buffer is open wait in a
// small queue; a failure to store one is dropped silently, since logging it would loop.
import { type LogLevel, type LogRecord, normaliseLogRecord } from "@nervesys/core/logs";
import { isoTimestamp } from "@nervesys/core/time";
import { LOG_LEVELS } from "../logger";

const LEVELS: ReadonlyArray<[number, LogLevel]> = [
  [LOG_LEVELS.fatal, "CRITICAL"],
  [LOG_LEVELS.error, "ERROR"],
  [LOG_LEVELS.warn, "WARN"],
  [LOG_LEVELS.info, "INFO"],
];
const MAX_EARLY_LINES = 1_000;
const OMITTED = new Set(["level", "time", "msg", "pid", "hostname", "app"]);

export function ownLogRecord(line: string): LogRecord | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  const level = LEVELS.find(([n]) => typeof entry.level === "number" && entry.level >= n)?.[1];
  if (!level) return null;
  const context = Object.fromEntries(Object.entries(entry).filter(([k]) => !OMITTED.has(k)));
  const normalised = normaliseLogRecord({
    timestamp: typeof entry.time === "number" ? isoTimestamp(entry.time) : undefined,
    level,
    agent: "bridge",
    message: String(entry.msg ?? "").slice(0, 16 * 1024),
    context: Object.keys(context).length > 0 ? context : null,
  });
  return normalised.ok ? normalised.record : null;
}

export class OwnLogSink {
  private store: ((records: LogRecord[]) => void) | null = null;
  private early: LogRecord[] = [];

  /** The logger calls this with each serialised line. */
  write(line: string): void {
    const record = ownLogRecord(line);
    if (!record) return;
    if (this.store) this.storeQuietly([record]);
    else if (this.early.length < MAX_EARLY_LINES) this.early.push(record);
  }

  attach(store: (records: LogRecord[]) => void): void {
    this.store = store;
    const early = this.early;
    this.early = [];
    if (early.length > 0) this.storeQuietly(early);
  }

  detach(): void {
    this.store = null;
  }

  private storeQuietly(records: LogRecord[]): void {
    try {
      this.store?.(records);
    } catch {
      // the buffer is closed or failing; that is reported by whoever uses it
    }
  }
}
