import { describe, expect, it } from "vitest";
import { fullJitterDelay, RECONNECT_BACKOFF } from "./backoff";

describe("fullJitterDelay", () => {
  it("grows the ceiling exponentially from 1 s", () => {
    const top = () => 0.999999;
    expect(fullJitterDelay(0, { ...RECONNECT_BACKOFF, random: top })).toBe(999);
    expect(fullJitterDelay(3, { ...RECONNECT_BACKOFF, random: top })).toBe(7_999);
  });

  it("never exceeds the 30 s cap, even after many attempts", () => {
    for (const attempt of [5, 10, 100, 10_000]) {
      expect(fullJitterDelay(attempt, { ...RECONNECT_BACKOFF, random: () => 0.999999 })).toBeLessThan(30_000);
    }
  });

  it("spreads delays over the whole range", () => {
    const delays = Array.from({ length: 200 }, () => fullJitterDelay(10, RECONNECT_BACKOFF));
    expect(Math.min(...delays)).toBeLessThan(5_000);
    expect(Math.max(...delays)).toBeGreaterThan(25_000);
    expect(delays.every((d) => d >= 0 && d < 30_000)).toBe(true);
  });
});
