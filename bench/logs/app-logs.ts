// An application's own logs, sent as JSON to the bridge's ingest socket: mostly HTTP requests, some
// slow-task warnings, a few stack traces. Its numbers are drawn uniformly, with a random request id
// on every request, which makes these the least compressible lines of the mix.
import type { Random } from "./seeded-random";

export type AppLogInput = {
  level: string;
  agent: string;
  action: string;
  message: string;
  context: Record<string, unknown>;
};

const PATHS = ["/api/items", "/api/users", "/api/orders", "/healthz", "/api/search", "/static/app.js"];
const AGENTS = ["grok", "deepseek", "gimai", "chatgpt", "copilot"];

export function appLogs(random: Random): () => AppLogInput {
  const requestId = () => `req-${random.below(1e9).toString(36)}`;
  return () => {
    const roll = random.next();
    if (roll < 0.8) {
      return {
        level: "INFO",
        agent: random.pick(AGENTS),
        action: "http_request",
        message: `${random.pick(["GET", "GET", "POST", "PUT"])} ${random.pick(PATHS)}/${random.below(5000)} ${random.pick([200, 200, 200, 201, 304, 404])} ${random.below(300)}ms`,
        context: { requestId: requestId(), userId: random.below(10_000), bytes: random.below(65_536) },
      };
    }
    if (roll < 0.95) {
      return {
        level: "WARN",
        agent: random.pick(AGENTS),
        action: "task",
        message: `task ${random.pick(["sync", "index", "review"])} took ${random.below(9000)}ms, over budget`,
        context: { queue: random.pick(["default", "high", "low"]), attempt: random.below(3) + 1 },
      };
    }
    return {
      level: "ERROR",
      agent: random.pick(AGENTS),
      action: "exception",
      message: `TypeError: Cannot read properties of undefined (reading '${random.pick(["id", "name", "items"])}')\n    at handler (/srv/app/dist/routes/${random.pick(["items", "users"])}.js:${random.below(400)}:17)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
      context: { requestId: requestId() },
    };
  };
}
