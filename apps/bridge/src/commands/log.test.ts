// `nervesys-bridge log` end to end: the client against a real ingest server on a real socket.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { type LogRecord, MAX_MESSAGE_LENGTH } from "@nervesys/core/logs";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logger";
import { type IngestServer, startIngestServer } from "../sources/ingest-server";
import { cutMessage, log, MAX_KEPT_ERRORS, MESSAGE_CUT_MARKER, parseLogArgs, sendLogs, stdinRecords } from "./log";

const servers: IngestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function socketPath(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), "log-cmd-")), "ingest.sock");
}

async function startBridge(sink?: (records: LogRecord[]) => void) {
  const file = await socketPath();
  const stored: LogRecord[] = [];
  const server = await startIngestServer({
    socketPath: file,
    http: null,
    sink: sink ?? ((records) => stored.push(...records)),
    logger: createLogger("silent"),
  });
  servers.push(server);
  return { file, stored };
}

/** What a pipe into the command looks like: chunks that cut lines anywhere, and no terminal. */
function pipedStdin(chunks: Array<string | Buffer>): Readable & { isTTY?: boolean } {
  return Readable.from(chunks.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk)));
}

async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const record of records) all.push(record);
  return all;
}

describe("parseLogArgs", () => {
  it("normalises the level and keeps only the flags given", () => {
    expect(parseLogArgs({ level: "warn", action: "backup", context: '{"job":"nightly"}', message: "done" })).toEqual({
      ok: true,
      record: { level: "WARN", action: "backup", context: { job: "nightly" }, message: "done" },
    });
    expect(parseLogArgs({})).toEqual({ ok: true, record: { level: "INFO" } });
  });

  it("names the argument that breaks a rule", () => {
    expect(parseLogArgs({ level: "loud" })).toEqual({
      ok: false,
      error: "--level: one of INFO, WARN, ERROR, CRITICAL",
    });
    expect(parseLogArgs({ agent: "" })).toEqual({ ok: false, error: "--agent: 1 to 50 characters" });
    expect(parseLogArgs({ action: "a".repeat(101) })).toEqual({ ok: false, error: "--action: at most 100 characters" });
    expect(parseLogArgs({ context: "[1]" })).toEqual({ ok: false, error: "--context: a JSON object" });
    expect(parseLogArgs({ context: "{job:1}" })).toMatchObject({ ok: false, error: /^--context: not valid JSON/ });
    expect(parseLogArgs({ message: "m".repeat(MAX_MESSAGE_LENGTH + 1) })).toEqual({
      ok: false,
      error: `MSG: longer than ${MAX_MESSAGE_LENGTH} characters`,
    });
  });
});

describe("stdinRecords", () => {
  it("makes one record per non-blank line, across chunk boundaries and \\r\\n", async () => {
    const euro = Buffer.from("€");
    const stdin = pipedStdin([
      "first\r\nsec",
      "ond\n\n   \n",
      Buffer.concat([Buffer.from("price "), euro.subarray(0, 1)]),
      Buffer.concat([euro.subarray(1), Buffer.from("5\nno newline at the end")]),
    ]);
    const base = { level: "ERROR", agent: "cron" };
    expect(await collect(stdinRecords(stdin, base))).toEqual([
      { level: "ERROR", agent: "cron", message: "first" },
      { level: "ERROR", agent: "cron", message: "second" },
      { level: "ERROR", agent: "cron", message: "price €5" },
      { level: "ERROR", agent: "cron", message: "no newline at the end" },
    ]);
  });

  it("cuts a line longer than a message may be, keeping the total within the limit", async () => {
    const long = "a".repeat(MAX_MESSAGE_LENGTH * 5);
    const [record] = await collect(stdinRecords(pipedStdin([`${long}\nnext\n`]), { level: "INFO" }));
    expect(record?.message).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(record?.message.endsWith(MESSAGE_CUT_MARKER)).toBe(true);
    const exact = "b".repeat(MAX_MESSAGE_LENGTH);
    expect(await collect(stdinRecords(pipedStdin([exact]), { level: "INFO" }))).toEqual([
      { level: "INFO", message: exact },
    ]);
  });

  it("cuts between characters, never inside a surrogate pair", () => {
    const keep = MAX_MESSAGE_LENGTH - MESSAGE_CUT_MARKER.length;
    const text = `${"c".repeat(keep - 1)}🎉 and more`;
    expect(cutMessage(text)).toBe(`${"c".repeat(keep - 1)}${MESSAGE_CUT_MARKER}`);
    expect(cutMessage("short")).toBe("short");
  });
});

describe("sendLogs", () => {
  it("stores a list of records once, in order", async () => {
    const { file, stored } = await startBridge();
    const result = await sendLogs(file, [{ message: "a" }, { message: "b", level: "critical" }, { message: "c" }]);
    expect(result).toEqual({ ok: true, stored: 3, rejected: 0, errors: [] });
    expect(stored.map((record) => [record.message, record.level])).toEqual([
      ["a", "INFO"],
      ["b", "CRITICAL"],
      ["c", "INFO"],
    ]);
  });

  it("returns the daemon's errors with the number of the record refused", async () => {
    const { file, stored } = await startBridge();
    const result = await sendLogs(file, [{ message: "ok" }, { message: "x", level: "LOUD" }, { nope: true }]);
    expect(result).toEqual({
      ok: true,
      stored: 1,
      rejected: 2,
      errors: [
        { line: 2, error: "level: one of INFO, WARN, ERROR, CRITICAL" },
        { line: 3, error: "message: required, a string" },
      ],
    });
    expect(stored.map((record) => record.message)).toEqual(["ok"]);
  });

  it("streams many records through backpressure without losing or reordering any", async () => {
    const { file, stored } = await startBridge();
    async function* many() {
      for (let i = 0; i < 20_000; i++) yield { message: `event ${i} ${"p".repeat(100)}`, context: { i } };
    }
    expect(await sendLogs(file, many())).toMatchObject({ ok: true, stored: 20_000, rejected: 0 });
    expect(stored.map((record) => JSON.parse(record.context ?? "null").i)).toEqual(
      Array.from({ length: 20_000 }, (_, i) => i),
    );
  });

  it("keeps a bounded number of errors and counts the rest", async () => {
    const { file } = await startBridge();
    const result = await sendLogs(
      file,
      Array.from({ length: 5_000 }, () => ({ level: "nope", message: "m" })),
    );
    expect(result).toMatchObject({ ok: true, stored: 0, rejected: 5_000 });
    expect(result.ok && result.errors).toHaveLength(MAX_KEPT_ERRORS);
  });

  it("reports a buffer failure as a failure", async () => {
    const { file } = await startBridge(() => {
      throw new Error("SQLITE_FULL");
    });
    expect(await sendLogs(file, [{ message: "m" }])).toEqual({
      ok: false,
      error: "buffer unavailable: SQLITE_FULL (0 of 1 stored)",
    });
  });

  it("says the bridge is not running when there is no socket, or nobody listens on it", async () => {
    const missing = await socketPath();
    expect(await sendLogs(missing, [{ message: "m" }])).toEqual({
      ok: false,
      error: `the bridge is not running (no ingest socket at ${missing})`,
    });
    const stale = await socketPath();
    const script = `require("node:net").createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, "SIGKILL"))`;
    await once(spawn(process.execPath, ["-e", script], { stdio: "ignore" }), "exit");
    expect(await sendLogs(stale, [{ message: "m" }])).toEqual({
      ok: false,
      error: `the bridge is not running (no ingest socket at ${stale})`,
    });
  });
});

describe("log command", () => {
  it("sends MSG with its flags", async () => {
    const { file, stored } = await startBridge();
    const values = {
      level: "error",
      agent: "deploy",
      action: "release",
      context: '{"version":"1.2.3"}',
      message: "hi",
    };
    expect(await log(file, values, pipedStdin([]))).toEqual({ ok: true, stored: 1 });
    expect(stored).toEqual([
      {
        timestamp: expect.any(String),
        level: "ERROR",
        agent: "deploy",
        action: "release",
        message: "hi",
        context: '{"version":"1.2.3"}',
      },
    ]);
  });

  it("sends each line piped in when no MSG is given", async () => {
    const { file, stored } = await startBridge();
    const result = await log(file, { agent: "tail" }, pipedStdin(["line one\nline ", "two\n"]));
    expect(result).toEqual({ ok: true, stored: 2 });
    expect(stored.map((record) => [record.agent, record.message])).toEqual([
      ["tail", "line one"],
      ["tail", "line two"],
    ]);
  });

  it("refuses to wait on a terminal for lines that will not come", async () => {
    const { file } = await startBridge();
    const terminal = Object.assign(pipedStdin([]), { isTTY: true });
    expect(await log(file, {}, terminal)).toEqual({
      ok: false,
      error: "give a message, or pipe lines into nervesys-bridge log",
    });
  });

  it("fails on a bad flag before connecting, and when the bridge is not running", async () => {
    const missing = await socketPath();
    expect(await log(missing, { level: "loud", message: "m" }, pipedStdin([]))).toEqual({
      ok: false,
      error: "--level: one of INFO, WARN, ERROR, CRITICAL",
    });
    expect(await log(missing, { message: "m" }, pipedStdin([]))).toEqual({
      ok: false,
      error: `the bridge is not running (no ingest socket at ${missing})`,
    });
  });
});
