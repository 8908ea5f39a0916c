import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InlineBatchEncoder } from "./batch-encoder";
import { createRedactor } from "./redact";
import { WorkerBatchEncoder } from "./worker-batch-encoder";

const redact = createRedactor(["card=\\d{16}", '^\\{"seq":13,']);

/** NDJSON texts as the buffer hands them out: lines joined by "\n", some holding secrets. */
function texts(count: number): string[] {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      seq: i,
      message:
        i % 7 === 0 ? `login password=hunter${i} from https://app:pw${i}@db/x` : `GET /items/${i} 200 ${i % 90}ms`,
      context: i % 11 === 0 ? { authorization: `Bearer token-${i}-abcdefgh`, card: "card=4111111111111111" } : null,
    }),
  );
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 97) out.push(lines.slice(i, i + 97).join("\n"));
  return out;
}

describe("WorkerBatchEncoder", () => {
  it("makes exactly the object the in-thread encoder makes, redacted line by line", async () => {
    const encoder = new WorkerBatchEncoder(redact.rules!);
    try {
      for (const input of [texts(2_000), texts(1), []]) {
        const [inWorker, inThread] = await Promise.all([
          encoder.encode(input),
          new InlineBatchEncoder(redact).encode(input),
        ]);
        expect(inWorker.body.equals(inThread.body)).toBe(true);
        expect(inWorker).toMatchObject({ rawBytes: inThread.rawBytes, sha256: inThread.sha256 });
      }
      const text = gunzipSync((await encoder.encode(texts(200))).body).toString();
      expect(text).not.toMatch(/hunter|pw\d|token-|4111|"seq":13,/);
      expect(text.split("\n")).toHaveLength(201);
    } finally {
      await encoder.close();
    }
  });

  it("rejects with the worker's error, and keeps serving later batches", async () => {
    const failing = new WorkerBatchEncoder(redact.rules!, { level: 42 });
    await expect(failing.encode(texts(10))).rejects.toThrow(/encoding a batch failed: .*level/i);
    await failing.close();

    const encoder = new WorkerBatchEncoder(redact.rules!);
    function* unreadable(): Generator<string> {
      yield "{}";
      throw new Error("disk I/O error");
    }
    await expect(encoder.encode(unreadable())).rejects.toThrow("disk I/O error");
    expect((await encoder.encode(texts(5))).rawBytes).toBeGreaterThan(0);
    await encoder.close();
  });

  it("rejects rather than hangs when the worker cannot start", async () => {
    const encoder = new WorkerBatchEncoder([{ source: "(", flags: "g", replacement: "x" }]);
    await expect(encoder.encode(texts(3))).rejects.toThrow(/encoder worker/);
    await encoder.close();
  });

  it("stops its worker when closed or idle, and starts a new one when needed", async () => {
    const encoder = new WorkerBatchEncoder(redact.rules!, { idleMs: 20 });
    const pending = encoder.encode(texts(500));
    expect(encoder.running).toBe(true);
    await pending;
    for (let i = 0; i < 100 && encoder.running; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(encoder.running).toBe(false);
    await encoder.encode(texts(5));
    expect(encoder.running).toBe(true);
    const inFlight = encoder.encode(texts(5_000));
    await encoder.close();
    expect(encoder.running).toBe(false);
    await expect(inFlight).rejects.toThrow();
    await expect(encoder.encode(texts(1))).rejects.toThrow(/closed/);
  });
});
