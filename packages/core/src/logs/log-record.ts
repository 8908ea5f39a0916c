// One log record as it enters a bridge's buffer (archived-line.ts writes it out again).
// Validation is hand-written: it runs for every record on the ingest hot path, where a schema
// library cost more than the SQLite insert itself (measured with `npm run bench -- buffer-ingest`).

import { isoTimestamp } from "../time/iso-timestamp";

export const LOG_LEVELS = ["INFO", "WARN", "ERROR", "CRITICAL"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const MAX_MESSAGE_LENGTH = 16 * 1024;
export const MAX_CONTEXT_LENGTH = 16 * 1024;
const MAX_AGENT_LENGTH = 50;
const MAX_ACTION_LENGTH = 100;

export type LogRecord = {
  timestamp: string;
  level: LogLevel;
  agent: string;
  action: string | null;
  message: string;
  /** JSON text of an object, kept as text: it is stored and archived as it came. */
  context: string | null;
};

export type NormaliseResult = { ok: true; record: LogRecord } | { ok: false; error: string };

const fail = (error: string): NormaliseResult => ({ ok: false, error });
/** Whether `v` is a JSON object (not null, not an array). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function levelOf(value: unknown): LogLevel | null {
  if (value === undefined) return "INFO";
  if (typeof value !== "string") return null;
  const upper = value.toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : null;
}

/** The form `toISOString` writes, which most sources already send. */
const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function timestampOf(value: unknown, now: () => Date): string | null {
  if (value === undefined) return isoTimestamp(now());
  if (typeof value !== "string" || value.length > 40) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  // A canonical timestamp is kept as it came (formatting one again took two thirds of the
  // validation time), unless its day overflowed: Date.parse reads "02-30" as March 2nd.
  if (CANONICAL_TIMESTAMP.test(value) && new Date(ms).getUTCDate() === Number(value.slice(8, 10))) return value;
  return isoTimestamp(ms);
}

/** Validates and completes a record from a source; `now` stamps records that carry no time. */
export function normaliseLogRecord(input: unknown, now: () => Date = () => new Date()): NormaliseResult {
  if (!isJsonObject(input)) return fail("a record must be a JSON object");
  const { message, agent = "bridge", action = null, context = null } = input;
  if (typeof message !== "string") return fail("message: required, a string");
  if (message.length > MAX_MESSAGE_LENGTH) return fail(`message: longer than ${MAX_MESSAGE_LENGTH} characters`);
  const level = levelOf(input.level);
  if (!level) return fail(`level: one of ${LOG_LEVELS.join(", ")}`);
  const timestamp = timestampOf(input.timestamp, now);
  if (!timestamp) return fail("timestamp: an ISO 8601 date-time");
  if (typeof agent !== "string" || agent.length === 0 || agent.length > MAX_AGENT_LENGTH) {
    return fail(`agent: 1 to ${MAX_AGENT_LENGTH} characters`);
  }
  if (action !== null && (typeof action !== "string" || action.length > MAX_ACTION_LENGTH)) {
    return fail(`action: at most ${MAX_ACTION_LENGTH} characters`);
  }
  if (context !== null && !isJsonObject(context)) return fail("context: a JSON object");
  const contextJson = context === null ? null : JSON.stringify(context);
  if (contextJson !== null && contextJson.length > MAX_CONTEXT_LENGTH) {
    return fail(`context: more than ${MAX_CONTEXT_LENGTH} characters of JSON`);
  }
  return { ok: true, record: { timestamp, level, agent, action, message, context: contextJson } };
}
