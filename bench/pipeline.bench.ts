// pipeline: raw log MiB/s from ingest to deleted-after-upload against a local S3 server, the gzip
// reduction on realistic mixed logs (bench/realistic-logs.ts; each source's own reduction is given
// too, from gzipping its lines alone at the pipeline's level), and `gzip -6` on the same NDJSON as
// the baseline. Ingest is the bridge's own path from the bytes local programs send (line
// splitting, parsing, validation) into the buffer, a socket read at a time; the bytes wait outside
// the JavaScript heap, as a socket's would, so the garbage collector is not left marking records
// no bridge holds at once. A second baseline is a loop of the SQLite round trip every record makes
// (insert, with the buffer's own multi-row inserter, read back, delete: no formatting, compression
// or upload): what the buffer alone costs on this machine, single threaded as SQLite writes are,
// next to what gzip alone costs. Every raw MiB needs both, so with the two spread perfectly over
// two cores and nothing else to do, no pipeline could pass 2 / (1/gzip + 1/round trip) MiB/s:
// `ratio.two_core_ceiling_vs_gzip` is that bound over gzip. Three rounds alternate the pipeline
// and both baselines; the figures are medians.
import "../apps/bridge/src/v8-flags"; // first: bridge code measured under the V8 settings it runs with
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { S3ArchiveStore } from "@nervesys/archive";
import { startS3TestServer } from "@nervesys/archive/testing";
import { formatArchivedLine, type LogRecord } from "@nervesys/core/logs";
import { DEFAULT_GZIP_LEVEL } from "@nervesys/core/protocol";
import Database from "better-sqlite3";
import { capacityFor } from "../apps/bridge/src/buffer/capacity";
import { openBuffer } from "../apps/bridge/src/buffer/open-buffer";
import { RowInserter } from "../apps/bridge/src/buffer/row-inserter";
import { applyPragmas, SCHEMA } from "../apps/bridge/src/buffer/schema";
import { createLogger } from "../apps/bridge/src/logger";
import { MAX_INGEST_LINE_BYTES, parseRecordLines } from "../apps/bridge/src/sources/ingest-records";
import { LineSplitter } from "../apps/bridge/src/sources/line-splitter";
import { createRedactor } from "../apps/bridge/src/uploader/redact";
import { type UploadedObject, Uploader } from "../apps/bridge/src/uploader/uploader";
import { median } from "./median";
import { LOG_SOURCES, type LogSource, realisticLogChunks, sentLine, sourceOf } from "./realistic-logs";
import type { BenchResult } from "./run";

const MiB = 1024 * 1024;
const TARGET_RAW_BYTES = Number(process.env.BENCH_RAW_MIB ?? 96) * MiB;
const CHUNK = 5_000;
const PACE_BYTES = 40 * MiB;
const ROUNDS = 3;

/** The offered logs: NDJSON as local programs send it, one buffer per chunk of records. */
type OfferedLogs = { sent: Buffer[]; records: number };

type ArchivedLogs = { archivedBytes: number; sourceReductions: Record<LogSource, number> };

/** 1 − gzipped/raw bytes of `lines` as NDJSON, at the pipeline's level. */
function gzipReduction(lines: readonly string[]): number {
  const raw = Buffer.from(`${lines.join("\n")}\n`);
  return 1 - gzipSync(raw, { level: DEFAULT_GZIP_LEVEL }).length / raw.length;
}

/** Makes the offered logs, and writes to `archivedFile` the NDJSON the pipeline makes of them (before redaction and gzip). */
async function offerRealisticLogs(archivedFile: string): Promise<OfferedLogs & ArchivedLogs> {
  const sent: Buffer[] = [];
  const archived: string[] = [];
  const bySource = new Map<LogSource, string[]>(LOG_SOURCES.map((source) => [source, []]));
  let bytes = 0;
  for (const chunk of realisticLogChunks(CHUNK)) {
    const lines: string[] = [];
    for (const record of chunk) {
      lines.push(sentLine(record));
      const seq = archived.length + 1;
      const line = formatArchivedLine(record, seq, seq === 1 ? null : seq - 1);
      archived.push(line);
      bySource.get(sourceOf(record))!.push(line);
      bytes += line.length + 1;
      if (bytes >= TARGET_RAW_BYTES) break;
    }
    sent.push(Buffer.from(`${lines.join("\n")}\n`));
    if (bytes >= TARGET_RAW_BYTES) {
      const text = `${archived.join("\n")}\n`;
      await writeFile(archivedFile, text);
      const sourceReductions = Object.fromEntries(
        LOG_SOURCES.map((source) => [source, gzipReduction(bySource.get(source)!)]),
      ) as Record<LogSource, number>;
      return { sent, records: archived.length, archivedBytes: Buffer.byteLength(text), sourceReductions };
    }
  }
  throw new Error("the log stream ended");
}

const now = () => new Date();

/** A socket's read size: the ingest socket parses and stores what each read completes. */
const SOCKET_READ = 64 * 1024;

/** Feeds `body` to the ingest parser a socket read at a time, as the ingest socket does; `store` takes each read's records. */
function ingest(splitter: LineSplitter, body: Buffer, store: (records: LogRecord[]) => void): void {
  for (let at = 0; at < body.length; at += SOCKET_READ) {
    const { records, errors } = parseRecordLines(splitter.push(body.subarray(at, at + SOCKET_READ)), now);
    const [error] = errors;
    if (error) throw new Error(`ingest refused line ${error.line}: ${error.error}`);
    store(records);
  }
}

async function gzipCliMiBPerS(ndjsonFile: string, rawBytes: number): Promise<number> {
  const start = process.hrtime.bigint();
  execFileSync("sh", ["-c", `gzip -6 -c '${ndjsonFile}' > /dev/null`]);
  return rawBytes / MiB / (Number(process.hrtime.bigint() - start) / 1e9);
}

const ROUND_TRIP_TX = 1_000;
const ROUND_TRIP_SPAN = 20_000;

/** The records are made from the offered bytes before the clock starts, and live only in this call. */
async function sqliteRoundTripMiBPerS({ sent }: OfferedLogs, file: string, rawBytes: number): Promise<number> {
  const records: LogRecord[] = [];
  const splitter = new LineSplitter(MAX_INGEST_LINE_BYTES);
  for (const body of sent) ingest(splitter, body, (read) => records.push(...read));
  const db = new Database(file);
  const capacity = capacityFor(1024 * MiB);
  applyPragmas(db, { maxPageCount: capacity.maxPageCount, walLimitBytes: capacity.walLimitBytes });
  db.exec(SCHEMA);
  const inserter = new RowInserter(db);
  const read = db
    .prepare("SELECT id, timestamp, level, agent_id, action, message, context FROM logs WHERE id <= ? ORDER BY id")
    .raw();
  const remove = db.prepare("DELETE FROM logs WHERE id <= ?");
  const start = process.hrtime.bigint();
  let readBack = 0;
  for (let i = 0; i < records.length; i += ROUND_TRIP_TX) {
    const end = Math.min(i + ROUND_TRIP_TX, records.length);
    inserter.insert(records, i, end);
    if (end % ROUND_TRIP_SPAN === 0 || end === records.length) {
      for (const _row of read.iterate(end)) readBack++;
      remove.run(end);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  if (readBack !== records.length) throw new Error(`the round trip read back ${readBack} of ${records.length} records`);
  return rawBytes / MiB / seconds;
}

type PipelineRun = { mibPerS: number; reduction: number; objects: number };

/** Ingests every record into a fresh buffer and ships them all to the S3 server; checks nothing is lost. */
async function pipelineRun(
  { sent, records }: OfferedLogs,
  rawBytes: number,
  file: string,
  s3Endpoint: string,
): Promise<PipelineRun> {
  const { buffer } = openBuffer(file, 100 * MiB);
  const uploaded: UploadedObject[] = [];
  const uploader = new Uploader({
    buffer,
    store: new S3ArchiveStore({
      endpoint: s3Endpoint,
      region: "eu1",
      bucket: "logs",
      accessKeyId: "AKBENCH",
      secretAccessKey: "bench-secret",
    }),
    server: "bench-01",
    redact: createRedactor(),
    gzipLevel: DEFAULT_GZIP_LEVEL,
    logger: createLogger("silent"),
    intervalMs: 600_000,
    flushBytes: 10 * MiB,
    batchBytes: 10 * MiB,
    backoff: { baseMs: 100, capMs: 1_000 },
    onUploaded: (o) => uploaded.push(o),
  });
  const start = process.hrtime.bigint();
  uploader.start();
  const splitter = new LineSplitter(MAX_INGEST_LINE_BYTES);
  for (const body of sent) {
    ingest(splitter, body, (read) => buffer.append(read));
    uploader.wake();
    await new Promise((resolve) => setImmediate(resolve)); // let compression and uploads progress
    // A real source is slower than this loop: hold back rather than measure the cap's drops.
    while (buffer.usedBytes() > PACE_BYTES) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // At least one drain: a drain in flight is joined, and a drain returns only once the shipped
  // records are deleted too (the last batch's deletion must be inside the measured time).
  do {
    if (!(await uploader.drain())) throw new Error("upload failed during the benchmark");
  } while (buffer.recordCount() > 0);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const check = new Database(file, { readonly: true });
  const left = check.prepare("SELECT count(*) FROM logs").pluck().get() as number;
  check.close();
  if (left !== 0) throw new Error(`${left} shipped records were still in the buffer when the clock stopped`);
  await uploader.stop();
  const shipped = uploaded.reduce((sum, o) => sum + o.records, 0);
  const dropped = buffer.counter("dropped_records");
  if (shipped + dropped !== records) throw new Error(`shipped ${shipped} + dropped ${dropped} of ${records}`);
  if (dropped > 0) throw new Error(`${dropped} records were dropped: the benchmark outran the buffer`);
  buffer.close();
  // Redaction finds nothing to change in these logs, so the objects must hold exactly the NDJSON
  // that gzip -6 compressed (the same data on both sides of the ratio), but for the seq each
  // object's first line carries.
  const archivedRaw = uploaded.reduce((sum, o) => sum + o.rawBytes, 0);
  const firstSeqBytes = uploaded.reduce((sum, o) => {
    const firstSeq = Number(/-(\d+)-\d+\.json\.gz$/.exec(o.key)![1]);
    return sum + (firstSeq === 1 ? 0 : `"seq":${firstSeq},`.length);
  }, 0);
  if (archivedRaw !== rawBytes + firstSeqBytes) {
    throw new Error(`archived ${archivedRaw} bytes of NDJSON, offered ${rawBytes} (+${firstSeqBytes} of seqs)`);
  }
  return {
    mibPerS: rawBytes / MiB / seconds,
    reduction: 1 - uploaded.reduce((sum, o) => sum + o.bytes, 0) / archivedRaw,
    objects: uploaded.length,
  };
}

export async function run(): Promise<BenchResult> {
  const work = await mkdtemp(path.join(tmpdir(), "bench-pipeline-"));
  const ndjsonFile = path.join(work, "logs.ndjson");
  const { archivedBytes: rawBytes, sourceReductions, ...offered } = await offerRealisticLogs(ndjsonFile);
  const s3 = await startS3TestServer({ accessKeyId: "AKBENCH", secretAccessKey: "bench-secret", bucket: "logs" });
  try {
    const gzip: number[] = [];
    const roundTrip: number[] = [];
    const runs: PipelineRun[] = [];
    // Rounds alternate the three, each in fresh files, so a noisy spell on the machine hits one
    // round of each rather than one side of a ratio; medians are reported.
    for (let round = 0; round < ROUNDS; round++) {
      gzip.push(await gzipCliMiBPerS(ndjsonFile, rawBytes));
      roundTrip.push(await sqliteRoundTripMiBPerS(offered, path.join(work, `round-trip-${round}.db`), rawBytes));
      runs.push(await pipelineRun(offered, rawBytes, path.join(work, `buffer-${round}.db`), s3.endpoint));
    }
    const mibPerS = median(runs.map((r) => r.mibPerS));
    const gzipBaseline = median(gzip);
    const roundTripBaseline = median(roundTrip);
    return {
      metrics: {
        mib_per_s: mibPerS,
        reduction: runs[0]!.reduction,
        ...Object.fromEntries(LOG_SOURCES.map((source) => [`reduction_${source}`, sourceReductions[source]])),
        raw_mib: rawBytes / MiB,
        objects: runs[0]!.objects,
      },
      baseline: { gzip_cli_mib_per_s: gzipBaseline, sqlite_round_trip_mib_per_s: roundTripBaseline },
      ratio: {
        vs_gzip: mibPerS / gzipBaseline,
        vs_sqlite_round_trip: mibPerS / roundTripBaseline,
        two_core_ceiling_vs_gzip: 2 / (1 / gzipBaseline + 1 / roundTripBaseline) / gzipBaseline,
      },
    };
  } finally {
    await s3.close();
    await rm(work, { recursive: true, force: true });
  }
}
