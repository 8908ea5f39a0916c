import type { Heartbeat } from "@nervesys/core/protocol";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Database } from "../client";
import { agentStatus, servers } from "../schema";
import type { Server } from "./servers";

export type Sample = typeof agentStatus.$inferSelect;

function sampleRow(server: Pick<Server, "id" | "name">, hb: Heartbeat): typeof agentStatus.$inferInsert {
  return {
    serverId: server.id,
    agentId: hb.agent_id,
    server: server.name,
    timestamp: new Date(hb.timestamp),
    status: hb.status,
    metrics: hb.metrics,
    alerts: hb.alerts,
    lastAction: hb.last_action,
    uptimeSeconds: hb.uptime_seconds,
  };
}

/** Stores one heartbeat sample and the server's latest state; returns both. */
export async function recordHeartbeat(
  db: Database,
  input: { server: Pick<Server, "id" | "name">; heartbeat: Heartbeat; receivedAt: Date },
): Promise<{ server: Server; sample: Sample }> {
  const { heartbeat: hb } = input;
  return db.transaction(async (tx) => {
    const [sample] = await tx.insert(agentStatus).values(sampleRow(input.server, hb)).returning();
    const [server] = await tx
      .update(servers)
      .set({
        lastSeenAt: input.receivedAt,
        lastMetrics: hb.metrics,
        lastStatus: hb.status,
        lastAlerts: hb.alerts,
        uptimeSeconds: hb.uptime_seconds,
        bridgeVersion: hb.version,
      })
      .where(eq(servers.id, input.server.id))
      .returning();
    if (!sample || !server) throw new Error("heartbeat for a missing server");
    return { server, sample };
  });
}

/**
 * Stores samples a bridge kept while it was offline. They fill the chart's gap but are not the
 * server's latest state, which only a live heartbeat sets.
 */
export async function recordBackfilledSamples(
  db: Database,
  input: { server: Pick<Server, "id" | "name">; heartbeats: readonly Heartbeat[] },
): Promise<Sample[]> {
  if (input.heartbeats.length === 0) return [];
  return db
    .insert(agentStatus)
    .values(input.heartbeats.map((hb) => sampleRow(input.server, hb)))
    .returning();
}

/** A server's samples since a time, oldest first (uses the (server_id, timestamp desc) index). */
export function listSamples(db: Database, serverId: string, since: Date): Promise<Sample[]> {
  return db
    .select()
    .from(agentStatus)
    .where(and(eq(agentStatus.serverId, serverId), gte(agentStatus.timestamp, since)))
    .orderBy(asc(agentStatus.timestamp));
}

/** Deletes samples older than `before`; returns how many went. */
export async function pruneSamples(db: Database, before: Date): Promise<number> {
  const deleted = await db
    .delete(agentStatus)
    .where(lt(agentStatus.timestamp, before))
    .returning({ id: agentStatus.id });
  return deleted.length;
}
