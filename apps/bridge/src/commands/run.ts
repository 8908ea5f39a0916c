// `nervesys-bridge run`: the daemon. Starts the log pipeline, connects to the control plane, sends
// heartbeats (kept in the outbox for backfill while offline), delivers the outbox, keeps a state
// file for `status`, and stops cleanly on SIGINT/SIGTERM.

import { rm } from "node:fs/promises";
import path from "node:path";
import type { Heartbeat } from "@nervesys/core/protocol";
import { isoTimestamp } from "@nervesys/core/time";
import { type ConnectionState, ControlPlaneConnection } from "../connection/control-plane-connection";
import type { IdentityStore } from "../identity/identity-store";
import type { Logger } from "../logger";
import type { TailSpec } from "../pipeline/file-sources";
import { OutboxSender } from "../pipeline/outbox-sender";
import type { OwnLogSink } from "../pipeline/own-logs";
import { Pipeline, type PipelineStatus } from "../pipeline/pipeline";
import { writePrivateFile } from "../private-file";
import { buildHeartbeat } from "../telemetry/heartbeat";
import { SystemMetrics } from "../telemetry/system-metrics";
import { BRIDGE_VERSION } from "../version";

export type RunState = {
  pid: number;
  state: ConnectionState;
  since: string;
  lastHeartbeatAt: string | null;
  buffer: { bytes: number; records: number; droppedRecords: number; outbox: number } | null;
  lastUploadAt: string | null;
  ingestHttpPort: number | null;
};

export const STATE_FILE = "state.json";

export type RunOptions = {
  logger: Logger;
  ownLogs: OwnLogSink;
  pingIntervalMs: number;
  bufferCapBytes: number;
  ingestHttpPort: number | null;
  tails: readonly TailSpec[];
};

const MiB = 1024 * 1024;

/** The heartbeat's view of the pipeline: buffer figures in its metrics, trouble in its alerts. */
export function withPipelineStatus(heartbeat: Heartbeat, status: PipelineStatus, capBytes: number): Heartbeat {
  const alerts = [...heartbeat.alerts];
  if (status.quarantined)
    alerts.push(`buffer file was corrupt and set aside as ${path.basename(status.quarantined.path)}`);
  if (status.uploadError) alerts.push(`archive upload failing: ${status.uploadError}`.slice(0, 200));
  if (status.ingestError) alerts.push(status.ingestError.slice(0, 200));
  if (status.bufferBytes > capBytes * 0.8) alerts.push("log buffer above 80% of its cap");
  return {
    ...heartbeat,
    status: alerts.length > 0 ? "degraded" : heartbeat.status,
    alerts,
    metrics: {
      ...heartbeat.metrics,
      buffer_size_mb: Math.round((status.bufferBytes / MiB) * 100) / 100,
      buffer_records: status.records,
      buffer_dropped_records: status.droppedRecords,
    },
  };
}

export async function run(
  store: IdentityStore,
  options: RunOptions,
): Promise<{ ok: false; error: string } | { ok: true; stop(): Promise<void> }> {
  const loaded = await store.load();
  if (!loaded.ok) return loaded;
  const { identity, privateKey } = loaded.value;
  const { logger } = options;
  const statePath = path.join(store.dataDir, STATE_FILE);
  const metrics = new SystemMetrics();

  let sender: OutboxSender | null = null;
  const pipeline = await Pipeline.start({
    dataDir: store.dataDir,
    bufferCapBytes: options.bufferCapBytes,
    ingestHttpPort: options.ingestHttpPort,
    tails: options.tails,
    bridge: { controlPlaneUrl: identity.controlPlaneUrl, serverId: identity.serverId, privateKey },
    ownLogs: options.ownLogs,
    logger,
    onOutbox: () => sender?.pump(),
  });

  const runState: RunState = {
    pid: process.pid,
    state: "connecting",
    since: isoTimestamp(),
    lastHeartbeatAt: null,
    buffer: null,
    lastUploadAt: null,
    ingestHttpPort: pipeline.ingestHttpPort,
  };
  // One write at a time, each complete before it replaces the last: `status` may read at any moment.
  let stateWrites = Promise.resolve();
  const saveState = () => {
    const status = pipeline.status();
    runState.buffer = {
      bytes: status.bufferBytes,
      records: status.records,
      droppedRecords: status.droppedRecords,
      outbox: pipeline.outbox.size(),
    };
    runState.lastUploadAt = status.lastUploadAt;
    const snapshot = JSON.stringify(runState);
    stateWrites = stateWrites.then(() => writePrivateFile(statePath, snapshot)).catch(() => {});
    return stateWrites;
  };

  let heartbeatTimer: NodeJS.Timeout | undefined;
  const beat = () => {
    const heartbeat = withPipelineStatus(
      buildHeartbeat(metrics, BRIDGE_VERSION),
      pipeline.status(),
      options.bufferCapBytes,
    );
    // Offline, the sample waits in the outbox and is backfilled on reconnect: charts keep no gap.
    if (connection.send("heartbeat", heartbeat)) runState.lastHeartbeatAt = heartbeat.timestamp;
    else pipeline.outbox.add("heartbeat", heartbeat);
    void saveState();
  };
  const scheduleHeartbeats = (intervalSeconds: number) => {
    clearInterval(heartbeatTimer);
    heartbeatTimer = setInterval(beat, intervalSeconds * 1000);
  };

  const connection: ControlPlaneConnection = new ControlPlaneConnection({
    identity,
    privateKey,
    version: BRIDGE_VERSION,
    logger,
    pingIntervalMs: options.pingIntervalMs,
    onAuthenticated: ({ heartbeatIntervalSeconds, config }) => {
      beat();
      scheduleHeartbeats(heartbeatIntervalSeconds);
      sender?.onConnected();
      pipeline.configure(config).catch((error: Error) => logger.error({ err: error.message }, "configuring failed"));
    },
    onMessage: (message) => {
      if (message.type === "ack") sender?.onAck(message.data.id);
      else
        pipeline
          .configure(message.data)
          .catch((error: Error) => logger.error({ err: error.message }, "configuring failed"));
    },
    onDisconnected: () => sender?.onDisconnected(),
    onStateChange: (state) => {
      runState.state = state;
      runState.since = isoTimestamp();
      void saveState();
    },
  });
  sender = new OutboxSender(pipeline.outbox, (message) =>
    message.type === "heartbeat.backfill"
      ? connection.send("heartbeat.backfill", message.data)
      : connection.send("archive.uploaded", message.data),
  );
  scheduleHeartbeats(identity.heartbeatIntervalSeconds);

  logger.info(
    { serverId: identity.serverId, controlPlane: identity.controlPlaneUrl, version: BRIDGE_VERSION },
    "bridge starting",
  );
  connection.start();
  return {
    ok: true,
    async stop() {
      clearInterval(heartbeatTimer);
      await connection.stop();
      await pipeline.stop();
      await stateWrites;
      await rm(statePath, { force: true });
      logger.info("bridge stopped");
    },
  };
}
