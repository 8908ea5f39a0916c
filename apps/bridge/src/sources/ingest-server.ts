// Local log ingest for the daemon: programs on this host hand records to the bridge over a UNIX
// socket (NDJSON) or loopback HTTP; each valid record reaches `sink`, each invalid one is answered.
import path from "node:path";
import type { LogRecord } from "@nervesys/core/logs";
import type { Logger } from "../logger";
import { type HttpIngestOptions, type HttpListener, listenOnHttp } from "./ingest-http";
import { listenOnSocket } from "./ingest-socket";

export { type HttpIngestOptions, INGEST_HTTP_PATH, MAX_INGEST_BODY_BYTES, MAX_LISTED_ERRORS } from "./ingest-http";
export { type IngestError, MAX_INGEST_LINE_BYTES } from "./ingest-records";

export const INGEST_SOCKET_FILE = "ingest.sock";

export type IngestServerOptions = {
  /** Where the NDJSON socket listens; null for none. */
  socketPath: string | null;
  /** Loopback HTTP: its port (0 picks a free one) and bearer token; null for none. */
  http: HttpIngestOptions | null;
  /** Stores one batch of records (one transaction); a throw is answered as "buffer unavailable". */
  sink(records: LogRecord[]): void;
  /** The component's child logger (the composition root makes it). */
  logger: Logger;
  /** Stamps records that carry no timestamp. */
  now?: () => Date;
};

export type IngestServer = { httpPort: number | null; close(): Promise<void> };

/** The socket in the bridge's data directory, where the daemon listens and `nervesys-bridge log` connects. */
export function ingestSocketPath(dataDir: string): string {
  return path.join(dataDir, INGEST_SOCKET_FILE);
}

/** Starts the listeners asked for; rejects with a clear error if one cannot start (none is left running). */
export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const { logger } = options;
  const deps = { sink: options.sink, logger, now: options.now ?? (() => new Date()) };
  const closeSocket = options.socketPath === null ? null : await listenOnSocket(options.socketPath, deps);
  let http: HttpListener | null = null;
  try {
    if (options.http !== null) http = await listenOnHttp(options.http, deps);
  } catch (error) {
    await closeSocket?.();
    throw error;
  }
  logger.info({ socketPath: options.socketPath, httpPort: http?.port ?? null }, "log ingest listening");
  return {
    httpPort: http?.port ?? null,
    async close() {
      await Promise.all([closeSocket?.(), http?.close()]);
      logger.info("log ingest stopped");
    },
  };
}
