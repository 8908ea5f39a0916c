import type { MetricSample, ServerSummary } from "@nervesys/core/protocol";
import type { Sample, Server } from "@nervesys/db";

export function toServerSummary(server: Server): ServerSummary {
  return {
    id: server.id,
    name: server.name,
    state: server.connectedAt ? "online" : server.enrolledAt ? "offline" : "pending",
    hostname: server.hostname,
    bridgeVersion: server.bridgeVersion,
    lastSeenAt: server.lastSeenAt?.toISOString() ?? null,
    uptimeSeconds: server.uptimeSeconds,
    metrics: server.lastMetrics ?? null,
    health: server.lastStatus ?? null,
    alerts: server.lastAlerts ?? [],
    createdAt: server.createdAt.toISOString(),
  };
}

export function toMetricSample(sample: Sample): MetricSample {
  return {
    timestamp: sample.timestamp.toISOString(),
    cpu: sample.metrics.cpu_percent,
    ram: sample.metrics.ram_percent,
    disk: sample.metrics.disk_percent,
  };
}
