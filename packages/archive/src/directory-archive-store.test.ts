import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectoryArchiveStore } from "./directory-archive-store";

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "archive-dir-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
const optionsFor = (body: Buffer) => ({
  contentType: "application/gzip",
  sha256: createHash("sha256").update(body).digest("hex"),
});

async function put(store: DirectoryArchiveStore, key: string, body: Buffer) {
  await store.put(key, body, optionsFor(body));
}

describe("DirectoryArchiveStore", () => {
  it("stores an object as a file under the root and reads it back", async () => {
    const root = await tempDir();
    const store = new DirectoryArchiveStore(root);
    const body = Buffer.from("line 1\nline 2\n");
    await put(store, "logs/web-1/2026-01-02/03-04-05-1-2.json.gz", body);
    expect(await store.get("logs/web-1/2026-01-02/03-04-05-1-2.json.gz")).toEqual(body);
    expect(await readFile(path.join(root, "logs/web-1/2026-01-02/03-04-05-1-2.json.gz"))).toEqual(body);
  });

  it("lists the objects under a prefix, not folders or unfinished writes", async () => {
    const root = await tempDir();
    const store = new DirectoryArchiveStore(root);
    const body = Buffer.from("x");
    await put(store, "logs/a/2026-01-02/b.json.gz", body);
    await put(store, "logs/a/2026-01-01/a.json.gz", body);
    await put(store, "logs/b/2026-01-01/c.json.gz", body);
    await writeFile(path.join(root, "logs/a/2026-01-01/.archive-123.tmp"), "partial");
    expect(await store.list("logs/a/")).toEqual(["logs/a/2026-01-01/a.json.gz", "logs/a/2026-01-02/b.json.gz"]);
    expect(await new DirectoryArchiveStore(path.join(root, "missing")).list("")).toEqual([]);
  });

  it("keeps the last bytes when the same key is put twice", async () => {
    const store = new DirectoryArchiveStore(await tempDir());
    await put(store, "a/b", Buffer.from("first, and longer"));
    await put(store, "a/b", Buffer.from("second"));
    expect((await store.get("a/b"))?.toString()).toBe("second");
  });

  it("returns null for a missing key, a folder, or a path through a file", async () => {
    const store = new DirectoryArchiveStore(await tempDir());
    await put(store, "a/b", Buffer.from("x"));
    expect(await store.get("missing")).toBeNull();
    expect(await store.get("a")).toBeNull();
    expect(await store.get("a/b/c")).toBeNull();
  });

  it.each(["../x", "/abs", "a/../../b", "a\\..\\..\\b", "", "a\u0000b"])("refuses the key %j", async (key) => {
    const parent = await tempDir();
    const root = path.join(parent, "root");
    const store = new DirectoryArchiveStore(root);
    await expect(put(store, key, Buffer.from("x"))).rejects.toThrow(/Invalid archive key/);
    await expect(store.get(key)).rejects.toThrow(/Invalid archive key/);
    expect(await readdir(parent)).toEqual([]);
  });

  it("leaves no temporary file behind", async () => {
    const root = await tempDir();
    const store = new DirectoryArchiveStore(root);
    for (let i = 0; i < 5; i++) await put(store, "dir/object", Buffer.from(`version ${i}`));
    expect(await readdir(path.join(root, "dir"))).toEqual(["object"]);
  });

  it("never lets a reader see a partly written object while it is overwritten", async () => {
    const root = await tempDir();
    const store = new DirectoryArchiveStore(root);
    const size = 4 * 1024 * 1024;
    const versions = [Buffer.alloc(size, "a"), Buffer.alloc(size, "b")];
    await put(store, "big", versions[0]!);
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 20; i++) await put(store, "big", versions[i % 2]!);
      writing = false;
    })();
    const seen: string[] = [];
    while (writing) {
      const bytes = await readFile(path.join(root, "big"));
      const whole = versions.some((version) => version.equals(bytes));
      seen.push(whole ? "whole" : `partial (${bytes.length} bytes)`);
    }
    await writer;
    expect(seen.filter((s) => s !== "whole")).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
  });

  it("reports the key and root when the write fails", async () => {
    const root = await tempDir();
    await writeFile(path.join(root, "file"), "not a folder");
    const store = new DirectoryArchiveStore(root);
    await expect(put(store, "file/child", Buffer.from("x"))).rejects.toThrow(/file\/child/);
  });
});
