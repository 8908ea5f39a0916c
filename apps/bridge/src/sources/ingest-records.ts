// Turns what a local program sends (NDJSON lines, or an HTTP body) into validated log records and
// numbered errors, and hands them to the sink. Shared by the socket and HTTP listeners so both
// accept and refuse the same things.
import { type LogRecord, normaliseLogRecord } from "@nervesys/core/logs";
import type { Logger } from "../logger";
import type { SplitLine } from "./line-splitter";

/** An NDJSON line longer than this is refused whole (a JSON body is bounded by the HTTP body limit). */
export const MAX_INGEST_LINE_BYTES = 64 * 1024;

/** `line` is 1-based: the line on the connection or in the body, or the item of a JSON array body. */
export type IngestError = { line: number; error: string };

export type ParsedRecords = { records: LogRecord[]; errors: IngestError[] };

export type ParsedBody = ({ ok: true } & ParsedRecords) | { ok: false; error: string };

export type NormalisedLine = { ok: true; record: LogRecord } | { ok: false; error: string };

const NOT_JSON = "not valid JSON: send one JSON object per line";
const BODY_FORMATS = "send a JSON object, a JSON array of objects, or NDJSON";

const isBlank = (text: string) => text.trim().length === 0;

/** Validates one NDJSON line; blank lines are skipped (null). */
export function parseRecordLine(line: SplitLine, now: () => Date): NormalisedLine | null {
  if (line.cut) return { ok: false, error: `line longer than ${MAX_INGEST_LINE_BYTES} bytes: it was discarded` };
  if (isBlank(line.text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return { ok: false, error: NOT_JSON };
  }
  return normaliseLogRecord(value, now);
}

/** Sorts lines into records and numbered errors, keeping their order. */
export function parseRecordLines(lines: readonly SplitLine[], now: () => Date): ParsedRecords {
  const parsed: ParsedRecords = { records: [], errors: [] };
  for (const line of lines) {
    const result = parseRecordLine(line, now);
    if (!result) continue;
    if (result.ok) parsed.records.push(result.record);
    else parsed.errors.push({ line: line.number, error: result.error });
  }
  return parsed;
}

/**
 * An HTTP body: one JSON object, a JSON array of objects, or NDJSON. A body that is one line and
 * not JSON is refused as a whole; with several lines each line stands or falls on its own.
 */
export function parseRecordBody(body: string, now: () => Date): ParsedBody {
  if (isBlank(body)) return { ok: false, error: `body is empty: ${BODY_FORMATS}` };
  let whole: unknown;
  try {
    whole = JSON.parse(body);
  } catch {
    return parseNdjsonBody(body, now);
  }
  const items = Array.isArray(whole) ? whole : [whole];
  const parsed: ParsedRecords = { records: [], errors: [] };
  items.forEach((item: unknown, index) => {
    const result = normaliseLogRecord(item, now);
    if (result.ok) parsed.records.push(result.record);
    else parsed.errors.push({ line: index + 1, error: result.error });
  });
  return { ok: true, ...parsed };
}

function parseNdjsonBody(body: string, now: () => Date): ParsedBody {
  const texts = body.split("\n");
  if (texts.filter((text) => !isBlank(text)).length <= 1) {
    return { ok: false, error: `body is not valid JSON: ${BODY_FORMATS}` };
  }
  const lines = texts.map((raw, index) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    return { number: index + 1, text, cut: Buffer.byteLength(text) > MAX_INGEST_LINE_BYTES };
  });
  return { ok: true, ...parseRecordLines(lines, now) };
}

export type IngestDeps = { sink(records: LogRecord[]): void; logger: Logger; now: () => Date };

/** Stores records; on failure returns the reason, already logged. */
export function storeRecords(records: LogRecord[], deps: IngestDeps): string | null {
  try {
    deps.sink(records);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.error({ err: reason, records: records.length }, "could not store ingested records");
    return `buffer unavailable: ${reason}`;
  }
}
