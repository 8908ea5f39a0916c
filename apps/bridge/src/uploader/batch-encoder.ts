// Turns a claimed batch's NDJSON into the object to upload: every line redacted, then gzipped and
// hashed. (A worker-thread encoder was 15 % faster but held whole batches in two heaps: 426 MiB at
// the peak of a drain, against a 100 MiB target; see the bridge-footprint bench.)
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createGzip } from "node:zlib";
import type { Redactor } from "./redact";

export type EncodedBatch = { body: Buffer; rawBytes: number; sha256: string };

export interface BatchEncoder {
  /** `texts`: the batch's lines in order, joined by "\n" within each text (no final newline). */
  encode(texts: Iterable<string>): Promise<EncodedBatch>;
  /** Releases what the encoder holds; it is not used afterwards. */
  close(): Promise<void>;
}

/**
 * Encodes on this thread as a stream: each text is redacted and written to a gzip stream, whose
 * compression runs on libuv's thread pool (the other core), and the next text is read only once
 * the stream has taken the last. Only the compressed object is kept whole, so memory stays small
 * however big the batch; awaiting the stream lets ingest run between texts.
 */
export class InlineBatchEncoder implements BatchEncoder {
  constructor(
    private readonly redact: Redactor,
    private readonly level = 6,
  ) {}

  async encode(texts: Iterable<string>): Promise<EncodedBatch> {
    const gzip = createGzip({ level: this.level });
    const hash = createHash("sha256");
    const parts: Buffer[] = [];
    gzip.on("data", (chunk: Buffer) => {
      parts.push(chunk);
      hash.update(chunk);
    });
    const ended = once(gzip, "end");
    let rawBytes = 0;
    for (const text of texts) {
      const chunk = Buffer.from(`${this.redact(text)}\n`, "utf8");
      rawBytes += chunk.length;
      if (!gzip.write(chunk)) await once(gzip, "drain");
    }
    gzip.end();
    await ended;
    return { body: Buffer.concat(parts), rawBytes, sha256: hash.digest("hex") };
  }

  async close(): Promise<void> {}
}
