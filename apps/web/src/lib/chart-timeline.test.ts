import type { MetricSample } from "@nervesys/core/protocol";
import { describe, expect, it } from "vitest";
import { chartPoints, timeAxis } from "./chart-timeline";

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

describe("timeAxis", () => {
  it("spans the whole window up to now, ticking on every whole ten minutes of an hour", () => {
    const now = at("2026-12-02T01:21:30Z");
    const axis = timeAxis(now, 60);
    expect(axis.domain).toEqual([now - 60 * MINUTE, now]);
    expect(axis.ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual([
      "00:30",
      "00:40",
      "00:50",
      "01:00",
      "01:10",
      "01:20",
    ]);
  });

  it("picks a round step that keeps any window to at most seven ticks", () => {
    const now = at("2026-12-02T12:00:00Z");
    for (const [windowMinutes, stepMinutes] of [
      [5, 1],
      [15, 5],
      [360, 60],
      [1440, 360],
      [10_000, 2 * 1440],
    ] as const) {
      const { ticks } = timeAxis(now, windowMinutes);
      expect(ticks.length).toBeLessThanOrEqual(7);
      expect(ticks[1]! - ticks[0]!).toBe(stepMinutes * MINUTE);
      expect(ticks.every((t) => t % (stepMinutes * MINUTE) === 0)).toBe(true);
      expect(now - ticks.at(-1)!).toBeLessThan(stepMinutes * MINUTE);
    }
  });
});

describe("chartPoints", () => {
  const sample = (iso: string, cpu = 10): MetricSample => ({ timestamp: iso, cpu, ram: 20, disk: 30 });

  it("keeps an unbroken series as it is", () => {
    const samples = [0, 30, 60, 90, 125].map((s) =>
      sample(new Date(at("2026-12-02T01:00:00Z") + s * 1000).toISOString()),
    );
    expect(chartPoints(samples)).toEqual(
      samples.map((s) => ({ t: Date.parse(s.timestamp), cpu: s.cpu, ram: s.ram, disk: s.disk })),
    );
  });

  it("breaks every line once between samples an outage apart, and nowhere else", () => {
    const base = at("2026-12-02T01:00:00Z");
    const seconds = [0, 30, 60, 90, 600, 630, 660];
    const points = chartPoints(seconds.map((s) => sample(new Date(base + s * 1000).toISOString())));
    expect(points.map((p) => (p.cpu === null ? "gap" : (p.t - base) / 1000))).toEqual([
      0,
      30,
      60,
      90,
      "gap",
      600,
      630,
      660,
    ]);
    expect(points[4]).toEqual({ t: base + 345_000, cpu: null, ram: null, disk: null });
  });

  it("draws too few samples to judge a gap as they are", () => {
    const points = chartPoints([
      sample("2026-12-02T01:00:00Z"),
      sample("2026-12-02T01:00:30Z"),
      sample("2026-12-02T02:00:00Z"),
    ]);
    expect(points.every((p) => p.cpu !== null)).toBe(true);
    expect(chartPoints([])).toEqual([]);
  });
});
