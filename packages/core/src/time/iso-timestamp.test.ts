import { describe, expect, it } from "vitest";
import { isoTimestamp } from "./iso-timestamp";

/** Date.UTC, but years 0-99 are those years, not 1900-1999. */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  return new Date(0).setUTCFullYear(year, month, day) + ((h * 60 + m) * 60 + s) * 1000 + ms;
}

describe("isoTimestamp", () => {
  it("writes what toISOString writes across the whole four-digit range", () => {
    const edges = [
      0,
      -1,
      utc(0, 0, 1),
      utc(99, 11, 31, 23, 59, 59, 999),
      utc(9999, 11, 31, 23, 59, 59, 999),
      utc(2026, 1, 28, 23, 59, 59, 999),
      utc(2024, 1, 29, 12, 0, 0, 7),
      utc(1969, 11, 31, 23, 59, 59, 999),
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const span = utc(9999, 11, 31) - utc(0, 0, 1);
    const times = [...edges, ...Array.from({ length: 20_000 }, () => utc(0, 0, 1) + Math.floor(random() * span))];
    for (const time of times) {
      expect(isoTimestamp(time)).toBe(new Date(time).toISOString());
      expect(isoTimestamp(new Date(time))).toBe(new Date(time).toISOString());
    }
  });

  it("leaves six-digit years and invalid dates to toISOString", () => {
    for (const time of [utc(10_000, 0, 1), utc(-1, 5, 1), utc(0, 0, 1) - 1, 8.64e15, -8.64e15]) {
      expect(isoTimestamp(time)).toBe(new Date(time).toISOString());
    }
    expect(() => isoTimestamp(Number.NaN)).toThrow(RangeError);
    expect(() => isoTimestamp(new Date("not a date"))).toThrow(RangeError);
  });

  it("stamps now by default", () => {
    const before = Date.now();
    const stamped = Date.parse(isoTimestamp());
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });
});
