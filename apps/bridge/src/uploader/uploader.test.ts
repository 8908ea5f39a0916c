// The uploader against real stores: a local directory, and a real S3 server checking signatures.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { type ArchiveStore, DirectoryArchiveStore, S3ArchiveStore } from "@nervesys/archive";
import { startS3TestServer } from "@nervesys/archive/testing";
import { ArchivedLineReader, normaliseLogRecord } from "@nervesys/core/logs";
import { describe, expect, it } from "vitest";
import { openBuffer } from "../buffer/open-buffer";
import { createLogger } from "../logger";
import { type BatchEncoder, InlineBatchEncoder } from "./batch-encoder";
import { createRedactor } from "./redact";
import { type UploadedObject, Uploader, type UploaderOptions } from "./uploader";

const MiB = 1024 * 1024;
const dir = (name: string) => mkdtemp(path.join(tmpdir(), `${name}-`));

function ingest(buffer: ReturnType<typeof openBuffer>["buffer"], from: number, count: number) {
  const records = [];
  for (let i = from; i < from + count; i++) {
    const r = normaliseLogRecord({
      message: `event ${i} password=hunter${i}`,
      level: i % 50 === 0 ? "ERROR" : "INFO",
      context: { i },
    });
    if (!r.ok) throw new Error(r.error);
    records.push(r.record);
  }
  buffer.append(records);
}

async function setUp(store: ArchiveStore, options: { bufferFile?: string } & Partial<UploaderOptions> = {}) {
  const { bufferFile, ...overrides } = options;
  const { buffer } = openBuffer(bufferFile ?? path.join(await dir("buf"), "buffer.db"), 100 * MiB);
  const uploaded: UploadedObject[] = [];
  const uploader = new Uploader({
    buffer,
    store,
    server: "web-01",
    redact: createRedactor(),
    gzipLevel: 6,
    logger: createLogger("silent"),
    intervalMs: 60_000,
    flushBytes: 10 * MiB,
    batchBytes: 64 * 1024,
    backoff: { baseMs: 10, capMs: 50 },
    onUploaded: (o) => uploaded.push(o),
    ...overrides,
  });
  return { buffer, uploader, uploaded };
}

async function archivedSeqs(store: ArchiveStore, objects: UploadedObject[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const object of objects) {
    const body = await store.get(object.key);
    if (!body) throw new Error(`missing ${object.key}`);
    const lines = gunzipSync(body).toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(object.records);
    const reader = new ArchivedLineReader();
    for (const line of lines) seqs.push(reader.read(line).seq);
  }
  return seqs;
}

describe("Uploader", () => {
  it("ships in one drain only what was buffered when it began (a report logged per upload cannot loop)", async () => {
    const store = new DirectoryArchiveStore(await dir("archive"));
    let next = 100_000;
    const setup = await setUp(store, {
      // Like the bridge's own "batch uploaded" line, each upload adds a record to the buffer.
      onUploaded: (o) => {
        setup.uploaded.push(o);
        ingest(setup.buffer, next++, 1);
      },
    });
    const { buffer, uploader, uploaded } = setup;
    ingest(buffer, 0, 2_000);
    expect(await uploader.drain()).toBe(true);
    const first = await archivedSeqs(store, uploaded);
    expect(first).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
    expect(buffer.recordCount()).toBe(uploaded.length);
    buffer.close();
  });

  it("ships every record exactly once, redacted, then leaves the buffer empty (directory store)", async () => {
    const store = new DirectoryArchiveStore(await dir("archive"));
    const { buffer, uploader, uploaded } = await setUp(store);
    ingest(buffer, 0, 5_000);
    expect(await uploader.drain()).toBe(true);
    expect(uploaded.length).toBeGreaterThan(1);
    expect(uploaded[0]!.key).toMatch(/^logs\/web-01\/\d{4}-\d{2}-\d{2}\/\d{2}-\d{2}-\d{2}-1-\d+\.json\.gz$/);
    const seqs = await archivedSeqs(store, uploaded);
    expect(seqs).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    const sample = gunzipSync((await store.get(uploaded[0]!.key))!).toString();
    expect(sample).not.toContain("hunter");
    expect(buffer.recordCount()).toBe(0);
    buffer.close();
  });

  it("lets concurrent drains share one run, so no batch is shipped twice", async () => {
    const store = new DirectoryArchiveStore(await dir("archive"));
    const { buffer, uploader, uploaded } = await setUp(store);
    ingest(buffer, 0, 3_000);
    expect(await Promise.all([uploader.drain(), uploader.drain(), uploader.drain()])).toEqual([true, true, true]);
    expect(await archivedSeqs(store, uploaded)).toEqual(Array.from({ length: 3_000 }, (_, i) => i + 1));
    buffer.close();
  });

  it("keeps records while storage fails and drains them all when it returns", async () => {
    const root = path.join(await dir("archive"), "store");
    await writeFile(root, "not a folder: every put fails");
    const store = new DirectoryArchiveStore(root);
    const { buffer, uploader, uploaded } = await setUp(store);
    ingest(buffer, 0, 2_000);
    expect(await uploader.drain()).toBe(false);
    ingest(buffer, 2_000, 1_000);
    expect(buffer.recordCount()).toBe(3_000);
    await rm(root);
    expect(await uploader.drain()).toBe(true);
    expect(await archivedSeqs(store, uploaded)).toEqual(Array.from({ length: 3_000 }, (_, i) => i + 1));
    expect(buffer.recordCount()).toBe(0);
    buffer.close();
  });

  it("re-sends an interrupted batch under the same key after a restart", async () => {
    const archive = await dir("archive");
    const store = new DirectoryArchiveStore(archive);
    const bufferFile = path.join(await dir("buf"), "buffer.db");
    const first = openBuffer(bufferFile, 100 * MiB).buffer;
    ingest(first, 0, 100);
    const claimed = first.claimBatch(10 * MiB)!; // bounds recorded, then the bridge dies before the PUT
    first.close();
    const { buffer, uploader, uploaded } = await setUp(store, { bufferFile, batchBytes: 10 * MiB });
    ingest(buffer, 100, 10);
    expect(await uploader.drain()).toBe(true);
    expect(uploaded[0]).toMatchObject({
      records: claimed.records,
      key: expect.stringContaining(`-${claimed.firstId}-${claimed.lastId}.json.gz`),
    });
    expect(await archivedSeqs(store, uploaded)).toEqual(Array.from({ length: 110 }, (_, i) => i + 1));
    buffer.close();
  });

  it("uploads to a real S3 server, and a wrong secret fails without losing anything", async () => {
    const s3 = await startS3TestServer({ accessKeyId: "AKBRIDGE", secretAccessKey: "right-secret", bucket: "logs" });
    try {
      const config = { endpoint: s3.endpoint, region: "eu1", bucket: "logs", accessKeyId: "AKBRIDGE" };
      const wrong = await setUp(new S3ArchiveStore({ ...config, secretAccessKey: "wrong-secret" }));
      ingest(wrong.buffer, 0, 500);
      expect(await wrong.uploader.drain()).toBe(false);
      expect(wrong.buffer.recordCount()).toBe(500);
      wrong.buffer.close();

      const store = new S3ArchiveStore({ ...config, secretAccessKey: "right-secret" });
      const { buffer, uploader, uploaded } = await setUp(store);
      ingest(buffer, 0, 3_000);
      expect(await uploader.drain()).toBe(true);
      expect(await archivedSeqs(store, uploaded)).toEqual(Array.from({ length: 3_000 }, (_, i) => i + 1));
      expect(buffer.recordCount()).toBe(0);
      buffer.close();
    } finally {
      await s3.close();
    }
  });

  it("wakes early when the flush threshold is reached", async () => {
    const archive = await dir("archive");
    const store = new DirectoryArchiveStore(archive);
    const { buffer, uploader, uploaded } = await setUp(store, {
      intervalMs: 3_600_000,
      flushBytes: 50_000,
      batchBytes: MiB,
    });
    uploader.start();
    ingest(buffer, 0, 2_000);
    uploader.wake();
    for (let i = 0; i < 200 && buffer.recordCount() > 0; i++) await new Promise((r) => setTimeout(r, 25));
    await uploader.stop();
    expect(buffer.recordCount()).toBe(0);
    expect((await readdir(path.join(archive, "logs/web-01"))).length).toBeGreaterThan(0);
    expect(await readFile(path.join(archive, uploaded[0]!.key))).toBeTruthy();
    buffer.close();
  });

  it("keeps records while encoding fails and ships them all once it works", async () => {
    const store = new DirectoryArchiveStore(await dir("archive"));
    let failures = 1;
    const inThread = new InlineBatchEncoder(createRedactor());
    const encoder: BatchEncoder = {
      encode: (texts) => (failures-- > 0 ? Promise.reject(new Error("out of memory")) : inThread.encode(texts)),
    };
    const { buffer, uploader, uploaded } = await setUp(store, { encoder });
    ingest(buffer, 0, 1_000);
    expect(await uploader.drain()).toBe(false);
    expect(buffer.recordCount()).toBe(1_000);
    expect(await uploader.drain()).toBe(true);
    expect(await archivedSeqs(store, uploaded)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    buffer.close();
  });

  it("streams a batch into the same gzip object a one-shot encoding of its redacted NDJSON gives", async () => {
    const texts = Array.from({ length: 50 }, (_, t) =>
      Array.from({ length: 200 }, (_, i) => `{"seq":${t * 200 + i},"message":"password=secret${i} ok"}`).join("\n"),
    );
    const redact = createRedactor();
    const streamed = await new InlineBatchEncoder(redact, 6).encode(texts);
    const whole = Buffer.from(`${texts.map((t) => redact(t)).join("\n")}\n`);
    expect(streamed.body).toEqual(gzipSync(whole, { level: 6 }));
    expect(streamed.rawBytes).toBe(whole.length);
    expect(streamed.sha256).toBe(createHash("sha256").update(streamed.body).digest("hex"));
    expect(gunzipSync(streamed.body).toString()).not.toContain("secret1");
  });

  it("compresses at its gzip level", async () => {
    const bodies: Buffer[] = [];
    for (const gzipLevel of [1, 9]) {
      const store = new DirectoryArchiveStore(await dir("archive"));
      const { buffer, uploader, uploaded } = await setUp(store, { gzipLevel, batchBytes: 10 * MiB });
      ingest(buffer, 1, 5_000);
      expect(await uploader.drain()).toBe(true);
      expect(uploaded).toHaveLength(1);
      const body = (await store.get(uploaded[0]!.key))!;
      expect(body).toEqual(gzipSync(gunzipSync(body), { level: gzipLevel }));
      bodies.push(body);
      buffer.close();
    }
    // The same records (stamped at different times, in text of the same length), made smaller at 9.
    const [fast, small] = bodies as [Buffer, Buffer];
    expect(gunzipSync(fast).length).toBe(gunzipSync(small).length);
    expect(small.length).toBeLessThan(fast.length);
  });

  it("fails an encoding whose texts cannot all be read, with the reader's error", async () => {
    function* texts() {
      yield "x".repeat(200_000); // more than the stream takes at once: the read after it is awaited
      yield "y";
      throw new Error("database disk image is malformed");
    }
    await expect(new InlineBatchEncoder(createRedactor()).encode(texts())).rejects.toThrow("malformed");
  });
});
