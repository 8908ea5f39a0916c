// buffer-ingest: records/s through the bridge's ingest path (validation + LogBuffer.append) against
// a plain better-sqlite3 insert loop of the same rows into the same schema, in the same run. The loop
// also runs against the seed's schema (shared/DESIGN.md appendix: three more indexes) to show what
// leaving those out is worth.
import "../apps/bridge/src/v8-flags"; // first: bridge code measured under the V8 settings it runs with
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { normaliseLogRecord } from "@nervesys/core/logs";
import Database from "better-sqlite3";
import { capacityFor } from "../apps/bridge/src/buffer/capacity";
import { openBuffer } from "../apps/bridge/src/buffer/open-buffer";
import { applyPragmas, SCHEMA } from "../apps/bridge/src/buffer/schema";
import { median } from "./median";
import type { BenchResult } from "./run";

const RECORDS = 300_000;
const BATCH = 1_000;
const ROUNDS = 3;

function sampleInputs(): Array<Record<string, unknown>> {
  const levels = ["INFO", "INFO", "INFO", "WARN", "ERROR"];
  return Array.from({ length: RECORDS }, (_, i) => ({
    timestamp: new Date(1_790_000_000_000 + i).toISOString(),
    level: levels[i % levels.length],
    agent: `agent-${i % 5}`,
    action: "handle_request",
    message: `GET /api/items/${i} 200 ${i % 97}ms user=${i % 1000}`,
    context: { requestId: `req-${i}`, bytes: i % 4096 },
  }));
}

async function timeIt(fn: () => void): Promise<number> {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function ingestPath(inputs: Array<Record<string, unknown>>, dir: string): Promise<number> {
  const { buffer } = openBuffer(path.join(dir, "ingest.db"), 1024 * 1024 * 1024);
  const seconds = await timeIt(() => {
    for (let i = 0; i < inputs.length; i += BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(i + BATCH, inputs.length); j++) {
        const normalised = normaliseLogRecord(inputs[j]);
        if (normalised.ok) batch.push(normalised.record);
      }
      buffer.append(batch);
    }
  });
  buffer.close();
  return inputs.length / seconds;
}

const SEED_INDEXES = `
CREATE INDEX logs_uploaded_idx ON logs(uploaded);
CREATE INDEX logs_timestamp_idx ON logs(timestamp);
CREATE INDEX logs_agent_time_idx ON logs(agent_id, timestamp);`;

async function rawSqlite(inputs: Array<Record<string, unknown>>, file: string, schema: string): Promise<number> {
  const db = new Database(file);
  const capacity = capacityFor(1024 * 1024 * 1024);
  applyPragmas(db, { maxPageCount: capacity.maxPageCount, walLimitBytes: capacity.walLimitBytes });
  db.exec(schema);
  const insert = db.prepare(
    "INSERT INTO logs (timestamp, level, agent_id, action, message, context) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const rows = inputs.map((r) => [r.timestamp, r.level, r.agent, r.action, r.message, JSON.stringify(r.context)]);
  const seconds = await timeIt(() => {
    for (let i = 0; i < rows.length; i += BATCH) {
      db.transaction(() => {
        for (const row of rows.slice(i, i + BATCH)) insert.run(...row);
      })();
    }
  });
  db.close();
  return inputs.length / seconds;
}

export async function run(): Promise<BenchResult> {
  const inputs = sampleInputs();
  const ours: number[] = [];
  const raw: number[] = [];
  const rawSeed: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate, in fresh folders, so neither side gets a warmer cache or an emptier disk.
    const dir = await mkdtemp(path.join(tmpdir(), "bench-ingest-"));
    raw.push(await rawSqlite(inputs, path.join(dir, "raw.db"), SCHEMA));
    rawSeed.push(await rawSqlite(inputs, path.join(dir, "seed.db"), SCHEMA + SEED_INDEXES));
    ours.push(await ingestPath(inputs, dir));
    await rm(dir, { recursive: true, force: true });
  }
  const recordsPerS = median(ours);
  const rawPerS = median(raw);
  return {
    metrics: { records_per_s: recordsPerS },
    baseline: { raw_sqlite_records_per_s: rawPerS, raw_sqlite_seed_indexes_records_per_s: median(rawSeed) },
    ratio: { vs_raw: recordsPerS / rawPerS, vs_raw_seed_indexes: recordsPerS / median(rawSeed) },
  };
}
