// The bridge's logger: one JSON line per entry on stdout, in pino's shape
// ({"level":30,"time":…,"pid":…,"hostname":…,"app":…, fields…, "msg":…}), so journald, jq and the
// own-logs source read it as before. Hand-written rather than pino: pino, with sonic-boom,
// thread-stream and the worker_threads module it loads, added 100 KB to the bundle and 0.5 MiB to
// an idle bridge's resident memory, whose budget is 50 MiB (`npm run bench -- bridge-footprint`),
// for the four methods and `child` used here.
import os from "node:os";

export const LOG_LEVEL_NAMES = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];
/** pino's numbers, which the lines carry. */
export const LOG_LEVELS: Record<LogLevelName, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
export type LogFields = Record<string, unknown>;
type LogMethod = { (fields: LogFields, message: string): void; (message: string): void };

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A logger whose lines also carry `bindings`. */
  child(bindings: LogFields): Logger;
}

type Destination = { write(line: string): void };
type Output = { destination: Destination; threshold: number };

/** Errors as pino's serializer writes them; everything else as JSON has it. */
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { type: value.name, message: value.message, stack: value.stack } : value;
}

class JsonLogger implements Logger {
  readonly debug: LogMethod = (a: LogFields | string, b?: string) => this.write(LOG_LEVELS.debug, a, b);
  readonly info: LogMethod = (a: LogFields | string, b?: string) => this.write(LOG_LEVELS.info, a, b);
  readonly warn: LogMethod = (a: LogFields | string, b?: string) => this.write(LOG_LEVELS.warn, a, b);
  readonly error: LogMethod = (a: LogFields | string, b?: string) => this.write(LOG_LEVELS.error, a, b);

  constructor(
    private readonly outputs: readonly Output[],
    /** Fields every line carries: pid, hostname, app and the bindings of `child`. */
    private readonly base: LogFields,
  ) {}

  child(bindings: LogFields): Logger {
    return new JsonLogger(this.outputs, { ...this.base, ...bindings });
  }

  private write(level: number, fieldsOrMessage: LogFields | string, message?: string): void {
    const outputs = this.outputs.filter((o) => level >= o.threshold);
    if (outputs.length === 0) return;
    const fields = typeof fieldsOrMessage === "string" ? {} : fieldsOrMessage;
    const msg = typeof fieldsOrMessage === "string" ? fieldsOrMessage : message;
    let line: string;
    try {
      line = JSON.stringify({ level, time: Date.now(), ...this.base, ...fields, msg }, replacer);
    } catch (error) {
      line = JSON.stringify({ level, time: Date.now(), ...this.base, msg, logError: (error as Error).message });
    }
    for (const output of outputs) output.destination.write(`${line}\n`);
  }
}

/**
 * A logger to stdout at `level` and, when given, a copy of what is info or above (and at `level`
 * or above) to a second destination. Writes to stdout are synchronous on Linux (file, pipe or
 * journald's socket), so a line logged just before a crash is not lost.
 */
export function createLogger(level: LogLevelName, copyTo?: Destination): Logger {
  const threshold = LOG_LEVELS[level];
  const outputs: Output[] = [{ destination: process.stdout, threshold }];
  if (copyTo) outputs.push({ destination: copyTo, threshold: Math.max(threshold, LOG_LEVELS.info) });
  return new JsonLogger(outputs, { pid: process.pid, hostname: os.hostname(), app: "nervesys-bridge" });
}
