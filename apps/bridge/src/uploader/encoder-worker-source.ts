// The encoder worker's program, as source text for `new Worker(source, { eval: true })`: the bridge
// ships as one bundled file, so the worker cannot be a module of its own. The redaction functions
// are the very ones this thread uses, inserted by their source text.
import type { RedactionRule } from "./redact";
import { compileRules, redactLines } from "./redact";

/** Main → worker: a batch's texts in order under one job id, then its end (or its abandonment). */
export type EncoderMessage = { id: number; text: string } | { id: number; end: true } | { id: number; abort: true };
export type EncoderReply =
  | { id: number; ok: true; body: Uint8Array; rawBytes: number; sha256: string }
  | { id: number; ok: false; error: string };
export type EncoderWorkerData = { rules: readonly RedactionRule[]; level: number };

/**
 * Each text is redacted and written to the job's gzip stream as it arrives, so compression starts
 * while the main thread is still reading the batch. Gzip output does not depend on how its input
 * is split, so the object is byte for byte the one `encodeBatch` makes.
 */
export function encoderWorkerSource(): string {
  return `"use strict";
// esbuild's keepNames (tsx) may wrap inner functions of the inserted source in __name(fn, name).
function __name(fn) { return fn; }
const { parentPort, workerData } = require("node:worker_threads");
const { createGzip } = require("node:zlib");
const { createHash } = require("node:crypto");
const compileRules = ${compileRules.toString()};
const redactLines = ${redactLines.toString()};
const rules = compileRules(workerData.rules);
const jobs = new Map();

function open(id, job) {
  job.gzip = createGzip({ level: workerData.level });
  job.hash = createHash("sha256");
  job.gzip.on("data", (part) => {
    job.parts.push(part);
    job.hash.update(part);
  });
  job.gzip.on("error", (error) => fail(id, job, error));
  job.gzip.on("end", () => {
    jobs.delete(id);
    if (job.failed) return;
    const body = Buffer.concat(job.parts);
    parentPort.postMessage({ id, ok: true, body, rawBytes: job.rawBytes, sha256: job.hash.digest("hex") });
  });
}

function fail(id, job, error) {
  if (job.failed) return;
  job.failed = true;
  job.parts = [];
  if (job.ended) jobs.delete(id);
  if (job.gzip) job.gzip.destroy();
  parentPort.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
}

parentPort.on("message", (m) => {
  let job = jobs.get(m.id);
  if (!job) {
    job = { gzip: null, hash: null, parts: [], rawBytes: 0, failed: false, ended: false };
    jobs.set(m.id, job);
    try {
      open(m.id, job);
    } catch (error) {
      fail(m.id, job, error);
    }
  }
  if (m.abort) {
    job.failed = true;
    jobs.delete(m.id);
    if (job.gzip) job.gzip.destroy();
    return;
  }
  if (m.end) job.ended = true;
  if (job.failed) {
    if (job.ended) jobs.delete(m.id);
    return;
  }
  try {
    if (m.end) {
      job.gzip.end();
    } else {
      const raw = Buffer.from(redactLines(m.text, rules) + "\\n", "utf8");
      job.rawBytes += raw.length;
      job.gzip.write(raw);
    }
  } catch (error) {
    fail(m.id, job, error);
  }
});
`;
}
