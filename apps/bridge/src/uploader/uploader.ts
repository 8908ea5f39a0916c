// Ships the buffer to the archive: every `intervalMs` or as soon as `flushBytes` are waiting, the
// oldest batch is claimed (bounds recorded), redacted, gzipped and PUT under a key derived from
// the batch; only after the PUT succeeds are its records deleted. Failures retry with capped,
// jittered backoff; a crash at any point re-sends the same object under the same key.
import { type ArchiveStore, logBatchKey } from "@nervesys/archive";
import type { LogBuffer, PendingBatch } from "../buffer/log-buffer";
import type { BackoffOptions } from "../connection/backoff";
import { fullJitterDelay } from "../connection/backoff";
import type { Logger } from "../logger";
import { encodeBatch } from "./encode-batch";
import type { Redactor } from "./redact";

export type UploadedObject = {
  key: string;
  bytes: number;
  rawBytes: number;
  records: number;
  firstTimestamp: string;
  lastTimestamp: string;
  sha256: string;
};

export type UploaderOptions = {
  buffer: LogBuffer;
  store: ArchiveStore;
  server: string;
  redact: Redactor;
  logger: Logger;
  intervalMs: number;
  flushBytes: number;
  batchBytes: number;
  backoff: BackoffOptions;
  onUploaded?(object: UploadedObject): void;
};

export class Uploader {
  private stopped = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private draining: Promise<boolean> | null = null;
  private failures = 0;

  constructor(private readonly options: UploaderOptions) {}

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
    while (!this.stopped) {
      const batch = this.options.buffer.claimBatch(this.options.batchBytes);
      if (!batch) return true;
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
    const { buffer, store, server, redact, logger } = this.options;
    if (!batch.uploaded) {
      const encoded = await encodeBatch(buffer.batchLines(batch), redact);
      const key = logBatchKey({
        server,
        firstTimestamp: new Date(batch.firstTimestamp),
        firstSeq: batch.firstId,
        lastSeq: batch.lastId,
      });
      try {
        await store.put(key, encoded.body, { contentType: "application/gzip", sha256: encoded.sha256 });
      } catch (error) {
        logger.warn({ key, err: (error as Error).message, records: batch.records }, "upload failed; will retry");
        return false;
      }
      buffer.markUploaded();
      const object = {
        key,
        bytes: encoded.body.length,
        rawBytes: encoded.rawBytes,
        records: batch.records,
        firstTimestamp: batch.firstTimestamp,
        lastTimestamp: batch.lastTimestamp,
        sha256: encoded.sha256,
      };
      logger.info(object, "batch uploaded");
      this.options.onUploaded?.(object);
    }
    buffer.releaseBatch(batch);
    return true;
  }
}
