// An endless, seeded stream of realistic application logs (mostly HTTP access lines, some slow-task
// warnings, a few stack traces), the same mix as pipeline.bench.ts offers, in chunks of records.
import { type LogRecord, normaliseLogRecord } from "@nervesys/core/logs";

/** A small seeded PRNG, so every run offers the same logs. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

export function* realisticLogChunks(chunkSize: number, seed = 42): Generator<LogRecord[]> {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const paths = ["/api/items", "/api/users", "/api/orders", "/healthz", "/api/search", "/static/app.js"];
  const agents = ["grok", "deepseek", "gimai", "chatgpt", "copilot"];
  const requestId = () => `req-${Math.floor(rand() * 1e9).toString(36)}`;
  let t = Date.UTC(2026, 10, 21, 12);
  for (;;) {
    const chunk: LogRecord[] = [];
    while (chunk.length < chunkSize) {
      t += Math.floor(rand() * 20);
      const roll = rand();
      const input =
        roll < 0.8
          ? {
              level: "INFO",
              agent: pick(agents),
              action: "http_request",
              message: `${pick(["GET", "GET", "POST", "PUT"])} ${pick(paths)}/${Math.floor(rand() * 5000)} ${pick([200, 200, 200, 201, 304, 404])} ${Math.floor(rand() * 300)}ms`,
              context: {
                requestId: requestId(),
                userId: Math.floor(rand() * 10_000),
                bytes: Math.floor(rand() * 65_536),
              },
            }
          : roll < 0.95
            ? {
                level: "WARN",
                agent: pick(agents),
                action: "task",
                message: `task ${pick(["sync", "index", "review"])} took ${Math.floor(rand() * 9000)}ms, over budget`,
                context: { queue: pick(["default", "high", "low"]), attempt: Math.floor(rand() * 3) + 1 },
              }
            : {
                level: "ERROR",
                agent: pick(agents),
                action: "exception",
                message: `TypeError: Cannot read properties of undefined (reading '${pick(["id", "name", "items"])}')\n    at handler (/srv/app/dist/routes/${pick(["items", "users"])}.js:${Math.floor(rand() * 400)}:17)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
                context: { requestId: requestId() },
              };
      const normalised = normaliseLogRecord({ ...input, timestamp: new Date(t).toISOString() });
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
