import pino from "pino";

export type Logger = pino.Logger;

/** A pino logger to stdout and, when given, a copy of what is info or above to a second destination. */
export function createLogger(level: string, copyTo?: { write(line: string): void }): Logger {
  const base = { app: "nervesys-bridge" };
  if (!copyTo) return pino({ level, base });
  const copyLevel = (pino.levels.values[level] ?? Infinity) > pino.levels.values.info! ? level : "info";
  return pino(
    { level, base },
    pino.multistream([
      { level: level as pino.Level, stream: process.stdout },
      { level: copyLevel as pino.Level, stream: copyTo },
    ]),
  );
}
