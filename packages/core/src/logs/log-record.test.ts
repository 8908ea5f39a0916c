import { describe, expect, it } from "vitest";
import { normaliseLogRecord } from "./log-record";

const now = () => new Date("2026-01-01T00:00:00Z");

describe("normaliseLogRecord", () => {
  it("fills defaults for a bare message", () => {
    expect(normaliseLogRecord({ message: "hi" }, now)).toEqual({
      ok: true,
      record: {
        timestamp: "2026-01-01T00:00:00.000Z",
        level: "INFO",
        agent: "bridge",
        action: null,
        message: "hi",
        context: null,
      },
    });
  });

  it("normalises level case, timestamp offsets and keeps context as JSON text", () => {
    const result = normaliseLogRecord(
      {
        message: "x",
        level: "critical",
        timestamp: "2026-01-01T02:00:00+02:00",
        agent: "grok",
        action: "deploy",
        context: { a: [1] },
      },
      now,
    );
    expect(result).toMatchObject({
      ok: true,
      record: { level: "CRITICAL", timestamp: "2026-01-01T00:00:00.000Z", context: '{"a":[1]}' },
    });
  });

  it.each([
    ["canonical", "2026-03-04T05:06:07.089Z", "2026-03-04T05:06:07.089Z"],
    ["without milliseconds", "2026-03-04T05:06:07Z", "2026-03-04T05:06:07.000Z"],
    ["with an offset", "2026-03-04T05:06:07.089+01:00", "2026-03-04T04:06:07.089Z"],
    ["a date only", "2026-03-04", "2026-03-04T00:00:00.000Z"],
    ["canonical-looking with an overflowing day", "2026-02-30T00:00:00.000Z", "2026-03-02T00:00:00.000Z"],
    ["canonical-looking at hour 24", "2026-12-31T24:00:00.000Z", "2027-01-01T00:00:00.000Z"],
  ])("stores a %s timestamp as what toISOString writes", (_name, timestamp, stored) => {
    expect(normaliseLogRecord({ message: "m", timestamp }, now)).toMatchObject({
      ok: true,
      record: { timestamp: stored },
    });
  });

  it.each([
    ["not an object", "hello", /JSON object/],
    ["an array", [], /JSON object/],
    ["no message", { level: "INFO" }, /message/],
    ["a numeric message", { message: 5 }, /message/],
    ["an unknown level", { message: "m", level: "LOUD" }, /level/],
    ["a bad timestamp", { message: "m", timestamp: "yesterday" }, /timestamp/],
    ["an empty agent", { message: "m", agent: "" }, /agent/],
    ["a long action", { message: "m", action: "a".repeat(101) }, /action/],
    ["an array context", { message: "m", context: [1] }, /context/],
    ["an oversized message", { message: "m".repeat(16 * 1024 + 1) }, /message/],
    ["an oversized context", { message: "m", context: { big: "c".repeat(16 * 1024) } }, /context/],
  ])("rejects %s with a clear error", (_name, input, error) => {
    const result = normaliseLogRecord(input, now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});
