import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { Database } from "../client";
import { type ArchiveLocation, archiveObjects, servers } from "../schema";

export type ArchiveObject = typeof archiveObjects.$inferSelect;

export type ArchiveObjectInput = {
  serverId: string;
  key: string;
  location: ArchiveLocation;
  bytes: number;
  rawBytes: number;
  records: number;
  firstTimestamp: Date;
  lastTimestamp: Date;
  sha256: string;
};

/**
 * Indexes an archived object. A bridge re-reports after a lost acknowledgement and a retried
 * upload rewrites the same key, so a repeat updates the row instead of adding one.
 */
export async function recordArchiveObject(db: Database, input: ArchiveObjectInput): Promise<ArchiveObject> {
  const { serverId, key, ...rest } = input;
  const [row] = await db
    .insert(archiveObjects)
    .values(input)
    .onConflictDoUpdate({
      target: [archiveObjects.serverId, archiveObjects.key],
      set: { ...rest, uploadedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error("insert returned no archive object");
  return row;
}

/** The objects of an owner's server: for another owner's server, nothing (joined with `servers`). */
const ofOwnedServer = (ownerId: string, serverId: string) =>
  and(eq(servers.ownerId, ownerId), eq(archiveObjects.serverId, serverId));

/** An owner's server's archived objects whose first record falls in [from, to), newest first. */
export async function listArchiveObjects(
  db: Database,
  input: { ownerId: string; serverId: string; from: Date; to: Date; limit: number },
): Promise<ArchiveObject[]> {
  const rows = await db
    .select({ object: archiveObjects })
    .from(archiveObjects)
    .innerJoin(servers, eq(servers.id, archiveObjects.serverId))
    .where(
      and(
        ofOwnedServer(input.ownerId, input.serverId),
        gte(archiveObjects.firstTimestamp, input.from),
        lt(archiveObjects.firstTimestamp, input.to),
      ),
    )
    .orderBy(desc(archiveObjects.firstTimestamp))
    .limit(input.limit);
  return rows.map((r) => r.object);
}

/** One archived object of an owner's server, or null (another owner's is indistinguishable from none). */
export async function findArchiveObject(
  db: Database,
  input: { ownerId: string; serverId: string; objectId: number },
): Promise<ArchiveObject | null> {
  const [row] = await db
    .select({ object: archiveObjects })
    .from(archiveObjects)
    .innerJoin(servers, eq(servers.id, archiveObjects.serverId))
    .where(and(ofOwnedServer(input.ownerId, input.serverId), eq(archiveObjects.id, input.objectId)));
  return row?.object ?? null;
}

/** The most recent upload of a server, or null before its first. */
export async function lastArchiveObject(db: Database, serverId: string): Promise<ArchiveObject | null> {
  const [row] = await db
    .select()
    .from(archiveObjects)
    .where(eq(archiveObjects.serverId, serverId))
    .orderBy(desc(archiveObjects.uploadedAt))
    .limit(1);
  return row ?? null;
}
