// `nervesys-bridge run`: the daemon. Connects, sends heartbeats while connected, keeps a state
// file for `status`, and stops cleanly on SIGINT/SIGTERM.
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type ConnectionState, ControlPlaneConnection } from "../connection/control-plane-connection";
import type { IdentityStore } from "../identity/identity-store";
import type { Logger } from "../logger";
import { buildHeartbeat } from "../telemetry/heartbeat";
import { SystemMetrics } from "../telemetry/system-metrics";
import { BRIDGE_VERSION } from "../version";

export type RunState = { pid: number; state: ConnectionState; since: string; lastHeartbeatAt: string | null };

export const STATE_FILE = "state.json";

export async function run(
  store: IdentityStore,
  deps: { logger: Logger; pingIntervalMs: number },
): Promise<{ ok: false; error: string } | { ok: true; stop(): Promise<void> }> {
  const loaded = await store.load();
  if (!loaded.ok) return loaded;
  const { identity, privateKey } = loaded.value;
  const { logger } = deps;
  const statePath = path.join(store.dataDir, STATE_FILE);
  const metrics = new SystemMetrics();
  let heartbeatTimer: NodeJS.Timeout | undefined;
  const runState: RunState = {
    pid: process.pid,
    state: "connecting",
    since: new Date().toISOString(),
    lastHeartbeatAt: null,
  };
  // One write at a time, each complete before it replaces the last: `status` may read at any moment.
  let stateWrites = Promise.resolve();
  const saveState = () => {
    const snapshot = JSON.stringify(runState);
    stateWrites = stateWrites
      .then(async () => {
        await writeFile(`${statePath}.tmp`, snapshot, { mode: 0o600 });
        await rename(`${statePath}.tmp`, statePath);
      })
      .catch(() => {});
    return stateWrites;
  };

  const connection = new ControlPlaneConnection({
    identity,
    privateKey,
    version: BRIDGE_VERSION,
    logger,
    pingIntervalMs: deps.pingIntervalMs,
    onAuthenticated: ({ heartbeatIntervalSeconds }) => {
      const beat = () => {
        if (connection.send("heartbeat", buildHeartbeat(metrics, BRIDGE_VERSION))) {
          runState.lastHeartbeatAt = new Date().toISOString();
          void saveState();
        }
      };
      beat();
      clearInterval(heartbeatTimer);
      heartbeatTimer = setInterval(beat, heartbeatIntervalSeconds * 1000);
    },
    onDisconnected: () => clearInterval(heartbeatTimer),
    onStateChange: (state) => {
      runState.state = state;
      runState.since = new Date().toISOString();
      void saveState();
    },
  });
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
      await stateWrites;
      await rm(statePath, { force: true });
      logger.info("bridge stopped");
    },
  };
}
