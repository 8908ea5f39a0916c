// Turns a claimed batch's NDJSON into the object to upload: every line redacted, then gzipped and
// hashed. (A worker-thread encoder was once 15 % faster but held whole batches in two heaps:
// 426 MiB at the peak of a drain, against a 100 MiB target; see the bridge-footprint bench.)
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createGzip } from "node:zlib";
import { DEFAULT_GZIP_LEVEL } from "@nervesys/core/protocol";
import type { Redactor } from "./redact";

export type EncodedBatch = { body: Buffer; rawBytes: number; sha256: string };

export interface BatchEncoder {
  /** `texts`: the batch's lines in order, joined by "\n" within each text (no final newline). */
  encode(texts: Iterable<string>): Promise<EncodedBatch>;
}

/**
 * Encodes on this thread as a stream: each text is redacted and written to a gzip stream, whose
 * compression runs on libuv's thread pool (the other core); the next text is read and redacted
 * while the pool compresses the last, and written once the stream has taken it. Only the
 * compressed object and one text ahead are kept, so memory stays small however big the batch;
 * awaiting the stream lets ingest run between texts.
 */
export class InlineBatchEncoder implements BatchEncoder {
  constructor(
    private readonly redact: Redactor,
    private readonly level = DEFAULT_GZIP_LEVEL,
  ) {}

  async encode(texts: Iterable<string>): Promise<EncodedBatch> {
    // Output buffers of 64 KiB hold a whole compressed text (batchText's are ~128 KiB raw), so one
    // trip to the pool compresses it; with the default 16 KiB it often took two.
    const gzip = createGzip({ level: this.level, chunkSize: 64 * 1024 });
    const hash = createHash("sha256");
    const parts: Buffer[] = [];
    gzip.on("data", (chunk: Buffer) => {
      parts.push(chunk);
      hash.update(chunk);
    });
    // Listening from the start: a stream error rejects this (and any drain awaited), never goes
    // unhandled; when reading failed first, its rejection is not wanted.
    const ended = once(gzip, "end");
    ended.catch(() => {});
    let rawBytes = 0;
    try {
      const chunks = this.redactedChunks(texts);
      let next = chunks.next();
      while (!next.done) {
        const chunk = next.value;
        rawBytes += chunk.length;
        const flowing = gzip.write(chunk);
        // The next text is read and redacted while the pool compresses this one.
        next = chunks.next();
        if (!flowing) await once(gzip, "drain");
      }
      gzip.end();
      await ended;
    } catch (error) {
      // A text that could not be read: free the stream's zlib memory now, not at some later GC.
      gzip.destroy();
      throw error;
    }
    return { body: Buffer.concat(parts), rawBytes, sha256: hash.digest("hex") };
  }

  private *redactedChunks(texts: Iterable<string>): Generator<Buffer> {
    for (const text of texts) yield Buffer.from(`${this.redact(text)}\n`, "utf8");
  }
}
