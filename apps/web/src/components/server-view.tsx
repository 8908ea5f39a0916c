"use client";

import type { MetricSample, ServerSummary } from "@nervesys/core/protocol";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { duration, percent, timeAgo } from "@/lib/format";
import { useFleetSocket } from "@/lib/use-fleet-socket";
import { useNow } from "@/lib/use-now";
import { ArchiveBrowser } from "./archive-browser";
import { MetricsChart } from "./metrics-chart";
import { ServerActions } from "./server-actions";
import { StateBadge } from "./state-badge";

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div data-testid={testId} className="mt-1 text-xl font-semibold tabular-nums">
        {value}
      </div>
    </div>
  );
}

export function ServerView(props: {
  initialServer: ServerSummary;
  initialSamples: MetricSample[];
  windowMinutes: number;
}) {
  const [server, setServer] = useState(props.initialServer);
  const [samples, setSamples] = useState(props.initialSamples);
  const router = useRouter();
  useFleetSocket((message) => {
    if (message.type === "server.removed" && message.data.serverId === server.id) router.replace("/");
    if (message.type === "server.updated" && message.data.server.id === server.id) setServer(message.data.server);
    if (message.type === "server.sample" && message.data.serverId === server.id) {
      const cutoff = Date.now() - props.windowMinutes * 60_000;
      // Backfilled samples (kept by the bridge while offline) arrive late: keep the chart in time order.
      setSamples((current) =>
        [...current, message.data.sample]
          .filter((s) => Date.parse(s.timestamp) >= cutoff)
          .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp)),
      );
    }
  });
  const now = useNow();
  const m = server.metrics;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/" className="text-sm text-indigo-600 hover:underline">
          ← Fleet
        </Link>
        <div className="mt-2 flex items-center gap-3">
          <h1 data-testid="server-name" className="text-2xl font-semibold">
            {server.name}
          </h1>
          <StateBadge state={server.state} />
        </div>
        <p className="text-sm text-slate-500">
          {server.hostname ?? "not enrolled yet"}
          {server.bridgeVersion && ` · bridge ${server.bridgeVersion}`} · last seen{" "}
          <span suppressHydrationWarning>{timeAgo(server.lastSeenAt, now)}</span>
        </p>
      </div>
      <ServerActions serverId={server.id} name={server.name} />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-5">
        <Stat label="CPU" value={percent(m?.cpu_percent)} testId="stat-cpu" />
        <Stat label="RAM" value={percent(m?.ram_percent)} testId="stat-ram" />
        <Stat label="Disk" value={percent(m?.disk_percent)} testId="stat-disk" />
        <Stat label="Load (1m)" value={m ? m.load_1.toFixed(2) : "—"} />
        <Stat label="Uptime" value={duration(server.uptimeSeconds)} />
      </div>
      <section className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="mb-2 font-semibold">Last {props.windowMinutes} minutes</h2>
        {samples.length === 0 ? (
          <p className="p-8 text-center text-slate-500">
            No heartbeats yet. Samples appear here as the bridge reports.
          </p>
        ) : (
          <MetricsChart samples={samples} windowMinutes={props.windowMinutes} now={now} />
        )}
      </section>
      <ArchiveBrowser server={server} />
    </div>
  );
}
