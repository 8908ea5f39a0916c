import { statSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ArchivedLineReader, type ArchivedLogLine, type LogRecord } from "@nervesys/core/logs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openBuffer } from "./open-buffer";

const MiB = 1024 * 1024;
const dir = () => mkdtemp(path.join(tmpdir(), "buffer-"));

function records(
  count: number,
  options: { from?: number; level?: LogRecord["level"]; size?: number } = {},
): LogRecord[] {
  const { from = 0, level = "INFO", size = 200 } = options;
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, from + i)).toISOString(),
    level,
    agent: "web",
    action: "request",
    message: `record ${from + i} ${"x".repeat(size)}`,
    context: JSON.stringify({ n: from + i }),
  }));
}

function fileBytes(file: string): number {
  return ["", "-wal", "-shm"].reduce((sum, s) => {
    try {
      return sum + statSync(file + s).size;
    } catch {
      return sum;
    }
  }, 0);
}

describe("LogBuffer", () => {
  it("stores records and hands them out as a claimed batch, in order, once", async () => {
    const file = path.join(await dir(), "buffer.db");
    const { buffer } = openBuffer(file, 100 * MiB);
    expect(buffer.append(records(1000))).toEqual({ stored: 1000, dropped: 0 });
    const batch = buffer.claimBatch(10 * MiB);
    expect(batch).toMatchObject({ records: 1000, uploaded: false });
    const lines = [...buffer.batchLines(batch!)].map((line) => JSON.parse(line) as ArchivedLogLine);
    expect(lines.map((l) => l.context?.n)).toEqual([...Array(1000).keys()]);
    expect(lines[0]).toMatchObject({
      level: "INFO",
      agent: "web",
      action: "request",
      timestamp: "2026-01-01T00:00:00.000Z",
    });
    buffer.markUploaded();
    buffer.releaseBatch(batch!);
    expect(buffer.recordCount()).toBe(0);
    expect(buffer.claimBatch(10 * MiB)).toBeNull();
    buffer.close();
  });

  it("keeps a claimed batch's bounds across a restart, so a retry ships the same records", async () => {
    const file = path.join(await dir(), "buffer.db");
    const first = openBuffer(file, 100 * MiB).buffer;
    first.append(records(300));
    const claimed = first.claimBatch(20_000)!;
    first.append(records(50, { from: 300 }));
    first.close();
    const reopened = openBuffer(file, 100 * MiB).buffer;
    expect(reopened.claimBatch(10 * MiB)).toEqual(claimed);
    expect([...reopened.batchLines(claimed)]).toHaveLength(claimed.records);
    reopened.close();
  });

  it("caps batches by size and continues with the next records", async () => {
    const { buffer } = openBuffer(path.join(await dir(), "b.db"), 100 * MiB);
    buffer.append(records(100, { size: 1000 }));
    const first = buffer.claimBatch(10_000)!;
    expect(first.records).toBeLessThan(100);
    buffer.markUploaded();
    buffer.releaseBatch(first);
    const second = buffer.claimBatch(10 * MiB)!;
    expect(second.firstId).toBe(first.lastId + 1);
    expect(first.records + second.records).toBe(100);
    buffer.close();
  });

  it("never passes its cap: drops the oldest non-critical records first and counts every drop", async () => {
    const file = path.join(await dir(), "capped.db");
    const cap = 4 * MiB;
    const { buffer } = openBuffer(file, cap);
    buffer.append(records(20, { level: "CRITICAL" }));
    let offered = 20;
    let stored = 20;
    for (let round = 0; round < 40; round++) {
      const result = buffer.append(records(500, { from: offered }));
      offered += 500;
      stored += result.stored;
      expect(fileBytes(file)).toBeLessThanOrEqual(cap);
    }
    expect(buffer.counter("dropped_records")).toBeGreaterThan(0);
    expect(buffer.recordCount()).toBe(offered - buffer.counter("dropped_records"));
    const batch = buffer.claimBatch(100 * MiB)!;
    const levels = [...buffer.batchLines(batch)].map((l) => (JSON.parse(l) as ArchivedLogLine).level);
    expect(levels.filter((l) => l === "CRITICAL")).toHaveLength(20);
    expect(stored).toBe(offered);
    buffer.close();
  });

  it("does not drop records claimed by the pending batch", async () => {
    const file = path.join(await dir(), "claimed.db");
    const { buffer } = openBuffer(file, 2 * MiB);
    buffer.append(records(500));
    const batch = buffer.claimBatch(50_000)!;
    for (let i = 0; i < 30; i++) buffer.append(records(500, { from: 1000 + i * 500 }));
    expect([...buffer.batchLines(batch)]).toHaveLength(batch.records);
    buffer.close();
  });

  it("gives space back to the file system after a batch is shipped", async () => {
    const file = path.join(await dir(), "reclaim.db");
    const { buffer } = openBuffer(file, 100 * MiB);
    buffer.append(records(20_000, { size: 400 }));
    const full = fileBytes(file);
    const batch = buffer.claimBatch(100 * MiB)!;
    buffer.markUploaded();
    buffer.releaseBatch(batch);
    expect(fileBytes(file)).toBeLessThan(full / 10);
    buffer.close();
  });

  it("formats archived lines in SQL exactly as formatArchivedLine does, for every UTF-16 code unit and across gaps", async () => {
    const file = path.join(await dir(), "text.db");
    const { buffer } = openBuffer(file, 100 * MiB);
    const awkward: LogRecord[] = [];
    for (let unit = 0; unit < 0x10000; unit += 2048) {
      const message = Array.from({ length: 2048 }, (_, i) => String.fromCharCode(unit + i)).join("");
      awkward.push({ ...records(1)[0]!, message, action: unit % 4096 === 0 ? null : "act" });
    }
    awkward.push(
      { ...records(1)[0]!, message: 'quote " backslash \\ NUL \u0000 emoji \u{1F600} lone \ud800', context: null },
      { ...records(1)[0]!, level: "CRITICAL", agent: 'ä"gent', context: '{"nested":{"a":[1,2.5,"x\\ny"]}}' },
    );
    buffer.append([...awkward, ...records(3000, { size: 50 })]);
    // Gaps, as records dropped at the cap leave: the line after each must carry its seq, also
    // where the gap falls between two texts.
    const other = new Database(file);
    other.prepare("DELETE FROM logs WHERE id % 3 = 0 OR id BETWEEN 100 AND 140").run();
    other.close();
    const batch = buffer.claimBatch(100 * MiB)!;
    const texts = [...buffer.batchText(batch, 4096)];
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.join("\n")).toBe([...buffer.batchLines(batch)].join("\n"));
    const startsWithSeq = texts.slice(1).map((text) => text.startsWith('{"seq":'));
    expect(startsWithSeq).toContain(true);
    expect(startsWithSeq).toContain(false);
    const reader = new ArchivedLineReader();
    const seqs = texts.flatMap((text) => text.split("\n").map((line) => reader.read(line).seq));
    expect(seqs.some((seq) => seq % 3 === 0 || (seq >= 100 && seq <= 140))).toBe(false);
    expect(seqs).toHaveLength(batch.records);
    buffer.close();
  });

  it("never claims or counts a retired batch again, and deletes its records in steps, across a restart", async () => {
    const file = path.join(await dir(), "retired.db");
    const first = openBuffer(file, 100 * MiB).buffer;
    first.append(records(2000, { size: 500 }));
    const shipped = first.claimBatch(200_000)!;
    first.markUploaded();
    first.retireBatch(shipped);
    expect(first.recordCount()).toBe(2000 - shipped.records);
    first.close();
    const { buffer } = openBuffer(file, 100 * MiB);
    expect(buffer.recordCount()).toBe(2000 - shipped.records);
    const next = buffer.claimBatch(100 * MiB)!;
    expect(next).toMatchObject({ firstId: shipped.lastId + 1, records: 2000 - shipped.records });
    let steps = 0;
    while (buffer.collectShipped()) steps++;
    expect(steps).toBeGreaterThan(1);
    expect([...buffer.batchLines(shipped)]).toEqual([]);
    expect([...buffer.batchLines(next)]).toHaveLength(next.records);
    buffer.close();
  });

  it("frees space from shipped records before dropping anything, and stays under its cap while deleting", async () => {
    const file = path.join(await dir(), "shipped.db");
    const cap = 4 * MiB;
    const { buffer } = openBuffer(file, cap);
    buffer.append(records(600, { size: 4000 }));
    const batch = buffer.claimBatch(100 * MiB)!;
    buffer.markUploaded();
    buffer.retireBatch(batch);
    for (let round = 0; round < 4; round++) {
      buffer.append(records(100, { from: 1000 + round * 100, size: 4000 }));
      expect(fileBytes(file)).toBeLessThanOrEqual(cap);
    }
    expect(buffer.counter("dropped_records")).toBe(0);
    expect([...buffer.batchLines(batch)].length).toBeLessThan(batch.records);
    while (buffer.collectShipped()) expect(fileBytes(file)).toBeLessThanOrEqual(cap);
    expect(buffer.recordCount()).toBe(400);
    buffer.close();
  });

  it("sets a corrupt file aside, reports it and starts afresh", async () => {
    const file = path.join(await dir(), "corrupt.db");
    writeFileSync(file, Buffer.alloc(64 * 1024, 0x5a));
    const opened = openBuffer(file, 100 * MiB, new Date("2026-01-02T03:04:05Z"));
    expect(opened.quarantined).toMatchObject({ path: `${file}.corrupt-2026-01-02T03-04-05-000Z` });
    expect(statSync(opened.quarantined!.path).size).toBe(64 * 1024);
    expect(opened.buffer.append(records(3))).toEqual({ stored: 3, dropped: 0 });
    opened.buffer.close();
  });

  it("drops the seed's indexes from a buffer an earlier bridge wrote, keeping its records", async () => {
    const file = path.join(await dir(), "earlier.db");
    const earlier = openBuffer(file, 100 * MiB);
    earlier.buffer.append(records(5));
    earlier.buffer.close();
    const db = new Database(file);
    db.exec("CREATE INDEX logs_uploaded_idx ON logs(uploaded); CREATE INDEX logs_timestamp_idx ON logs(timestamp);");
    db.exec("CREATE INDEX logs_agent_time_idx ON logs(agent_id, timestamp);");
    db.close();

    const reopened = openBuffer(file, 100 * MiB);
    expect(reopened.buffer.recordCount()).toBe(5);
    reopened.buffer.close();
    const check = new Database(file, { readonly: true });
    const indexes = check
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs'")
      .pluck()
      .all();
    check.close();
    expect(indexes).toEqual([]);
  });
});
