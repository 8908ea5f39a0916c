// The lean agent pipeline on one bridge: sources (ingest socket/HTTP, tailed files, the bridge's
// own logs) → the SQLite buffer → the uploader → the archive, with the outbox carrying upload
// reports and offline heartbeats to the control plane. The destination and cadence come from the
// control plane and may change while running; the uploader is replaced when they do.
import type { KeyObject } from "node:crypto";
import path from "node:path";
import type { ArchiveStore } from "@nervesys/archive";
import type { LogRecord } from "@nervesys/core/logs";
import type { BridgeConfig } from "@nervesys/core/protocol";
import { isoTimestamp } from "@nervesys/core/time";
import type { LogBuffer } from "../buffer/log-buffer";
import { type OpenedBuffer, openBuffer, type Quarantine } from "../buffer/open-buffer";
import type { Outbox } from "../buffer/outbox";
import type { Logger } from "../logger";
import {
  type HttpIngestOptions,
  type IngestServer,
  ingestSocketPath,
  startIngestServer,
} from "../sources/ingest-server";
import { loadIngestToken } from "../sources/ingest-token";
import { createRedactor } from "../uploader/redact";
import { type UploadedObject, Uploader } from "../uploader/uploader";
import { FileSources, type TailSpec } from "./file-sources";
import type { OwnLogSink } from "./own-logs";
import {
  archiveLocation,
  archiveStoreFor,
  loadPipelineConfig,
  pipelineChanged,
  savePipelineConfig,
} from "./pipeline-config";

export const BUFFER_FILE = "buffer.db";
const MiB = 1024 * 1024;
/** A batch is at most this much text; the flush threshold wakes the uploader before it fills. */
const MAX_BATCH_BYTES = 10 * MiB;

export type PipelineOptions = {
  dataDir: string;
  bufferCapBytes: number;
  ingestHttpPort: number | null;
  tails: readonly TailSpec[];
  bridge: { controlPlaneUrl: string; serverId: string; privateKey: KeyObject };
  ownLogs: OwnLogSink;
  logger: Logger;
  /** Called when the outbox gained an entry (an upload report). */
  onOutbox(): void;
  uploadBackoff?: { baseMs: number; capMs: number };
};

export type PipelineStatus = {
  bufferBytes: number;
  records: number;
  droppedRecords: number;
  lastUploadAt: string | null;
  uploadError: string | null;
  ingestError: string | null;
  quarantined: Quarantine | null;
};

export class Pipeline {
  private uploader: Uploader | null = null;
  private config: BridgeConfig | null = null;
  private ingest: IngestServer | null = null;
  private readonly files: FileSources;
  private lastUploadAt: string | null = null;
  private uploadError: string | null = null;
  private ingestError: string | null = null;
  private configuring = Promise.resolve();

  private constructor(
    private readonly options: PipelineOptions,
    private readonly opened: OpenedBuffer,
  ) {
    this.files = new FileSources(options.tails, {
      positions: opened.tailPositions,
      append: (records) => this.append(records),
      logger: options.logger.child({ component: "files" }),
    });
  }

  /** Opens the buffer (setting a corrupt one aside), starts the sources, and ships with the last known config. */
  static async start(options: PipelineOptions): Promise<Pipeline> {
    const opened = openBuffer(path.join(options.dataDir, BUFFER_FILE), options.bufferCapBytes);
    const pipeline = new Pipeline(options, opened);
    if (opened.quarantined) {
      options.logger.error(opened.quarantined, "the buffer file was unreadable: set aside, and a fresh one started");
    }
    options.ownLogs.attach((records) => pipeline.append(records));
    await pipeline.files.start();
    await pipeline.startIngest();
    const saved = await loadPipelineConfig(options.dataDir);
    if (saved) await pipeline.configure(saved);
    return pipeline;
  }

  /**
   * The ingest socket, and loopback HTTP when configured. A port that cannot be had (taken, say) or
   * an unreadable token file is reported in the heartbeat's alerts and the daemon goes on without
   * HTTP: a crash loop would also stop its heartbeats and uploads. A socket another bridge holds
   * still stops the start.
   */
  private async startIngest(): Promise<void> {
    const { ingestHttpPort, dataDir, logger } = this.options;
    const start = (http: HttpIngestOptions | null) =>
      startIngestServer({
        socketPath: ingestSocketPath(dataDir),
        http,
        sink: (records) => this.append(records),
        logger: logger.child({ component: "ingest" }),
      });
    try {
      const http = ingestHttpPort === null ? null : { port: ingestHttpPort, token: await loadIngestToken(dataDir) };
      this.ingest = await start(http);
    } catch (error) {
      if (ingestHttpPort === null) throw error;
      this.ingest = await start(null);
      this.ingestError = `log ingest over HTTP on 127.0.0.1:${ingestHttpPort} unavailable: ${(error as Error).message}`;
      logger.error({ err: (error as Error).message, port: ingestHttpPort }, "log ingest over HTTP could not start");
    }
  }

  get buffer(): LogBuffer {
    return this.opened.buffer;
  }

  get outbox(): Outbox {
    return this.opened.outbox;
  }

  get ingestHttpPort(): number | null {
    return this.ingest?.httpPort ?? null;
  }

  append(records: LogRecord[]): void {
    this.buffer.append(records);
    if (this.config && this.buffer.usedBytes() >= this.config.flushBytes) this.uploader?.wake();
  }

  /** Applies a config from the control plane: saved for restarts; a changed one replaces the uploader. */
  configure(config: BridgeConfig): Promise<void> {
    // Applied one after another; a failed one (reported to the caller) does not block the next.
    this.configuring = this.configuring
      .catch(() => {})
      .then(async () => {
        if (!pipelineChanged(this.config, config)) return;
        // Built before the old one stops: a config that cannot be applied leaves shipping as it was.
        const next = await this.createUploader(config);
        await this.uploader?.stop();
        await savePipelineConfig(this.options.dataDir, config);
        this.config = config;
        this.uploader = next;
        next.start();
        this.options.logger.info(
          {
            archive: config.archive.kind,
            intervalSeconds: config.uploadIntervalSeconds,
            flushBytes: config.flushBytes,
            gzipLevel: config.gzipLevel,
          },
          "archive pipeline configured",
        );
      });
    return this.configuring;
  }

  private async createUploader(config: BridgeConfig): Promise<Uploader> {
    const location = archiveLocation(config);
    const store = await archiveStoreFor(config, this.options.bridge);
    return new Uploader({
      buffer: this.buffer,
      store: this.observed(store),
      server: this.options.bridge.serverId,
      redact: createRedactor(config.redactPatterns),
      gzipLevel: config.gzipLevel,
      logger: this.options.logger.child({ component: "uploader" }),
      intervalMs: config.uploadIntervalSeconds * 1000,
      flushBytes: config.flushBytes,
      batchBytes: Math.min(config.flushBytes, MAX_BATCH_BYTES),
      backoff: this.options.uploadBackoff ?? { baseMs: 1_000, capMs: 60_000 },
      onUploaded: (object: UploadedObject) => {
        this.outbox.add("archive.uploaded", { location, object });
        this.lastUploadAt = isoTimestamp();
        setImmediate(this.options.onOutbox); // once the transaction holding the report has committed
      },
    });
  }

  /** The store, with the outcome of each upload kept for the heartbeat's alerts. */
  private observed(store: ArchiveStore): ArchiveStore {
    return {
      kind: store.kind,
      get: (key) => store.get(key),
      list: (prefix) => store.list(prefix),
      put: async (key, body, options) => {
        try {
          await store.put(key, body, options);
          this.uploadError = null;
        } catch (error) {
          this.uploadError = (error as Error).message;
          throw error;
        }
      },
    };
  }

  status(): PipelineStatus {
    return {
      bufferBytes: this.buffer.usedBytes(),
      records: this.buffer.recordCount(),
      droppedRecords: this.buffer.counter("dropped_records"),
      lastUploadAt: this.lastUploadAt,
      uploadError: this.uploadError,
      ingestError: this.ingestError,
      quarantined: this.opened.quarantined,
    };
  }

  async stop(): Promise<void> {
    await this.configuring.catch(() => {});
    await this.files.stop();
    await this.ingest?.close();
    await this.uploader?.stop();
    this.options.ownLogs.detach();
    this.buffer.close();
  }
}
