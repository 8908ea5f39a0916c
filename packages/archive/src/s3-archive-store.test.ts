import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3ArchiveStore, type S3Config } from "./s3-archive-store";
import { type S3TestServer, startS3TestServer } from "./testing/s3-test-server";

const credentials = {
  accessKeyId: "archive-test-key",
  secretAccessKey: "archive-test-secret",
  bucket: "nervesys-archive",
};
const optionsFor = (body: Buffer) => ({
  contentType: "application/gzip",
  sha256: createHash("sha256").update(body).digest("hex"),
});

let server: S3TestServer;
let config: S3Config;
const stores: S3ArchiveStore[] = [];

function storeWith(overrides: Partial<S3Config> = {}, options?: ConstructorParameters<typeof S3ArchiveStore>[1]) {
  const store = new S3ArchiveStore({ ...config, ...overrides }, options);
  stores.push(store);
  return store;
}

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(server.directory, { recursive: true });
  return entries.filter((entry) => entry.endsWith("._S3rver_object")).map((entry) => entry.split(path.sep).join("/"));
}

beforeAll(async () => {
  server = await startS3TestServer(credentials);
  config = { endpoint: server.endpoint, region: "us-east-1", ...credentials };
});

afterAll(async () => {
  for (const store of stores) store.destroy();
  await server.close();
});

describe("S3ArchiveStore", () => {
  it("reads back the bytes it put, with content type and sha256 stored on the object", async () => {
    const store = storeWith();
    const body = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x0a]);
    const key = "logs/web-1/2026-01-02/03-04-05-1-2.json.gz";
    await store.put(key, body, optionsFor(body));
    expect(await store.get(key)).toEqual(body);

    const client = new S3Client({ ...sdkConfig(), forcePathStyle: true });
    const head = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
    client.destroy();
    expect(head.ContentType).toBe("application/gzip");
    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata).toEqual({ sha256: optionsFor(body).sha256 });
  });

  it("keeps the last bytes when the same key is put twice", async () => {
    const store = storeWith();
    const first = Buffer.from("first, and longer");
    const second = Buffer.from("second");
    await store.put("overwrite/me", first, optionsFor(first));
    await store.put("overwrite/me", second, optionsFor(second));
    expect((await store.get("overwrite/me"))?.toString()).toBe("second");
  });

  it("lists keys under a prefix across pages", async () => {
    const store = storeWith();
    const body = Buffer.from("x");
    const keys = Array.from({ length: 1005 }, (_, i) => `list/p/${String(i).padStart(4, "0")}`);
    for (const key of keys) await store.put(key, body, optionsFor(body));
    await store.put("list/q/other", body, optionsFor(body));
    expect(await store.list("list/p/")).toEqual(keys);
  });

  it("returns null for a key that does not exist", async () => {
    expect(await storeWith().get("no/such/key")).toBeNull();
  });

  it("throws, rather than returning null, when the bucket does not exist", async () => {
    await expect(storeWith({ bucket: "no-such-bucket" }).get("a")).rejects.toThrow(/NoSuchBucket/);
  });

  it("rejects a put signed with the wrong secret and stores nothing", async () => {
    const body = Buffer.from("should not land");
    const store = storeWith({ secretAccessKey: "not-the-secret" });
    await expect(store.put("forged/object", body, optionsFor(body))).rejects.toThrow(/SignatureDoesNotMatch/);
    expect(await storeWith().get("forged/object")).toBeNull();
    // The same put with the right secret does land on disk, so this listing would show a forged one.
    await storeWith().put("control/object", body, optionsFor(body));
    expect(await storedFiles()).toContain(`${config.bucket}/control/object._S3rver_object`);
    expect((await storedFiles()).filter((file) => file.includes("forged"))).toEqual([]);
  });

  it("rejects a get signed with the wrong secret", async () => {
    const body = Buffer.from("private");
    await storeWith().put("private/object", body, optionsFor(body));
    await expect(storeWith({ secretAccessKey: "not-the-secret" }).get("private/object")).rejects.toThrow(
      /SignatureDoesNotMatch/,
    );
  });

  it("rejects an access key the server does not know", async () => {
    const body = Buffer.from("x");
    const store = storeWith({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
    await expect(store.put("unknown/key", body, optionsFor(body))).rejects.toThrow(/InvalidAccessKeyId/);
  });

  it("refuses invalid keys before sending anything", async () => {
    const store = storeWith();
    await expect(store.put("../x", Buffer.from("x"), optionsFor(Buffer.from("x")))).rejects.toThrow(
      /Invalid archive key/,
    );
    await expect(store.get("/abs")).rejects.toThrow(/Invalid archive key/);
  });
});

describe("S3ArchiveStore against an unreachable endpoint", () => {
  it("fails at once when nothing listens on the port", async () => {
    const port = await freePort();
    const store = storeWith({ endpoint: `http://127.0.0.1:${port}` });
    const started = Date.now();
    await expect(store.put("a", Buffer.from("x"), optionsFor(Buffer.from("x")))).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("fails within the request timeout when the endpoint accepts but never answers", async () => {
    const { server: silent, port, close } = await silentServer();
    try {
      const store = storeWith({ endpoint: `http://127.0.0.1:${port}` }, { requestTimeoutMs: 500 });
      const started = Date.now();
      await expect(store.put("a", Buffer.from("x"), optionsFor(Buffer.from("x")))).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(silent.listening).toBe(true);
    } finally {
      await close();
    }
  });
});

function sdkConfig() {
  return {
    endpoint: config.endpoint,
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A TCP server that accepts connections and never sends a byte, like a hung gateway. */
async function silentServer(): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    server,
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
