import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { Redactor } from "./redact";

const gzipAsync = promisify(gzip);

export type EncodedBatch = { body: Buffer; rawBytes: number; sha256: string };

/**
 * Redacts each line and gzips the NDJSON. zlib runs on libuv's thread pool, so compressing one
 * batch overlaps with ingest on the other core.
 */
export async function encodeBatch(lines: Iterable<string>, redact: Redactor, level = 6): Promise<EncodedBatch> {
  const parts: string[] = [];
  for (const line of lines) parts.push(redact(line), "\n");
  const raw = Buffer.from(parts.join(""), "utf8");
  const body = await gzipAsync(raw, { level });
  return { body, rawBytes: raw.length, sha256: createHash("sha256").update(body).digest("hex") };
}
