"use client";

import type { MetricSample } from "@nervesys/core/protocol";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const SERIES = [
  { key: "cpu", name: "CPU %", color: "#6366f1" },
  { key: "ram", name: "RAM %", color: "#10b981" },
  { key: "disk", name: "Disk %", color: "#f59e0b" },
] as const;

function clock(timestamp: number): string {
  return new Date(timestamp).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function MetricsChart({ samples }: { samples: MetricSample[] }) {
  const data = samples.map((s) => ({ ...s, t: Date.parse(s.timestamp) }));
  return (
    <div data-testid="metrics-chart" className="h-80 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
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
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
