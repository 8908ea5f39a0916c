import { mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bearerMatches, ingestTokenPath, loadIngestToken } from "./ingest-token";

const dataDir = () => mkdtemp(path.join(tmpdir(), "ingest-token-"));

describe("loadIngestToken", () => {
  it("creates a random token readable by the owner only, whatever the umask, and keeps it", async () => {
    const dir = await dataDir();
    const previous = process.umask(0);
    let token: string;
    try {
      token = await loadIngestToken(dir);
    } finally {
      process.umask(previous);
    }
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(ingestTokenPath(dir))).mode & 0o777).toBe(0o600);
    expect(await readFile(ingestTokenPath(dir), "utf8")).toBe(`${token}\n`);
    expect(await loadIngestToken(dir)).toBe(token);
    expect(await loadIngestToken(await dataDir())).not.toBe(token);
  });

  it("uses a token an administrator wrote, and leaves the file's mode to them", async () => {
    const dir = await dataDir();
    const own = "correct-horse-battery-staple-0123456789";
    await writeFile(ingestTokenPath(dir), `${own}\r\n`, { mode: 0o640 });
    expect(await loadIngestToken(dir)).toBe(own);
    expect((await stat(ingestTokenPath(dir))).mode & 0o777).toBe(0o640);
  });

  it.each([
    ["an empty file", ""],
    ["a short token", "too-short"],
    ["a token with a space", "a token with spaces that is long enough to pass"],
    ["two lines", `${"a".repeat(40)}\n${"b".repeat(40)}`],
    ["non-ASCII", "é".repeat(40)],
    ["an oversized token", "x".repeat(257)],
  ])("refuses %s with a clear error and leaves the file as it was", async (_, content) => {
    const dir = await dataDir();
    await writeFile(ingestTokenPath(dir), content);
    await expect(loadIngestToken(dir)).rejects.toThrow(`${ingestTokenPath(dir)} holds no valid token`);
    expect(await readFile(ingestTokenPath(dir), "utf8")).toBe(content);
  });

  it("says which file it cannot read or create", async () => {
    const unreadable = await dataDir();
    await mkdir(ingestTokenPath(unreadable));
    await expect(loadIngestToken(unreadable)).rejects.toThrow(
      `cannot read the ingest token ${ingestTokenPath(unreadable)}: EISDIR`,
    );
    const missing = path.join(await dataDir(), "gone");
    await expect(loadIngestToken(missing)).rejects.toThrow(
      `cannot create the ingest token ${ingestTokenPath(missing)}`,
    );
  });
});

describe("bearerMatches", () => {
  const token = "t".repeat(43);
  it("accepts the token after a Bearer scheme in any case", () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["the bare token", token],
    ["another scheme", `Basic ${token}`],
    ["a longer token", `Bearer ${token}t`],
    ["a shorter token", `Bearer ${token.slice(1)}`],
    ["another token of the same length", `Bearer ${"u".repeat(43)}`],
    ["trailing words", `Bearer ${token} extra`],
  ])("refuses %s", (_, header) => {
    expect(bearerMatches(header, token)).toBe(false);
  });
});
