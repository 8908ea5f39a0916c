import { describe, expect, it } from "vitest";
import { assertValidKey } from "./archive-store";
import { logBatchKey } from "./log-batch-key";

const batch = { server: "web-1", firstTimestamp: new Date("2026-03-04T05:06:07.890Z"), firstSeq: 10, lastSeq: 42 };

describe("logBatchKey", () => {
  it("formats server, UTC day and time, and the sequence range", () => {
    expect(logBatchKey(batch)).toBe("logs/web-1/2026-03-04/05-06-07-10-42.json.gz");
  });

  it("uses UTC, not the local zone, across a day boundary", () => {
    // 23:30 at UTC-5 is 04:30 the next day in UTC.
    const key = logBatchKey({ ...batch, firstTimestamp: new Date("2026-12-31T23:30:00-05:00") });
    expect(key).toBe("logs/web-1/2027-01-01/04-30-00-10-42.json.gz");
  });

  it("zero-pads every date and time field", () => {
    const key = logBatchKey({ ...batch, firstTimestamp: new Date(Date.UTC(987, 0, 2, 3, 4, 5)) });
    expect(key).toBe("logs/web-1/0987-01-02/03-04-05-10-42.json.gz");
  });

  it("gives the same key for the same batch every time", () => {
    expect(logBatchKey({ ...batch, firstTimestamp: new Date(batch.firstTimestamp) })).toBe(logBatchKey(batch));
  });

  it("replaces characters outside [A-Za-z0-9._-] in the server name with '_'", () => {
    expect(logBatchKey({ ...batch, server: "db 1/../prod:5432\\é😀" })).toBe(
      "logs/db_1_.._prod_5432___/2026-03-04/05-06-07-10-42.json.gz",
    );
  });

  it("cuts the server segment to 100 characters", () => {
    const key = logBatchKey({ ...batch, server: "s".repeat(150) });
    expect(key.split("/")[1]).toBe("s".repeat(100));
  });

  it("never yields an empty, '.' or '..' server segment", () => {
    for (const server of ["", ".", ".."]) {
      const key = logBatchKey({ ...batch, server });
      expect(() => assertValidKey(key)).not.toThrow();
      expect(key.split("/")[1]).toMatch(/^_+$/);
    }
  });

  it("rejects an invalid date and negative or fractional sequence numbers", () => {
    expect(() => logBatchKey({ ...batch, firstTimestamp: new Date("nope") })).toThrow(/valid Date/);
    expect(() => logBatchKey({ ...batch, firstSeq: -1 })).toThrow(/firstSeq/);
    expect(() => logBatchKey({ ...batch, lastSeq: 1.5 })).toThrow(/lastSeq/);
  });
});
