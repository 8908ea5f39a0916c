"use client";

import type { MetricSample } from "@nervesys/core/protocol";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartPoints, timeAxis } from "@/lib/chart-timeline";

const SERIES = [
  { key: "cpu", name: "CPU %", color: "#6366f1" },
  { key: "ram", name: "RAM %", color: "#10b981" },
  { key: "disk", name: "Disk %", color: "#f59e0b" },
] as const;

/** Up to this many points each is drawn as a dot too: a line cannot show a single sample. */
const FEW_POINTS = 10;

function clock(timestamp: number): string {
  return new Date(timestamp).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The samples of the last `windowMinutes` up to `now`; the window stays whole however few samples there are. */
export function MetricsChart(props: { samples: MetricSample[]; windowMinutes: number; now: number }) {
  const data = chartPoints(props.samples);
  // `now` ticks every few seconds; a sample that arrived since must not fall off the right edge.
  const axis = timeAxis(Math.max(props.now, data.at(-1)?.t ?? 0), props.windowMinutes);
  return (
    <div data-testid="metrics-chart" className="h-80 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={axis.domain}
            ticks={axis.ticks}
            allowDataOverflow
            tickFormatter={clock}
            fontSize={12}
          />
          <YAxis domain={[0, 100]} fontSize={12} unit="%" />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toLocaleTimeString()}
            formatter={(v) => `${Number(v).toFixed(1)} %`}
          />
          <Legend />
          {SERIES.map((s) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              dot={data.length <= FEW_POINTS ? { r: 2 } : false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
