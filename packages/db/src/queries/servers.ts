import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { enrollmentTokens, servers } from "../schema";

export type Server = typeof servers.$inferSelect;

/** Creates a server and its first enrollment token in one transaction. */
export async function createServerWithToken(
  db: Database,
  input: { ownerId: string; name: string; tokenHash: string; expiresAt: Date },
): Promise<Server> {
  return db.transaction(async (tx) => {
    const [server] = await tx.insert(servers).values({ ownerId: input.ownerId, name: input.name }).returning();
    if (!server) throw new Error("insert returned no server");
    await tx
      .insert(enrollmentTokens)
      .values({ serverId: server.id, tokenHash: input.tokenHash, expiresAt: input.expiresAt });
    return server;
  });
}

/**
 * Issues a new enrollment token for an owner's server (to enroll it again, or after the first
 * token expired); its earlier unused tokens stop working. False when the server is not theirs.
 */
export async function replaceEnrollmentToken(
  db: Database,
  input: { ownerId: string; serverId: string; tokenHash: string; expiresAt: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [server] = await tx
      .select({ id: servers.id })
      .from(servers)
      .where(and(eq(servers.id, input.serverId), eq(servers.ownerId, input.ownerId)))
      .for("update");
    if (!server) return false;
    await tx
      .delete(enrollmentTokens)
      .where(and(eq(enrollmentTokens.serverId, server.id), isNull(enrollmentTokens.usedAt)));
    await tx
      .insert(enrollmentTokens)
      .values({ serverId: server.id, tokenHash: input.tokenHash, expiresAt: input.expiresAt });
    return true;
  });
}

/** Deletes an owner's server with its tokens, keys and samples; false when it is not theirs. */
export async function deleteServer(db: Database, ownerId: string, serverId: string): Promise<boolean> {
  const deleted = await db
    .delete(servers)
    .where(and(eq(servers.id, serverId), eq(servers.ownerId, ownerId)))
    .returning({ id: servers.id });
  return deleted.length > 0;
}

export function listServers(db: Database, ownerId: string): Promise<Server[]> {
  return db.select().from(servers).where(eq(servers.ownerId, ownerId)).orderBy(desc(servers.createdAt));
}

/** A server of this owner, or null: another owner's server is indistinguishable from none. */
export async function findServer(db: Database, ownerId: string, serverId: string): Promise<Server | null> {
  const [server] = await db
    .select()
    .from(servers)
    .where(and(eq(servers.id, serverId), eq(servers.ownerId, ownerId)));
  return server ?? null;
}

export async function setConnected(db: Database, serverId: string, connectedAt: Date | null): Promise<Server | null> {
  const [server] = await db
    .update(servers)
    .set({ connectedAt, ...(connectedAt ? { lastSeenAt: connectedAt } : {}) })
    .where(eq(servers.id, serverId))
    .returning();
  return server ?? null;
}

/** At start-up this instance holds no sockets, so no server can be connected through it. */
export async function clearConnections(db: Database): Promise<void> {
  await db.update(servers).set({ connectedAt: null }).where(isNotNull(servers.connectedAt));
}
