// An endless, seeded stream of the logs a web VPS hands its bridge, in chunks of records: an
// application's JSON logs on the ingest socket (bench/logs/app-logs.ts) mixed with the lines of the
// files the bridge tails: the web server's access log and the system's syslog and auth.log (their
// own files in bench/logs/). Shared by every benchmark that offers logs.
//
// By records: 40 % application, 35 % access log, 15 % syslog, 10 % auth.log. Each source draws its
// values as real traffic does, so the mix compresses like real logs: wrapped as archived lines and
// gzipped at -6, public sample logs of the same kinds (Loghub's Apache, OpenSSH and Linux syslog)
// lose 93-94 % of their bytes. The application's lines, whose numbers are all uniform and random,
// are the least compressible part; the pipeline bench reports each source's figure apart.
import { type LogRecord, normaliseLogRecord } from "@nervesys/core/logs";
import { appLogs } from "./logs/app-logs";
import { seededRandom } from "./logs/seeded-random";
import { authLog, syslog } from "./logs/system-logs";
import { webAccessLog } from "./logs/web-access-log";

/** Where a record came from: the application, or the agent name of a tailed file. */
export const LOG_SOURCES = ["app", "nginx", "syslog", "auth"] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

export function sourceOf(record: LogRecord): LogSource {
  return record.action === "tail" ? (record.agent as LogSource) : "app";
}

/** Records of one source: `at` is the time in ms, `timestamp` the same as ISO text. */
type Source = (timestamp: string, at: number) => Record<string, unknown>;

/** A tailed file's lines as the bridge stores them (see apps/bridge/src/pipeline/file-sources.ts). */
function tailed(agent: LogSource, line: (at: number) => string): Source {
  return (timestamp, at) => ({ timestamp, level: "INFO", agent, action: "tail", message: line(at), context: null });
}

export function* realisticLogChunks(chunkSize: number, seed = 42): Generator<LogRecord[]> {
  const random = seededRandom(seed);
  const app = appLogs(random);
  // Each source with the cumulative share of records up to it.
  const sources: Array<[number, Source]> = [
    [0.4, (timestamp) => ({ ...app(), timestamp })],
    [0.75, tailed("nginx", webAccessLog(random))],
    [0.9, tailed("syslog", syslog(random))],
    [1, tailed("auth", authLog(random))],
  ];
  let at = Date.UTC(2026, 10, 21, 12);
  for (;;) {
    const chunk: LogRecord[] = [];
    while (chunk.length < chunkSize) {
      at += random.below(20);
      const roll = random.next();
      const [, source] = sources.find(([upTo]) => roll < upTo)!;
      const normalised = normaliseLogRecord(source(new Date(at).toISOString(), at));
      if (!normalised.ok) throw new Error(normalised.error);
      chunk.push(normalised.record);
    }
    yield chunk;
  }
}

/** A record as a local program sends it to the bridge: one NDJSON line, its context an object. */
export function sentLine(record: LogRecord): string {
  return JSON.stringify({ ...record, context: record.context && JSON.parse(record.context) });
}
