// The bridge's only reader of process.env: parsed once, with errors that name the variable.
import os from "node:os";
import path from "node:path";
import * as z from "zod/mini";
import { LOG_LEVEL_NAMES } from "./logger";
import type { TailSpec } from "./pipeline/file-sources";

/** A number read from a variable's text, within [min, max]; `target` may narrow it to integers. */
const numberIn = (min: number, max: number, target: z.ZodMiniNumber<number> = z.number()) =>
  z.pipe(z.coerce.number(), target.check(z.minimum(min), z.maximum(max)));

const Env = z.object({
  NERVESYS_BRIDGE_HOME: z.optional(z.string().check(z.minLength(1))),
  NERVESYS_LOG_LEVEL: z._default(z.enum(LOG_LEVEL_NAMES), "info"),
  NERVESYS_PING_INTERVAL_SECONDS: z._default(numberIn(1, 300, z.int()), 20),
  NERVESYS_BUFFER_MAX_MB: z._default(numberIn(1, 100), 100),
  NERVESYS_INGEST_HTTP_PORT: z.optional(numberIn(0, 65535, z.int())),
  NERVESYS_TAIL_FILES: z.pipe(
    z._default(z.string(), ""),
    z.transform((value: string, ctx) => {
      const specs: TailSpec[] = [];
      for (const item of value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [agent, file] = item.includes("=") ? item.split("=", 2) : ["files", item];
        if (!agent || !file || !path.isAbsolute(file)) {
          ctx.issues.push({
            code: "custom",
            input: value,
            message: `"${item}": use /absolute/path or agent=/absolute/path`,
          });
          return z.NEVER;
        }
        specs.push({ agent: agent.slice(0, 50), path: file });
      }
      return specs;
    }),
  ),
});

export type BridgeEnv = {
  dataDir: string;
  logLevel: z.infer<typeof Env>["NERVESYS_LOG_LEVEL"];
  pingIntervalMs: number;
  bufferCapBytes: number;
  ingestHttpPort: number | null;
  tails: TailSpec[];
};

function defaultDataDir(): string {
  return process.getuid?.() === 0 ? "/var/lib/nervesys-bridge" : path.join(os.homedir(), ".nervesys-bridge");
}

export function loadEnv(source: Record<string, string | undefined> = process.env): BridgeEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid environment:\n${lines}`);
  }
  return {
    dataDir: parsed.data.NERVESYS_BRIDGE_HOME ?? defaultDataDir(),
    logLevel: parsed.data.NERVESYS_LOG_LEVEL,
    pingIntervalMs: parsed.data.NERVESYS_PING_INTERVAL_SECONDS * 1000,
    bufferCapBytes: Math.floor(parsed.data.NERVESYS_BUFFER_MAX_MB * 1024 * 1024),
    ingestHttpPort: parsed.data.NERVESYS_INGEST_HTTP_PORT ?? null,
    tails: parsed.data.NERVESYS_TAIL_FILES,
  };
}
