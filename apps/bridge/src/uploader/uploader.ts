// Ships the buffer to the archive: every `intervalMs` or as soon as `flushBytes` are waiting, the
// oldest batch is claimed (bounds recorded), redacted, gzipped and PUT under a key derived from
// the batch; only after the PUT succeeds are its records deleted. Failures retry with capped,
// jittered backoff; a crash at any point re-sends the same object under the same key. Gzip runs on
// libuv's thread pool while this thread reads the batch and deletes the previous one.
import { type ArchiveStore, logBatchKey } from "@nervesys/archive";
import type { ArchivedObject } from "@nervesys/core/protocol";
import type { LogBuffer, PendingBatch } from "../buffer/log-buffer";
import type { BackoffOptions } from "../connection/backoff";
import { fullJitterDelay } from "../connection/backoff";
import type { Logger } from "../logger";
import { type BatchEncoder, InlineBatchEncoder } from "./batch-encoder";
import type { Redactor } from "./redact";

/** One stored batch, described as the control plane indexes it. */
export type UploadedObject = ArchivedObject;

export type UploaderOptions = {
  buffer: LogBuffer;
  store: ArchiveStore;
  server: string;
  redact: Redactor;
  /** The default encoder's gzip level, 1 to 9. */
  gzipLevel: number;
  logger: Logger;
  intervalMs: number;
  flushBytes: number;
  batchBytes: number;
  backoff: BackoffOptions;
  /** Runs in the transaction that marks the batch stored: queue its report here, synchronously. */
  onUploaded?(object: UploadedObject): void;
  /** Redacts, gzips and hashes batches. By default a streaming encoder on this thread. */
  encoder?: BatchEncoder;
};

export class Uploader {
  private stopped = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private draining: Promise<boolean> | null = null;
  private failures = 0;
  private readonly encoder: BatchEncoder;

  constructor(private readonly options: UploaderOptions) {
    const { encoder, redact, gzipLevel } = options;
    this.encoder = encoder ?? new InlineBatchEncoder(redact, gzipLevel);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Called by ingest when the flush threshold may have been reached. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
    await this.draining;
  }

  /**
   * Ships every waiting batch; true when the buffer is empty, false when an upload failed. Calls
   * while a drain runs share it: two shippers of one pending batch could overwrite its object
   * with what is left after the other deleted the records.
   */
  drain(): Promise<boolean> {
    this.draining ??= this.drainOnce().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drainOnce(): Promise<boolean> {
    // Only what is buffered now: records added while draining (the bridge's own "batch uploaded"
    // line among them) wait for the next round instead of keeping this one going for ever.
    const horizon = this.options.buffer.newestId();
    while (!this.stopped) {
      const batch = this.options.buffer.claimBatch(this.options.batchBytes, horizon);
      if (!batch) {
        await this.collectShipped();
        return true;
      }
      if (!(await this.ship(batch))) return false;
    }
    return false;
  }

  private async run(): Promise<void> {
    const { buffer, flushBytes, intervalMs } = this.options;
    let lastFlush = Date.now();
    while (!this.stopped) {
      // usedBytes is two pragma reads: cheap enough to check every second, unlike summing the rows.
      const due =
        buffer.pendingBatch() !== null || buffer.usedBytes() >= flushBytes || Date.now() - lastFlush >= intervalMs;
      if (due) {
        if (await this.drain()) {
          lastFlush = Date.now();
          this.failures = 0;
        } else if (!this.stopped) {
          await this.pause(fullJitterDelay(this.failures++, this.options.backoff));
          continue;
        }
      }
      await this.pause(Math.max(0, Math.min(intervalMs - (Date.now() - lastFlush), 1_000)));
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.wakeRequested || this.stopped) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
  private async ship(batch: PendingBatch): Promise<boolean> {
    const { buffer, store, server, logger } = this.options;
    if (!batch.uploaded) {
      const key = logBatchKey({
        server,
        firstTimestamp: new Date(batch.firstTimestamp),
        firstSeq: batch.firstId,
        lastSeq: batch.lastId,
      });
      const encoding = settled(() => this.encoder.encode(buffer.batchText(batch)));
      // The previous batch's records are deleted here while this one is encoded on the other core.
      await this.collectShipped();
      const result = await encoding;
      if (!result.ok) {
        logger.warn({ key, err: result.error.message, records: batch.records }, "encoding failed; will retry");
        return false;
      }
      const encoded = result.value;
      try {
        await store.put(key, encoded.body, { contentType: "application/gzip", sha256: encoded.sha256 });
      } catch (error) {
        logger.warn({ key, err: (error as Error).message, records: batch.records }, "upload failed; will retry");
        return false;
      }
      const object = {
        key,
        bytes: encoded.body.length,
        rawBytes: encoded.rawBytes,
        records: batch.records,
        firstTimestamp: batch.firstTimestamp,
        lastTimestamp: batch.lastTimestamp,
        sha256: encoded.sha256,
      };
      // One transaction: a crash cannot leave a stored batch whose report was never queued.
      buffer.markUploaded(() => this.options.onUploaded?.(object));
      logger.info(object, "batch uploaded");
    }
    // Its records are deleted by `collectShipped`, overlapping the next batch's encoding.
    buffer.retireBatch(batch);
    return true;
  }

  /** Deletes shipped records a step at a time, letting ingest run between the steps. */
  private async collectShipped(): Promise<void> {
    while (this.options.buffer.collectShipped()) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The outcome of `run` as a value, so it can be awaited later without an unhandled rejection. */
function settled<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  try {
    return run().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error: error as Error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false as const, error: error as Error });
  }
}
