// Local ingest against real listeners: a UNIX socket spoken to with node:net, loopback HTTP with
// fetch and node:http (which, unlike fetch, lets a test forge Host and Origin headers).
import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { lstat, mkdtemp, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LogRecord } from "@nervesys/core/logs";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logger";
import { type IngestServer, type IngestServerOptions, startIngestServer } from "./ingest-server";

const NOW = new Date("2025-01-02T03:04:05.000Z");
const servers: IngestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function socketPath(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), "ingest-")), "ingest.sock");
}

/** A server whose sink keeps each call's batch, so tests can see both what was stored and how. */
async function start(options: Partial<IngestServerOptions> = {}) {
  const batches: LogRecord[][] = [];
  const server = await startIngestServer({
    socketPath: null,
    http: null,
    sink: (records) => batches.push(records),
    logger: createLogger("silent"),
    now: () => NOW,
    ...options,
  });
  servers.push(server);
  const messages = () => batches.flat().map((record) => record.message);
  return { server, batches, messages };
}

const line = (record: object) => `${JSON.stringify(record)}\n`;

type Reply = Record<string, unknown>;

/** A raw socket client that can wait for the n-th reply line before writing more. */
async function connectClient(socketPath: string) {
  const socket = net.createConnection(socketPath);
  await once(socket, "connect");
  const replies: Reply[] = [];
  const arrivals = new EventEmitter();
  let pending = "";
  socket.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const text of lines) replies.push(JSON.parse(text) as Reply);
    arrivals.emit("reply");
  });
  const closed = once(socket, "close");
  return {
    send: (data: string | Buffer) => socket.write(data),
    async reply(count: number): Promise<Reply[]> {
      while (replies.length < count) await once(arrivals, "reply");
      return replies.slice(0, count);
    },
    /** Half-closes and returns every reply, the summary last. */
    async finish(): Promise<Reply[]> {
      socket.end();
      await closed;
      return replies;
    },
  };
}

async function sendOnSocket(socketPath: string, data: string | Buffer): Promise<Reply[]> {
  const client = await connectClient(socketPath);
  client.send(data);
  return client.finish();
}

/** A socket file left by a daemon that was killed: the file is there, nobody listens. */
async function staleSocket(socketPath: string): Promise<void> {
  const script = `require("node:net").createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, "SIGKILL"))`;
  const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
  await once(child, "exit");
  expect((await lstat(socketPath)).isSocket()).toBe(true);
}

describe("ingest socket", () => {
  it("stores valid NDJSON exactly once, in order, in one batch per chunk, and ends with a summary", async () => {
    const file = await socketPath();
    const { batches } = await start({ socketPath: file });
    const replies = await sendOnSocket(
      file,
      line({ message: "one" }) + line({ message: "two", level: "warn", agent: "api" }) + line({ message: "three" }),
    );
    expect(replies).toEqual([{ ok: true, stored: 3, rejected: 0 }]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([
      { timestamp: NOW.toISOString(), level: "INFO", agent: "bridge", action: null, message: "one", context: null },
      { timestamp: NOW.toISOString(), level: "WARN", agent: "api", action: null, message: "two", context: null },
      { timestamp: NOW.toISOString(), level: "INFO", agent: "bridge", action: null, message: "three", context: null },
    ]);
  });

  it("joins a line split across chunks, even inside a multi-byte character", async () => {
    const file = await socketPath();
    const { messages } = await start({ socketPath: file });
    const client = await connectClient(file);
    const record = Buffer.from(line({ message: "café ☕" }));
    const splitAt = record.indexOf(Buffer.from("é")) + 1;
    // The invalid first line is answered once this chunk is read: the rest then surely comes as another chunk.
    client.send(Buffer.concat([Buffer.from("nope\n"), record.subarray(0, splitAt)]));
    expect(await client.reply(1)).toEqual([{ ok: false, line: 1, error: expect.stringContaining("not valid JSON") }]);
    client.send(record.subarray(splitAt));
    expect((await client.finish()).at(-1)).toEqual({ ok: true, stored: 1, rejected: 1 });
    expect(messages()).toEqual(["café ☕"]);
  });

  it("answers each invalid line with its number, stores none of them, and lets the others through", async () => {
    const file = await socketPath();
    const { messages } = await start({ socketPath: file });
    const input = [
      line({ message: "first" }),
      "this is not json\n",
      "[1,2,3]\n",
      line({ message: 42 }),
      "\n",
      line({ message: "loud", level: "LOUD" }),
      line({ message: "last", context: { job: 7 } }),
    ].join("");
    const replies = await sendOnSocket(file, input);
    expect(replies).toEqual([
      { ok: false, line: 2, error: "not valid JSON: send one JSON object per line" },
      { ok: false, line: 3, error: "a record must be a JSON object" },
      { ok: false, line: 4, error: "message: required, a string" },
      { ok: false, line: 6, error: "level: one of INFO, WARN, ERROR, CRITICAL" },
      { ok: true, stored: 2, rejected: 4 },
    ]);
    expect(messages()).toEqual(["first", "last"]);
  });

  it("refuses a line over 64 KiB, discards all of it, and carries on with the next line", async () => {
    const file = await socketPath();
    const { messages } = await start({ socketPath: file });
    const huge = line({ message: "x".repeat(200_000) });
    const replies = await sendOnSocket(file, `${huge}${line({ message: "after" })}`);
    expect(replies).toEqual([
      { ok: false, line: 1, error: "line longer than 65536 bytes: it was discarded" },
      { ok: true, stored: 1, rejected: 1 },
    ]);
    expect(messages()).toEqual(["after"]);
  });

  it("reads a line of exactly 64 KiB before its \\r\\n as a line, not as an oversized one", async () => {
    const file = await socketPath();
    await start({ socketPath: file });
    const record = JSON.stringify({ message: "" });
    const exact = `${record.slice(0, -2)}${"y".repeat(64 * 1024 - record.length)}"}`;
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    const replies = await sendOnSocket(file, `${exact}\r\n`);
    expect(replies[0]).toEqual({ ok: false, line: 1, error: "message: longer than 16384 characters" });
  });

  it("stores a last line that has no newline before the client half-closes", async () => {
    const file = await socketPath();
    const { messages } = await start({ socketPath: file });
    const replies = await sendOnSocket(file, `${line({ message: "a" })}{"message":"b"}`);
    expect(replies).toEqual([{ ok: true, stored: 2, rejected: 0 }]);
    expect(messages()).toEqual(["a", "b"]);
  });

  it("answers 'buffer unavailable' when the sink throws, and keeps serving", async () => {
    const file = await socketPath();
    let failing = true;
    const stored: string[] = [];
    await start({
      socketPath: file,
      sink: (records) => {
        if (failing) throw new Error("database is locked");
        stored.push(...records.map((record) => record.message));
      },
    });
    const replies = await sendOnSocket(file, line({ message: "lost" }));
    expect(replies).toEqual([
      { ok: false, error: "buffer unavailable: database is locked" },
      { ok: true, stored: 0, rejected: 1 },
    ]);
    failing = false;
    expect(await sendOnSocket(file, line({ message: "kept" }))).toEqual([{ ok: true, stored: 1, rejected: 0 }]);
    expect(stored).toEqual(["kept"]);
  });

  it("creates the socket with mode 0600 whatever the umask", async () => {
    const file = await socketPath();
    const previous = process.umask(0);
    try {
      await start({ socketPath: file });
    } finally {
      process.umask(previous);
    }
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("replaces a stale socket left by a killed daemon", async () => {
    const file = await socketPath();
    await staleSocket(file);
    const { messages } = await start({ socketPath: file });
    expect(await sendOnSocket(file, line({ message: "fresh" }))).toEqual([{ ok: true, stored: 1, rejected: 0 }]);
    expect(messages()).toEqual(["fresh"]);
  });

  it("does not steal a socket another bridge is listening on", async () => {
    const file = await socketPath();
    const first = await start({ socketPath: file });
    await expect(start({ socketPath: file })).rejects.toThrow(`another bridge is listening on ${file}`);
    expect(await sendOnSocket(file, line({ message: "still here" }))).toEqual([{ ok: true, stored: 1, rejected: 0 }]);
    expect(first.messages()).toEqual(["still here"]);
  });

  it("never deletes a file that is not a socket", async () => {
    const file = await socketPath();
    await writeFile(file, "precious");
    await expect(start({ socketPath: file })).rejects.toThrow("exists and is not a socket");
    expect((await lstat(file)).isFile()).toBe(true);
  });

  it("refuses a socket path too long to bind rather than binding a shortened one", async () => {
    const dir = path.dirname(await socketPath());
    const file = path.join(dir, `${"s".repeat(120)}.sock`);
    await expect(start({ socketPath: file })).rejects.toThrow("over the 107 a UNIX socket allows");
  });

  it("removes the socket file on close, even with a client still connected", async () => {
    const file = await socketPath();
    const { server } = await start({ socketPath: file });
    const idle = net.createConnection(file);
    await once(idle, "connect");
    idle.on("error", () => {});
    await server.close();
    await expect(lstat(file)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

const TOKEN = "a-test-token-of-32-characters-or-more";
const HTTP = { port: 0, token: TOKEN };

type HttpAnswer = { status: number; headers: http.IncomingHttpHeaders; body: any };

/** A request with full control over its headers; `host` and `authorization` default to a local client's. */
function request(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "POST",
        path: options.path ?? "/v1/logs",
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

async function post(port: number, body: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/logs`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe("ingest HTTP", () => {
  it("binds an ephemeral loopback port and stores an NDJSON body in order", async () => {
    const { server, batches } = await start({ http: HTTP });
    const port = server.httpPort!;
    expect(port).toBeGreaterThan(0);
    const answer = await post(port, line({ message: "one" }) + line({ message: "two", action: "deploy" }));
    expect(answer).toEqual({ status: 200, body: { stored: 2, rejected: 0, errors: [] } });
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((record) => [record.message, record.action])).toEqual([
      ["one", null],
      ["two", "deploy"],
    ]);
  });

  it("accepts a single JSON object and a JSON array, numbering array items in errors", async () => {
    const { server, messages } = await start({ http: HTTP });
    const port = server.httpPort!;
    const pretty = JSON.stringify({ message: "pretty", context: { a: 1 } }, null, 2);
    expect(await post(port, pretty)).toEqual({ status: 200, body: { stored: 1, rejected: 0, errors: [] } });
    const array = JSON.stringify([{ message: "x" }, "not an object", { message: "y" }]);
    expect(await post(port, array)).toEqual({
      status: 200,
      body: { stored: 2, rejected: 1, errors: [{ line: 2, error: "a record must be a JSON object" }] },
    });
    expect(messages()).toEqual(["pretty", "x", "y"]);
  });

  it("reports invalid NDJSON lines by number and lists at most 20 of them", async () => {
    const { server, messages } = await start({ http: HTTP });
    const body = `${line({ message: "kept" })}${"garbage\n".repeat(25)}`;
    const answer = await post(server.httpPort!, body);
    expect(answer.status).toBe(200);
    expect(answer.body.stored).toBe(1);
    expect(answer.body.rejected).toBe(25);
    expect(answer.body.errors).toHaveLength(20);
    expect(answer.body.errors[0]).toEqual({ line: 2, error: "not valid JSON: send one JSON object per line" });
    expect(messages()).toEqual(["kept"]);
  });

  it("answers 400 with the same shape when nothing valid was sent", async () => {
    const { server, batches } = await start({ http: HTTP });
    const answer = await post(server.httpPort!, JSON.stringify([[1], { level: "INFO" }]));
    expect(answer).toEqual({
      status: 400,
      body: {
        stored: 0,
        rejected: 2,
        errors: [
          { line: 1, error: "a record must be a JSON object" },
          { line: 2, error: "message: required, a string" },
        ],
        error: { code: "no_valid_records", message: "no valid record in the body: see errors" },
      },
    });
    expect(batches).toEqual([]);
  });

  it("answers 400 invalid_json to a body that is not JSON, and to an empty one", async () => {
    const { server, batches } = await start({ http: HTTP });
    const port = server.httpPort!;
    for (const body of ['{"message": "unterminated', ""]) {
      const answer = await post(port, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("invalid_json");
    }
    expect(batches).toEqual([]);
  });

  it("answers 413 to a body over 1 MiB, declared or streamed, and stays up", async () => {
    const { server, batches } = await start({ http: HTTP });
    const port = server.httpPort!;
    const big = line({ message: "z".repeat(1000) }).repeat(1100);
    expect((await request(port, { body: big })).status).toBe(413);
    const chunked = await request(port, { headers: { "transfer-encoding": "chunked" }, body: big });
    expect(chunked).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
    expect(batches).toEqual([]);
    expect((await post(port, line({ message: "small" }))).status).toBe(200);
  });

  it("refuses a foreign Host (DNS rebinding) and any request with an Origin", async () => {
    const { server, batches } = await start({ http: HTTP });
    const port = server.httpPort!;
    const body = line({ message: "sneaky" });
    const hostile: Array<Record<string, string>> = [
      { host: `evil.example:${port}` },
      { host: "127.0.0.1" },
      { host: `127.0.0.1:${port + 1}` },
      { origin: "https://evil.example" },
      { origin: "null" },
    ];
    for (const headers of hostile) {
      const answer = await request(port, { headers, body });
      expect(answer).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    }
    expect((await request(port, { headers: { host: `localhost:${port}` }, body })).status).toBe(200);
    expect(batches).toHaveLength(1);
  });

  it("refuses a request without the token, with another one or another scheme, and stores nothing", async () => {
    const { server, batches } = await start({ http: HTTP });
    const port = server.httpPort!;
    const body = line({ message: "unauthenticated" });
    const wrong = ["", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, `Bearer  ${TOKEN}`, TOKEN];
    for (const authorization of wrong) {
      const answer = await request(port, { headers: { authorization }, body });
      expect(answer).toMatchObject({
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="nervesys-ingest"' },
        body: { error: { code: "unauthorized", message: expect.stringContaining("ingest-http.token") } },
      });
    }
    // Also before routing: without the token, nothing tells which paths or methods exist.
    expect(await request(port, { path: "/", headers: { authorization: "" } })).toMatchObject({ status: 401 });
    expect(batches).toEqual([]);
    expect((await request(port, { headers: { authorization: `bearer ${TOKEN}` }, body })).status).toBe(200);
    expect(batches).toHaveLength(1);
  });

  it("closes the connection after a refusal, so a body it never reads cannot be streamed in", async () => {
    const { server, batches } = await start({ http: HTTP });
    const port = server.httpPort!;
    const socket = net.createConnection(port, "127.0.0.1");
    await once(socket, "connect");
    socket.on("error", () => {}); // writes racing the server's close may fail
    let received = "";
    socket.on("data", (data: Buffer) => (received += data.toString("utf8")));
    const closed = once(socket, "close");
    socket.write(`POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = line({ message: "endless" });
    const stream = setInterval(() => socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`), 5);
    try {
      await closed;
    } finally {
      clearInterval(stream);
    }
    expect(received).toMatch(/^HTTP\/1\.1 401 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(batches).toEqual([]);
  });

  it("answers 404 to other paths and 405 with Allow to other methods", async () => {
    const { server } = await start({ http: HTTP });
    const port = server.httpPort!;
    expect(await request(port, { path: "/v1/other" })).toMatchObject({ status: 404 });
    expect(await request(port, { path: "/" })).toMatchObject({ status: 404 });
    const get = await request(port, { method: "GET" });
    expect(get).toMatchObject({
      status: 405,
      headers: { allow: "POST" },
      body: { error: { code: "method_not_allowed" } },
    });
    expect(await request(port, { method: "PUT", body: "{}" })).toMatchObject({ status: 405 });
  });

  it("answers 503 when the sink throws", async () => {
    const { server } = await start({
      http: HTTP,
      sink: () => {
        throw new Error("disk I/O error");
      },
    });
    expect(await post(server.httpPort!, line({ message: "m" }))).toEqual({
      status: 503,
      body: { error: { code: "unavailable", message: "buffer unavailable: disk I/O error" } },
    });
  });

  it("leaves no socket behind when the HTTP port is taken", async () => {
    const { server: holder } = await start({ http: HTTP });
    const file = await socketPath();
    await expect(start({ socketPath: file, http: { ...HTTP, port: holder.httpPort! } })).rejects.toThrow(
      `cannot serve log ingest on 127.0.0.1:${holder.httpPort}`,
    );
    await expect(lstat(file)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
