// `nervesys-bridge log [--level L] [--agent A] [--action X] [--context JSON] [MSG]`: hands one message,
// or each line piped in, to the running daemon through its ingest socket, which validates and stores them.
import net from "node:net";
import { MAX_MESSAGE_LENGTH, normaliseLogRecord } from "@nervesys/core/logs";
import type { IngestError } from "../sources/ingest-server";
import { LineSplitter } from "../sources/line-splitter";

export type LogFlags = { level?: string; agent?: string; action?: string; context?: string; message?: string };

/** What the client sends: the daemon fills in the timestamp and defaults. */
export type LogInput = {
  level: string;
  agent?: string;
  action?: string;
  context?: Record<string, unknown>;
  message?: string;
};

export type SendResult =
  | { ok: true; stored: number; rejected: number; errors: IngestError[] }
  | { ok: false; error: string };

export const MESSAGE_CUT_MARKER = "…[cut]";
/** Errors kept by the client; the daemon's rejected count covers the rest. */
export const MAX_KEPT_ERRORS = 100;
/** A line of more bytes decodes to more than MAX_MESSAGE_LENGTH UTF-16 units, so its head is all we need. */
const MAX_STDIN_LINE_BYTES = 3 * MAX_MESSAGE_LENGTH;

/** The command: exits quietly when everything was stored, otherwise says what was refused and why. */
export async function log(
  socketPath: string,
  values: LogFlags,
  stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean },
): Promise<{ ok: true; stored: number } | { ok: false; error: string }> {
  const parsed = parseLogArgs(values);
  if (!parsed.ok) return parsed;
  const { message, ...base } = parsed.record;
  if (message === undefined && stdin.isTTY) {
    return { ok: false, error: "give a message, or pipe lines into nervesys-bridge log" };
  }
  const result = await sendLogs(socketPath, message === undefined ? stdinRecords(stdin, base) : [parsed.record]);
  if (!result.ok) return result;
  if (result.rejected > 0) return { ok: false, error: describeRejections(result) };
  return { ok: true, stored: result.stored };
}

function describeRejections({ stored, rejected, errors }: { stored: number; rejected: number; errors: IngestError[] }) {
  const listed = errors.map(({ line, error }) => `  record ${line}: ${error}`);
  const unlisted = rejected - errors.length;
  if (unlisted > 0) listed.push(`  … and ${unlisted} more`);
  return [`stored ${stored}, rejected ${rejected}:`, ...listed].join("\n");
}

/** Validates the flags (and MSG, if given) with the rules the daemon applies. */
export function parseLogArgs(values: LogFlags): { ok: true; record: LogInput } | { ok: false; error: string } {
  let context: unknown;
  if (values.context !== undefined) {
    try {
      context = JSON.parse(values.context);
    } catch {
      return { ok: false, error: `--context: not valid JSON; give an object, e.g. '{"job":"backup"}'` };
    }
  }
  const { agent, action, message } = values;
  const checked = normaliseLogRecord({ level: values.level, agent, action, context, message: message ?? "" });
  if (!checked.ok) return { ok: false, error: nameTheArgument(checked.error) };
  const record: LogInput = { level: checked.record.level };
  if (agent !== undefined) record.agent = agent;
  if (action !== undefined) record.action = action;
  if (checked.record.context !== null) record.context = context as Record<string, unknown>;
  if (message !== undefined) record.message = message;
  return { ok: true, record };
}

/** "level: one of …" becomes "--level: one of …", "message: …" becomes "MSG: …". */
function nameTheArgument(error: string): string {
  return error.startsWith("message:") ? `MSG${error.slice("message".length)}` : `--${error}`;
}

/** One record per non-blank line of `stream`; a line too long for a message is cut and marked. */
export async function* stdinRecords(
  stream: AsyncIterable<Buffer | string>,
  base: Omit<LogInput, "message">,
): AsyncGenerator<LogInput & { message: string }> {
  const splitter = new LineSplitter(MAX_STDIN_LINE_BYTES);
  for await (const chunk of stream) {
    for (const line of splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)) {
      if (line.text.trim().length > 0) yield { ...base, message: cutMessage(line.text, line.cut) };
    }
  }
  const last = splitter.end();
  if (last && last.text.trim().length > 0) yield { ...base, message: cutMessage(last.text, last.cut) };
}

/** Cuts to MAX_MESSAGE_LENGTH characters, marker included, never inside a surrogate pair. */
export function cutMessage(text: string, alreadyCut = false): string {
  if (!alreadyCut && text.length <= MAX_MESSAGE_LENGTH) return text;
  let head = text.slice(0, MAX_MESSAGE_LENGTH - MESSAGE_CUT_MARKER.length);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return head + MESSAGE_CUT_MARKER;
}

/** Streams records to the daemon as NDJSON and waits for its verdict on each. */
export async function sendLogs(socketPath: string, records: AsyncIterable<object> | object[]): Promise<SendResult> {
  const connected = await connect(socketPath);
  if (!connected.ok) return connected;
  const { socket } = connected;
  const replies = collectReplies(socket);
  try {
    for await (const record of records) await writeLine(socket, JSON.stringify(record));
    socket.end();
  } catch (error) {
    socket.destroy();
    await replies;
    return { ok: false, error: `sending stopped: ${(error as Error).message}; some records may not be stored` };
  }
  return resultOf(await replies);
}

function connect(socketPath: string): Promise<{ ok: true; socket: net.Socket } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    const onError = (error: NodeJS.ErrnoException) => resolve({ ok: false, error: connectError(socketPath, error) });
    socket.once("error", onError);
    socket.once("connect", () => {
      socket.off("error", onError);
      resolve({ ok: true, socket });
    });
  });
}

function connectError(socketPath: string, error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT" || error.code === "ECONNREFUSED") {
    return `the bridge is not running (no ingest socket at ${socketPath})`;
  }
  if (error.code === "EACCES") return `permission denied on ${socketPath}: run this as the user the bridge runs as`;
  return `cannot reach the bridge at ${socketPath}: ${error.code ?? error.message}`;
}

async function writeLine(socket: net.Socket, line: string): Promise<void> {
  if (socket.destroyed || socket.writableEnded) throw new Error("the bridge closed the connection");
  if (socket.write(`${line}\n`)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      socket.off("drain", onDrain);
      socket.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error("the bridge closed the connection"));
    socket.once("drain", onDrain);
    socket.once("close", onClose);
  });
}

type Replies = {
  errors: IngestError[];
  /** An error not tied to a line: the daemon could not store what it accepted. */
  failure: string | null;
  summary: { stored: number; rejected: number } | null;
  broken: string | null;
};

/** Reads the daemon's reply lines until the connection closes. */
function collectReplies(socket: net.Socket): Promise<Replies> {
  const replies: Replies = { errors: [], failure: null, summary: null, broken: null };
  const splitter = new LineSplitter(64 * 1024);
  socket.on("data", (chunk: Buffer) => {
    for (const line of splitter.push(chunk)) readReply(replies, line.text);
  });
  socket.on("error", (error: NodeJS.ErrnoException) => {
    replies.broken ??= error.code ?? error.message;
  });
  return new Promise((resolve) => socket.once("close", () => resolve(replies)));
}

function readReply(replies: Replies, text: string): void {
  const reply = parseReply(text);
  if (reply?.ok === true && typeof reply.stored === "number" && typeof reply.rejected === "number") {
    replies.summary = { stored: reply.stored, rejected: reply.rejected };
  } else if (reply?.ok === false && typeof reply.line === "number") {
    if (replies.errors.length < MAX_KEPT_ERRORS) replies.errors.push({ line: reply.line, error: String(reply.error) });
  } else if (reply?.ok === false) {
    replies.failure ??= String(reply.error);
  }
}

function parseReply(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function resultOf({ errors, failure, summary, broken }: Replies): SendResult {
  if (!summary) {
    const reason = failure ?? broken ?? "no summary";
    return {
      ok: false,
      error: `the bridge closed the connection before confirming (${reason}); some records may not be stored`,
    };
  }
  if (failure) {
    return { ok: false, error: `${failure} (${summary.stored} of ${summary.stored + summary.rejected} stored)` };
  }
  return { ok: true, ...summary, errors };
}
