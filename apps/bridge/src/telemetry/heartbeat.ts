import os from "node:os";
import type { Heartbeat } from "@nervesys/core/protocol";
import { isoTimestamp } from "@nervesys/core/time";
import type { SystemMetrics } from "./system-metrics";

/** Builds the heartbeat message for this moment. */
export function buildHeartbeat(metrics: SystemMetrics, version: string, now = new Date()): Heartbeat {
  return {
    agent_id: "bridge",
    timestamp: isoTimestamp(now),
    status: "healthy",
    metrics: metrics.sample(),
    alerts: [],
    last_action: null,
    uptime_seconds: Math.floor(os.uptime()),
    version,
  };
}
