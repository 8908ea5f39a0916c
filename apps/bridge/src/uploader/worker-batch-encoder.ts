// Encodes batches in a worker thread, so redaction, gzip and sha256 of one batch overlap with the
// main thread's ingest, claims and deletes. The worker starts on first use, is restarted after a
// crash, and stops after `idleMs` without work so an idle bridge does not keep its memory.
import { Worker } from "node:worker_threads";
import type { BatchEncoder } from "./batch-encoder";
import type { EncodedBatch } from "./encode-batch";
import {
  type EncoderMessage,
  type EncoderReply,
  type EncoderWorkerData,
  encoderWorkerSource,
} from "./encoder-worker-source";
import type { RedactionRule } from "./redact";

export type WorkerBatchEncoderOptions = { level?: number; idleMs?: number };

type Job = { worker: Worker; resolve(batch: EncodedBatch): void; reject(error: Error): void };

export class WorkerBatchEncoder implements BatchEncoder {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly level: number;
  private readonly idleMs: number;

  constructor(
    private readonly rules: readonly RedactionRule[],
    options: WorkerBatchEncoderOptions = {},
  ) {
    this.level = options.level ?? 6;
    this.idleMs = options.idleMs ?? 60_000;
  }

  /** Whether a worker thread is running now. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Posts each text as the iterable yields it, so the worker compresses while the batch is read. */
  encode(texts: Iterable<string>): Promise<EncodedBatch> {
    if (this.closed) return Promise.reject(new Error("the batch encoder is closed"));
    const worker = this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    worker.ref();
    const id = ++this.nextId;
    const post = (message: EncoderMessage) => worker.postMessage(message);
    const encoded = new Promise<EncodedBatch>((resolve, reject) => {
      this.jobs.set(id, { worker, resolve, reject });
    });
    try {
      for (const text of texts) post({ id, text });
      post({ id, end: true });
    } catch (error) {
      post({ id, abort: true });
      this.settle({ id, ok: false, error: (error as Error).message });
    }
    return encoded;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopWorker();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const workerData: EncoderWorkerData = { rules: this.rules, level: this.level };
    const worker = new Worker(encoderWorkerSource(), { eval: true, workerData });
    worker.on("message", (reply: EncoderReply) => this.settle(reply));
    worker.on("error", (error) => this.fail(worker, new Error(`the encoder worker failed: ${error.message}`)));
    worker.on("exit", (code) => this.fail(worker, new Error(`the encoder worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: EncoderReply): void {
    const job = this.jobs.get(reply.id);
    if (!job) return;
    this.jobs.delete(reply.id);
    if (reply.ok) {
      const { body, rawBytes, sha256 } = reply;
      job.resolve({ body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), rawBytes, sha256 });
    } else {
      job.reject(new Error(`encoding a batch failed: ${reply.error}`));
    }
    if (this.jobs.size === 0) this.idle();
  }

  /** With nothing in flight the worker must not keep the process alive, and goes after a while. */
  private idle(): void {
    this.worker?.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stopWorker(), this.idleMs);
    this.idleTimer.unref();
  }

  /** A worker that died takes its jobs with it; the next encode starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const [id, job] of this.jobs) {
      if (job.worker !== worker) continue;
      this.jobs.delete(id);
      job.reject(error);
    }
  }

  private async stopWorker(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    await worker.terminate();
    this.fail(worker, new Error("the batch encoder was closed"));
  }
}
