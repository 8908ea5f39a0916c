"use client";

import type { ServerSummary } from "@nervesys/core/protocol";
import Link from "next/link";
import { useState } from "react";
import { duration, percent, timeAgo } from "@/lib/format";
import { useFleetSocket } from "@/lib/use-fleet-socket";
import { useNow } from "@/lib/use-now";
import { AddServerForm, type Enrollment } from "./add-server-form";
import { EnrollmentPanel } from "./enrollment-panel";
import { StateBadge } from "./state-badge";

function upsert(servers: ServerSummary[], server: ServerSummary): ServerSummary[] {
  const index = servers.findIndex((s) => s.id === server.id);
  if (index === -1) return [server, ...servers];
  return servers.map((s) => (s.id === server.id ? server : s));
}

export function FleetView({ initialServers }: { initialServers: ServerSummary[] }) {
  const [servers, setServers] = useState(initialServers);
  const [enrolling, setEnrolling] = useState<{ name: string; enrollment: Enrollment } | null>(null);
  const live = useFleetSocket((message) => {
    if (message.type === "server.updated") setServers((current) => upsert(current, message.data.server));
    if (message.type === "server.removed") {
      setServers((current) => current.filter((s) => s.id !== message.data.serverId));
    }
  });
  const now = useNow();
  const online = servers.filter((s) => s.state === "online").length;

  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Fleet</h1>
          <p className="text-sm text-slate-500">
            {servers.length} server{servers.length === 1 ? "" : "s"}, {online} online
            <span
              data-testid="live-indicator"
              data-live={live}
              className={`ml-3 ${live ? "text-emerald-600" : "text-slate-400"}`}
            >
              ● {live ? "live" : "connecting…"}
            </span>
          </p>
        </div>
      </div>
      <AddServerForm
        onAdded={(server, enrollment) => {
          setServers((current) => upsert(current, server));
          setEnrolling({ name: server.name, enrollment });
        }}
      />
      {enrolling && <EnrollmentPanel {...enrolling} onClose={() => setEnrolling(null)} />}
      {servers.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-10 text-center text-slate-500 dark:border-slate-700">
          No servers yet. Add one above and run the command it gives you on the server.
        </p>
      ) : (
        <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/60">
            <tr>
              <th className="px-4 py-2">Server</th>
              <th className="px-4 py-2">State</th>
              <th className="px-4 py-2 text-right">CPU</th>
              <th className="px-4 py-2 text-right">RAM</th>
              <th className="px-4 py-2 text-right">Disk</th>
              <th className="px-4 py-2 text-right">Uptime</th>
              <th className="px-4 py-2 text-right">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {servers.map((server) => (
              <tr
                key={server.id}
                data-testid="server-row"
                data-server-id={server.id}
                className="border-t border-slate-100 dark:border-slate-800"
              >
                <td className="px-4 py-2">
                  <Link href={`/servers/${server.id}`} className="font-medium text-indigo-600 hover:underline">
                    {server.name}
                  </Link>
                  {server.hostname && <div className="text-xs text-slate-500">{server.hostname}</div>}
                </td>
                <td className="px-4 py-2">
                  <StateBadge state={server.state} />
                  {server.state === "online" && server.alerts.length > 0 && (
                    <span
                      data-testid="server-alerts-count"
                      title={server.alerts.join("\n")}
                      className="ml-2 text-xs text-amber-700 dark:text-amber-400"
                    >
                      ⚠ {server.alerts.length}
                    </span>
                  )}
                </td>
                <td data-testid="cpu" className="px-4 py-2 text-right tabular-nums">
                  {percent(server.metrics?.cpu_percent)}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{percent(server.metrics?.ram_percent)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{percent(server.metrics?.disk_percent)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{duration(server.uptimeSeconds)}</td>
                <td className="px-4 py-2 text-right text-slate-500" suppressHydrationWarning>
                  {timeAgo(server.lastSeenAt, now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
