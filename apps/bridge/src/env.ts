// The bridge's only reader of process.env: parsed once, with errors that name the variable.
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const Env = z.object({
  NERVESYS_BRIDGE_HOME: z.string().min(1).optional(),
  NERVESYS_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NERVESYS_PING_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
});

export type BridgeEnv = {
  dataDir: string;
  logLevel: z.infer<typeof Env>["NERVESYS_LOG_LEVEL"];
  pingIntervalMs: number;
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
  };
}
