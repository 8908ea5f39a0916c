// Turns a claimed batch's NDJSON into the object to upload: every line redacted, then gzipped and
// hashed. Two back ends side by side: this thread (`InlineBatchEncoder`, zlib on libuv's pool) and
// a worker thread (`WorkerBatchEncoder`), which takes redaction and compression to the other core.
import { type EncodedBatch, encodeBatch } from "./encode-batch";
import type { Redactor } from "./redact";

export interface BatchEncoder {
  /** `texts`: the batch's lines in order, joined by "\n" within each text (no final newline). */
  encode(texts: Iterable<string>): Promise<EncodedBatch>;
  /** Releases what the encoder holds (a worker thread); it is not used afterwards. */
  close(): Promise<void>;
}

export class InlineBatchEncoder implements BatchEncoder {
  constructor(
    private readonly redact: Redactor,
    private readonly level = 6,
  ) {}

  encode(texts: Iterable<string>): Promise<EncodedBatch> {
    return encodeBatch(linesOf(texts), this.redact, this.level);
  }

  async close(): Promise<void> {}
}

function* linesOf(texts: Iterable<string>): Generator<string> {
  for (const text of texts) yield* text.split("\n");
}
