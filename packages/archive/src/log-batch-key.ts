// The object key of one archived log batch. It is derived only from the batch itself, so a retried
// upload overwrites the same object instead of leaving a duplicate.

export type LogBatchKeyInput = { server: string; firstTimestamp: Date; firstSeq: number; lastSeq: number };

const MAX_SERVER_SEGMENT = 100;

/** `logs/{server}/{YYYY-MM-DD}/{HH-mm-ss}-{firstSeq}-{lastSeq}.json.gz`, in UTC. */
export function logBatchKey({ server, firstTimestamp, firstSeq, lastSeq }: LogBatchKeyInput): string {
  const year = firstTimestamp.getUTCFullYear();
  // A 5-digit or negative year would break the fixed-width date folder that listings sort by.
  if (!(year >= 0 && year <= 9999)) throw new Error("logBatchKey: firstTimestamp must be a valid Date in years 0-9999");
  assertSeq("firstSeq", firstSeq);
  assertSeq("lastSeq", lastSeq);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const t = firstTimestamp;
  const day = `${pad(year, 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const clock = `${pad(t.getUTCHours())}-${pad(t.getUTCMinutes())}-${pad(t.getUTCSeconds())}`;
  return `logs/${serverSegment(server)}/${day}/${clock}-${firstSeq}-${lastSeq}.json.gz`;
}

function assertSeq(name: string, seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`logBatchKey: ${name} must be a non-negative integer`);
}

function serverSegment(server: string): string {
  const safe = server.replace(/[^A-Za-z0-9._-]/gu, "_").slice(0, MAX_SERVER_SEGMENT);
  // An empty name or a "." / ".." segment would change the key's folder structure.
  if (safe === "" || safe === "." || safe === "..") return "_".repeat(Math.max(safe.length, 1));
  return safe;
}
