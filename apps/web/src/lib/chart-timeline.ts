// The heartbeat chart's time line: a fixed window that ends now, with ticks on round minutes (a
// chart of a few samples otherwise labels every tick with the same minute), and a break in each
// series wherever heartbeats stopped and nothing was backfilled, rather than a straight line drawn
// across the outage as if the server had been up.
import type { MetricSample } from "@nervesys/core/protocol";

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
/** Tick spacings to choose from, in minutes: the smallest that gives at most MAX_TICKS - 1 intervals, or whole days. */
const TICK_STEPS_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
const MAX_TICKS = 7;
/** Consecutive samples further apart than this many typical spacings have an outage between them. */
const GAP_FACTOR = 3;

export type TimeAxis = { domain: [number, number]; ticks: number[] };
export type ChartPoint = { t: number; cpu: number | null; ram: number | null; disk: number | null };

/** The last `windowMinutes` up to `now` (epoch ms), with ticks at whole multiples of a round step. */
export function timeAxis(now: number, windowMinutes: number): TimeAxis {
  const start = now - windowMinutes * MINUTE;
  const intervals = MAX_TICKS - 1;
  const stepMinutes =
    TICK_STEPS_MINUTES.find((m) => windowMinutes / m <= intervals) ??
    Math.ceil(windowMinutes / intervals / DAY_MINUTES) * DAY_MINUTES;
  const step = stepMinutes * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= now; t += step) ticks.push(t);
  return { domain: [start, now], ticks };
}

/**
 * The samples (in time order) as chart points, with a point of nulls, which breaks every line,
 * between two samples further apart than GAP_FACTOR times the median spacing.
 */
export function chartPoints(samples: readonly MetricSample[]): ChartPoint[] {
  const points = samples.map((s) => ({ t: Date.parse(s.timestamp), cpu: s.cpu, ram: s.ram, disk: s.disk }));
  const spacings = points
    .slice(1)
    .map((p, i) => p.t - (points[i] as ChartPoint).t)
    .sort((a, b) => a - b);
  // Two spacings cannot tell an outage from a slow heartbeat.
  if (spacings.length < 3) return points;
  const typical = spacings[Math.floor(spacings.length / 2)] as number;
  const out: ChartPoint[] = [];
  for (const [i, point] of points.entries()) {
    const previous = points[i - 1];
    if (previous && point.t - previous.t > GAP_FACTOR * typical) {
      out.push({ t: (previous.t + point.t) / 2, cpu: null, ram: null, disk: null });
    }
    out.push(point);
  }
  return out;
}
