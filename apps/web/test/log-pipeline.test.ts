// The lean agent pipeline end to end, with real processes: a control plane, bridges, the local S3
// server checking signatures (behind a fault-injecting proxy), the bridges' SQLite buffers. Records
// go in through the bridge's ingest endpoint and `nervesys-bridge log`, and are looked for in the
// archive itself: every one exactly once, whatever crashes or outages happen on the way.
import { createHash } from "node:crypto";
import { appendFile, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { type ArchiveStore, DirectoryArchiveStore, S3ArchiveStore } from "@nervesys/archive";
import { type S3TestServer, startS3TestServer } from "@nervesys/archive/testing";
import { ArchivedLineReader, type ArchivedLogLine } from "@nervesys/core/logs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiClient,
  type BridgeRun,
  bridge,
  type ControlPlaneProcess,
  freePort,
  signedInUser,
  startControlPlane,
  stopProcess,
  tempDir,
} from "./harness";
import { type StorageProxy, startStorageProxy } from "./storage-proxy";

const S3 = { accessKeyId: "AKPIPELINETEST", secretAccessKey: "pipeline-test-secret", bucket: "nervesys-logs" };
const MiB = 1024 * 1024;

let s3: S3TestServer;
let proxy: StorageProxy;
let cp: ControlPlaneProcess;
let dataDir: string;
let carol: string; // ships to the platform archive (no bucket of her own)
let alice: string; // ships to her own bucket, through the proxy
let bucket: S3ArchiveStore;
const daemons: BridgeRun[] = [];

beforeAll(async () => {
  s3 = await startS3TestServer(S3);
  proxy = await startStorageProxy(s3.endpoint);
  bucket = new S3ArchiveStore({ ...S3, endpoint: s3.endpoint, region: "eu1" });
  dataDir = await tempDir("cp");
  cp = await startControlPlane({
    dataDir,
    env: { ARCHIVE_UPLOAD_INTERVAL_SECONDS: "10", ARCHIVE_FLUSH_MB: "0.0625", ARCHIVE_GZIP_LEVEL: "1" },
  });
  carol = await signedInUser(cp, `carol-${Date.now()}@example.com`);
  alice = await signedInUser(cp, `alice-${Date.now()}@example.com`);
});

afterAll(async () => {
  await Promise.all(daemons.map((d) => stopProcess(d.child)));
  await cp?.stop();
  bucket?.destroy();
  await proxy?.close();
  await s3?.close();
});

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Bridge = { serverId: string; home: string; ingestPort: number; env: Record<string, string>; daemon: BridgeRun };

function runDaemon(b: Omit<Bridge, "daemon">): BridgeRun {
  const daemon = bridge(["run"], b.home, { NERVESYS_INGEST_HTTP_PORT: String(b.ingestPort), ...b.env });
  daemons.push(daemon);
  return daemon;
}

async function startBridge(
  cookie: string,
  name: string,
  env: Record<string, string> = {},
  before?: (home: string) => Promise<void>,
) {
  const created = await apiClient(cp, cookie)("POST", "/api/servers", { name });
  expect(created.status).toBe(201);
  const home = await tempDir("bridge");
  const enrolled = bridge(["enroll", "--url", cp.url, "--token", created.json.enrollment.token], home);
  expect(await enrolled.exit).toBe(0);
  await before?.(home);
  const b = { serverId: created.json.server.id as string, home, ingestPort: await freePort(), env };
  const daemon = runDaemon(b);
  await ingestReady(b);
  return { ...b, daemon } satisfies Bridge;
}

async function restart(b: Bridge, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  await stopProcess(b.daemon.child, signal);
  b.daemon = runDaemon(b);
  await ingestReady(b);
}

/** The daemon is up once its ingest endpoint answers (it starts after the buffer is open), and only to its token. */
async function ingestReady(b: Omit<Bridge, "daemon">): Promise<void> {
  await until(
    () =>
      fetch(`http://127.0.0.1:${b.ingestPort}/v1/logs`, { method: "POST", body: "{}" }).then(
        (r) => r.status === 401,
        () => false,
      ),
    "the bridge's ingest endpoint",
  );
}

/** Where a bridge keeps the bearer token for HTTP ingest, made by its daemon at first start. */
const ingestTokenFile = (home: string) => path.join(home, "ingest-http.token");
const ingestToken = async (b: Bridge) => (await readFile(ingestTokenFile(b.home), "utf8")).trim();

const records = (tag: string, count: number, size = 80) =>
  Array.from({ length: count }, (_, i) => ({
    level: i % 10 === 0 ? "WARN" : "INFO",
    agent: "test",
    action: "request",
    message: `${tag}-${i} ${"x".repeat(size)}`,
    context: { i },
  }));

async function ingest(b: Bridge, lines: object[]): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${b.ingestPort}/v1/logs`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${await ingestToken(b)}` },
    body: `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`,
  });
  const body = (await response.json()) as { stored: number };
  expect(response.status).toBe(200);
  expect(body.stored).toBe(lines.length);
}

/** Every line of every object of the server in `store`. */
async function archivedLines(store: ArchiveStore, serverId: string): Promise<ArchivedLogLine[]> {
  const lines: ArchivedLogLine[] = [];
  for (const key of await store.list(`logs/${serverId}/`)) {
    const body = await store.get(key);
    if (!body) continue;
    const reader = new ArchivedLineReader();
    for (const raw of gunzipSync(body).toString("utf8").split("\n")) {
      if (raw) lines.push(reader.read(raw));
    }
  }
  return lines;
}

/** How often each record of `tag` ("tag-N …") appears across every object of the server in `store`. */
async function archived(store: ArchiveStore, serverId: string, tag: string): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const pattern = new RegExp(`^${tag}-(\\d+) `);
  for (const line of await archivedLines(store, serverId)) {
    const match = line.message.match(pattern);
    if (match) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
  }
  return counts;
}

async function archivedExactlyOnce(store: ArchiveStore, b: Bridge, tag: string, count: number): Promise<void> {
  let counts = new Map<number, number>();
  await until(async () => {
    counts = await archived(store, b.serverId, tag);
    return counts.size === count;
  }, `${count} "${tag}" records in the archive`);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
}

/** The bridge's buffer file as it is on disk (WAL mode lets a reader in beside the daemon). */
function bufferRows(b: Bridge, tag: string): number {
  const db = new Database(path.join(b.home, "buffer.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT count(*) FROM logs WHERE message LIKE ?").pluck().get(`${tag}-%`) as number;
  } finally {
    db.close();
  }
}

function bufferCounter(b: Bridge, name: string): number {
  const db = new Database(path.join(b.home, "buffer.db"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT value FROM counters WHERE name = ?").pluck().get(name) as number | undefined) ?? 0;
  } finally {
    db.close();
  }
}

async function bufferFileBytes(b: Bridge): Promise<number> {
  let total = 0;
  for (const suffix of ["", "-wal", "-shm"])
    total += await stat(path.join(b.home, `buffer.db${suffix}`)).then(
      (s) => s.size,
      () => 0,
    );
  return total;
}

async function serverSummary(cookie: string, serverId: string) {
  return (await apiClient(cp, cookie)("GET", `/api/servers/${serverId}`)).json.server;
}

describe("shipping to the platform archive through the control plane", () => {
  let b: Bridge;
  const platform = () => new DirectoryArchiveStore(path.join(dataDir, "archive"));

  beforeAll(async () => {
    b = await startBridge(carol, "pipe-platform");
  });

  it("archives every record exactly once, empties the buffer, and indexes every object", async () => {
    await ingest(b, records("a", 3000));
    const cli = bridge(
      ["log", "--level", "warn", "--agent", "test", "--action", "deploy", "a-3000 from the command line"],
      b.home,
    );
    expect(await cli.exit).toBe(0);
    await archivedExactlyOnce(platform(), b, "a", 3001);
    expect(bufferRows(b, "a")).toBe(0);
    // The bridge's own log lines are archived too.
    const own = (await archivedLines(platform(), b.serverId)).filter((l) => l.agent === "bridge");
    expect(own.map((l) => l.message)).toContain("connected to control plane");
    await until(async () => {
      const status = bridge(["status"], b.home);
      await status.exit;
      const text = status.output.text;
      const token = ingestTokenFile(b.home);
      const ingest = `http://127.0.0.1:${b.ingestPort}/v1/logs (Authorization: Bearer, the token in ${token})`;
      return /buffer: +[\d.]+ MiB/.test(text) && /last upload: +\d{4}-/.test(text) && text.includes(ingest);
    }, "`status` to show the buffer, the last upload and where to send logs with which token");

    const keys = await platform().list(`logs/${b.serverId}/`);
    // Compressed at the control plane's ARCHIVE_GZIP_LEVEL (1, not the default 9), which reached
    // the bridge at connect.
    for (const key of keys) {
      const body = (await platform().get(key))!;
      expect(body).toEqual(gzipSync(gunzipSync(body), { level: 1 }));
    }
    const days = [...new Set(keys.map((k) => k.split("/")[2]))];
    await until(async () => {
      const indexed: string[] = [];
      for (const day of days) {
        const listed = await apiClient(cp, carol)("GET", `/api/servers/${b.serverId}/archive?day=${day}`);
        indexed.push(...listed.json.objects.map((o: { key: string }) => o.key));
      }
      return keys.every((k) => indexed.includes(k));
    }, "every archived object in the control plane's index");
  });

  it("lets the owner browse, filter and download a batch, and nobody else", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const listed = await apiClient(cp, carol)("GET", `/api/servers/${b.serverId}/archive?day=${today}`);
    expect(listed.status).toBe(200);
    expect(listed.json.lastUpload).not.toBeNull();
    let found: { id: number; key: string; sha256: string } | null = null;
    let viewed: ArchivedLogLine | null = null;
    for (const object of listed.json.objects) {
      const view = await apiClient(cp, carol)(
        "GET",
        `/api/servers/${b.serverId}/archive/${object.id}/lines?level=WARN&agent=test&q=FROM+THE+COMMAND`,
      );
      expect(view.status).toBe(200);
      if (view.json.matched > 0) {
        expect(view.json.lines).toEqual([expect.objectContaining({ action: "deploy", level: "WARN" })]);
        found = object;
        viewed = view.json.lines[0];
      }
    }
    if (!found) throw new Error("the command-line record is in no listed batch");
    const download = await fetch(`${cp.url}/api/servers/${b.serverId}/archive/${found.id}`, {
      headers: { cookie: carol },
    });
    expect(download.headers.get("content-type")).toBe("application/gzip");
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(found.sha256);
    // Nothing was dropped, so the batch's lines are its key's seqs in order: the viewer gave the
    // line its seq though the archive leaves out all but the first.
    const firstSeq = Number(/-(\d+)-\d+\.json\.gz$/.exec(found.key)![1]);
    const lines = gunzipSync(bytes).toString("utf8").trimEnd().split("\n");
    expect(lines.filter((line) => line.startsWith('{"seq":'))).toEqual([lines[0]]);
    const { seq, ...record } = viewed!;
    const recordOf = (line: string) => {
      const { seq: _written, ...rest } = JSON.parse(line) as ArchivedLogLine;
      return rest;
    };
    expect(seq).toBe(firstSeq + lines.findIndex((line) => isDeepStrictEqual(recordOf(line), record)));

    const bob = await signedInUser(cp, `bob-${Date.now()}@example.com`);
    expect((await apiClient(cp, bob)("GET", `/api/servers/${b.serverId}/archive`)).status).toBe(404);
    expect((await apiClient(cp, bob)("GET", `/api/servers/${b.serverId}/archive/${found.id}`)).status).toBe(404);
    expect((await apiClient(cp, carol)("GET", `/api/servers/${b.serverId}/archive?day=yesterday`)).status).toBe(400);
    expect(
      (await apiClient(cp, carol)("GET", `/api/servers/${b.serverId}/archive/${found.id}/lines?level=LOUD`)).status,
    ).toBe(400);
  });

  it("refuses archive uploads that are unsigned, mis-signed, outside the bridge's prefix, or oversized", async () => {
    const put = (key: string, headers: Record<string, string>, body = "x") =>
      fetch(`${cp.url}/bridge/archive?key=${encodeURIComponent(key)}`, { method: "PUT", headers, body });
    const own = `logs/${b.serverId}/2026-01-01/00-00-00-1-1.json.gz`;
    const signedHeaders = {
      "x-nervesys-server": b.serverId,
      "x-nervesys-timestamp": new Date().toISOString(),
      "x-nervesys-signature": "A".repeat(86),
    };
    expect((await put(own, {})).status).toBe(401);
    expect((await put(own, signedHeaders)).status).toBe(401);
    expect((await put(`logs/${crypto.randomUUID()}/x.json.gz`, signedHeaders)).status).toBe(403);
    const stranger = crypto.randomUUID();
    expect((await put(`logs/${stranger}/x.json.gz`, { ...signedHeaders, "x-nervesys-server": stranger })).status).toBe(
      401,
    );
    expect((await put("../../etc/passwd", signedHeaders)).status).toBe(400);
    expect((await put(own, { ...signedHeaders, "x-nervesys-timestamp": "2020-01-01T00:00:00Z" })).status).toBe(401);
    expect((await fetch(`${cp.url}/bridge/archive?key=${own}`)).status).toBe(405);
    const oversized = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${cp.url}/bridge/archive?key=${encodeURIComponent(own)}`, {
        method: "PUT",
        headers: { ...signedHeaders, "content-length": String(65 * MiB) },
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.write("x");
    });
    expect(oversized).toBe(413);
    expect(await platform().list("logs/")).not.toContain(`logs/${b.serverId}/2026-01-01/00-00-00-1-1.json.gz`);

    // A server's upload that holds its body back keeps that server's next upload out (its memory
    // is held), until it goes away.
    const holdUpload = async (): Promise<http.ClientRequest> => {
      for (;;) {
        const held = http.request(`${cp.url}/bridge/archive?key=${encodeURIComponent(own)}`, {
          method: "PUT",
          headers: { ...signedHeaders, "content-length": String(8 * MiB) },
        });
        let answered = false;
        held.on("response", () => (answered = true));
        held.on("error", () => {});
        held.write("x");
        let busy = false;
        await until(async () => {
          if (!answered) busy = (await put(own, signedHeaders)).status === 429;
          return answered || busy;
        }, "an answer to the held upload or a probe");
        if (busy && !answered) return held;
        held.destroy(); // one of the probes was let in first: try again
      }
    };
    const held = await holdUpload();
    const busy = await put(own, signedHeaders);
    expect(busy.status).toBe(429);
    expect(await busy.json()).toMatchObject({ error: { code: "busy" } });
    held.destroy();
    await until(async () => (await put(own, signedHeaders)).status === 401, "the held upload to be let go");
  });

  it("tails a file across a restart and a rotation while the bridge was down: every line once", async () => {
    const logDir = await tempDir("tailed");
    const file = path.join(logDir, "app.log");
    const lines = (from: number, to: number) =>
      `${Array.from({ length: to - from }, (_, i) => `t-${from + i} GET /api/items 200`).join("\n")}\n`;
    await writeFile(file, "t-old written before the bridge was installed\n");
    const t = await startBridge(carol, "pipe-tail", { NERVESYS_TAIL_FILES: `web=${file}` });
    await appendFile(file, lines(0, 100));
    await archivedExactlyOnce(platform(), t, "t", 100);
    await stopProcess(t.daemon.child);
    await appendFile(file, lines(100, 200));
    await rename(file, `${file}.1`);
    await writeFile(file, lines(200, 300));
    t.daemon = runDaemon(t);
    await archivedExactlyOnce(platform(), t, "t", 300);
    const messages = (await archivedLines(platform(), t.serverId)).map((l) => l.message);
    expect(messages.some((m) => m.startsWith("t-old"))).toBe(false);
  });

  /** Makes HTTP ingest impossible for a bridge about to start; returns what its alert says and an undo. */
  type IngestBreakage = (home: string, port: number) => Promise<{ alert: string; undo(): void }>;
  const portTaken: IngestBreakage = async (_home, port) => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(port, "127.0.0.1", resolve));
    return { alert: `:${port} unavailable`, undo: () => taken.close() };
  };
  const tokenFileInvalid: IngestBreakage = async (home) => {
    await writeFile(ingestTokenFile(home), "too short\n");
    return { alert: "ingest-http.token holds no valid token", undo: () => {} };
  };

  it.each([
    ["its port is taken", portTaken],
    ["its token file holds no valid token", tokenFileInvalid],
  ])("runs on without HTTP ingest when %s, says so, and still takes `log`", async (_, breakIngest) => {
    const created = await apiClient(cp, carol)("POST", "/api/servers", { name: "pipe-no-http-ingest" });
    const home = await tempDir("bridge");
    expect(await bridge(["enroll", "--url", cp.url, "--token", created.json.enrollment.token], home).exit).toBe(0);
    const port = await freePort();
    const broken = await breakIngest(home, port);
    try {
      const p: Omit<Bridge, "daemon"> = { serverId: created.json.server.id, home, ingestPort: port, env: {} };
      const daemon = runDaemon(p);
      await daemon.output.waitFor(/log ingest over HTTP could not start/);
      const log = bridge(["log", "--agent", "test", "p-0 through the socket"], home);
      expect(await log.exit, log.output.text).toBe(0);
      await archivedExactlyOnce(platform(), { ...p, daemon }, "p", 1);
      await until(
        async () => (await serverSummary(carol, p.serverId)).alerts.some((a: string) => a.includes(broken.alert)),
        "the cause in the server's alerts",
      );
    } finally {
      broken.undo();
    }
  });

  it("sets a corrupt buffer file aside, says so, and keeps working", async () => {
    const c = await startBridge(carol, "pipe-corrupt", {}, (home) =>
      writeFile(path.join(home, "buffer.db"), "this is not a database ".repeat(500)),
    );
    await c.daemon.output.waitFor(/buffer file was unreadable/);
    expect((await readdir(c.home)).some((f) => f.startsWith("buffer.db.corrupt-"))).toBe(true);
    await ingest(c, records("f", 50));
    await archivedExactlyOnce(platform(), c, "f", 50);
    await until(
      async () => (await serverSummary(carol, c.serverId)).alerts.some((a: string) => a.includes("corrupt")),
      "the quarantine in the server's alerts",
    );
  });
});

describe("shipping to the owner's own bucket (S3, signatures checked)", () => {
  let b: Bridge;

  beforeAll(async () => {
    b = await startBridge(alice, "pipe-s3");
  });

  it("keeps storage settings sealed and masked, and validates them", async () => {
    const api = apiClient(cp, alice);
    expect((await api("GET", "/api/settings/storage")).json.storage).toEqual({ configured: false });
    const bad = await api("PUT", "/api/settings/storage", {
      ...S3,
      bucket: "Bad_Bucket",
      endpoint: proxy.endpoint,
      region: "eu1",
    });
    expect(bad.status).toBe(400);
    expect((await api("PUT", "/api/settings/storage", "{not json")).status).toBe(400);
    const noSecret = await api("PUT", "/api/settings/storage", {
      endpoint: proxy.endpoint,
      region: "eu1",
      bucket: S3.bucket,
      accessKeyId: S3.accessKeyId,
    });
    expect(noSecret.status).toBe(400);
    expect((await api("GET", "/api/settings/storage")).json.storage).toEqual({ configured: false });
  });

  it("fails uploads signed with a wrong secret, keeps the records, and ships them once the secret is fixed", async () => {
    const api = apiClient(cp, alice);
    const saved = await api("PUT", "/api/settings/storage", {
      endpoint: proxy.endpoint,
      region: "eu1",
      bucket: S3.bucket,
      accessKeyId: S3.accessKeyId,
      secretAccessKey: "not-the-secret",
    });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.json)).not.toContain("not-the-secret");
    expect(saved.json.storage.accessKeyId).not.toBe(S3.accessKeyId);
    expect(saved.json.storage.accessKeyId.slice(-4)).toBe(S3.accessKeyId.slice(-4));
    await b.daemon.output.waitFor(/"archive":"s3".*archive pipeline configured/);

    await ingest(b, records("b", 500));
    await b.daemon.output.waitFor(/upload failed; will retry/);
    expect((await archived(bucket, b.serverId, "b")).size).toBe(0);
    expect(bufferRows(b, "b")).toBe(500);
    await until(
      async () =>
        (await serverSummary(alice, b.serverId)).alerts.some((a: string) => a.includes("archive upload failing")),
      "the failing uploads in the server's alerts",
    );

    const bob = await signedInUser(cp, `bob2-${Date.now()}@example.com`);
    expect((await apiClient(cp, bob)("GET", "/api/settings/storage")).json.storage).toEqual({ configured: false });
    expect(
      (
        await api("PUT", "/api/settings/storage", {
          endpoint: proxy.endpoint,
          region: "eu1",
          bucket: S3.bucket,
          accessKeyId: S3.accessKeyId,
          secretAccessKey: S3.secretAccessKey,
        })
      ).status,
    ).toBe(200);
    await archivedExactlyOnce(bucket, b, "b", 500);
    expect(bufferRows(b, "b")).toBe(0);
  });

  it("loses and duplicates nothing when the bridge is killed with -9 after an object was stored but before it knew", async () => {
    proxy.mode = "swallow";
    const swallowedBefore = proxy.swallowed;
    await ingest(b, records("c", 2000));
    await until(() => proxy.swallowed > swallowedBefore, "an upload stored upstream and left unanswered");
    b.daemon.child.kill("SIGKILL");
    await b.daemon.exit;
    proxy.mode = "pass";
    await restart(b);
    await archivedExactlyOnce(bucket, b, "c", 2000);
    expect(bufferRows(b, "c")).toBe(0);
  });

  it("keeps records while storage is down, under the cap, and drains them all when it returns", async () => {
    proxy.mode = "down";
    await ingest(b, records("d", 1500));
    await b.daemon.output.waitFor(/ServiceUnavailable|upload failed/);
    await new Promise((r) => setTimeout(r, 3_000)); // a few more failed attempts
    expect(bufferRows(b, "d")).toBe(1500);
    expect(await bufferFileBytes(b)).toBeLessThanOrEqual(100 * MiB);
    proxy.mode = "pass";
    await archivedExactlyOnce(bucket, b, "d", 1500);
    expect(bufferRows(b, "d")).toBe(0);
  });

  it("offered 150 MB while storage is down: never over the cap, and the drop counter equals what is missing", async () => {
    // Log level error: the bridge's own (warning) lines stay out of the buffer, so every record
    // in it is one this test offered and the drop counter can be compared exactly.
    const e = await startBridge(alice, "pipe-flood", { NERVESYS_LOG_LEVEL: "error" });
    proxy.mode = "down";
    const perPost = 900;
    const size = 1024;
    let offered = 0;
    let peak = 0;
    while (offered * (size + 120) < 150 * MiB) {
      const batch = records("e", perPost, size).map((r, i) => ({
        ...r,
        message: `e-${offered + i} ${"y".repeat(size)}`,
      }));
      await ingest(e, batch);
      offered += perPost;
      peak = Math.max(peak, await bufferFileBytes(e));
      expect(peak).toBeLessThanOrEqual(100 * MiB);
    }
    const dropped = bufferCounter(e, "dropped_records");
    expect(dropped).toBeGreaterThan(0);
    await until(
      async () => ((await serverSummary(alice, e.serverId)).metrics?.buffer_dropped_records ?? 0) > 0,
      "the drops in the heartbeat",
    );
    proxy.mode = "pass";
    let counts = new Map<number, number>();
    await until(
      async () => {
        if (bufferRows(e, "e") > 0) return false;
        counts = await archived(bucket, e.serverId, "e");
        return true;
      },
      "the buffer to drain",
      120_000,
    );
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(offered - counts.size).toBe(bufferCounter(e, "dropped_records"));
    // The oldest went first: what survived is the batch already claimed for upload when storage
    // went down (never dropped: it is in flight) and then the newest records, without a gap.
    const kept = [...counts.keys()].sort((x, y) => x - y);
    const runs = kept.filter((n, i) => i === 0 || kept[i - 1] !== n - 1);
    expect(runs.length).toBeLessThanOrEqual(2);
    if (runs.length === 2) expect(runs[0]).toBe(0);
    expect(kept.at(-1)).toBe(offered - 1);
    // Each line's seq, written only after a gap, is read back as the record's place in the buffer.
    const offsets = new Set<number>();
    for (const line of await archivedLines(bucket, e.serverId)) {
      const n = /^e-(\d+) /.exec(line.message)?.[1];
      if (n) offsets.add(line.seq - Number(n));
    }
    expect(offsets.size).toBe(1);
  }, 300_000);
});

describe("heartbeats while the control plane is away", () => {
  it("are kept by the bridge and backfilled, so the chart has no gap", async () => {
    const b = await startBridge(carol, "pipe-backfill");
    await until(async () => (await serverSummary(carol, b.serverId)).state === "online", "the bridge online");
    const stoppedAt = Date.now();
    await cp.stop();
    await new Promise((r) => setTimeout(r, 12_000)); // over two heartbeat intervals (5 s)
    const restartedAt = Date.now();
    cp = await startControlPlane({
      dataDir,
      port: cp.port,
      env: { ARCHIVE_UPLOAD_INTERVAL_SECONDS: "10", ARCHIVE_FLUSH_MB: "0.0625" },
    });
    let inGap: string[] = [];
    await until(async () => {
      const res = await apiClient(cp, carol)("GET", `/api/servers/${b.serverId}/samples?minutes=10`);
      inGap = res.json.samples
        .map((s: { timestamp: string }) => s.timestamp)
        .filter((t: string) => Date.parse(t) > stoppedAt && Date.parse(t) < restartedAt);
      return inGap.length >= 2;
    }, "samples from the outage");
    expect(inGap.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
