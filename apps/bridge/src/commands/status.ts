import { readFile } from "node:fs/promises";
import path from "node:path";
import type { IdentityStore } from "../identity/identity-store";
import { ingestTokenPath } from "../sources/ingest-token";
import type { CommandResult } from "./enroll";
import { type RunState, STATE_FILE } from "./run";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `nervesys-bridge status`: who this bridge is and whether its daemon runs and is connected. */
export async function status(store: IdentityStore): Promise<CommandResult> {
  const loaded = await store.load();
  if (!loaded.ok) return loaded;
  const { identity } = loaded.value;
  const lines = [
    `server:        ${identity.serverName} (${identity.serverId})`,
    `control plane: ${identity.controlPlaneUrl}`,
    `enrolled:      ${identity.enrolledAt}`,
  ];
  const state = await readFile(path.join(store.dataDir, STATE_FILE), "utf8")
    .then((raw) => JSON.parse(raw) as RunState)
    .catch(() => null);
  if (state && isAlive(state.pid)) {
    lines.push(`daemon:        running (pid ${state.pid}), ${state.state} since ${state.since}`);
    lines.push(`heartbeat:     ${state.lastHeartbeatAt ?? "none sent yet"}`);
    if (state.buffer) {
      const { bytes, records, droppedRecords, outbox } = state.buffer;
      lines.push(
        `buffer:        ${(bytes / 1024 / 1024).toFixed(2)} MiB, ${records} records waiting, ${droppedRecords} dropped at the cap, ${outbox} reports queued`,
      );
    }
    lines.push(`last upload:   ${state.lastUploadAt ?? "none yet"}`);
    if (state.ingestHttpPort) {
      lines.push(
        `ingest:        http://127.0.0.1:${state.ingestHttpPort}/v1/logs (Authorization: Bearer, the token in ${ingestTokenPath(store.dataDir)})`,
      );
    }
  } else {
    lines.push("daemon:        not running");
  }
  return { ok: true, message: lines.join("\n") };
}
