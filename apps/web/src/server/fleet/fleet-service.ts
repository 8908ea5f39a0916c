// What a signed-in user may do with their fleet. Every call takes the owner: another user's
// server is indistinguishable from one that does not exist.
import { randomToken, sha256Hex } from "@nervesys/core/crypto";
import {
  ENROLLMENT_TOKEN_PREFIX,
  ENROLLMENT_TOKEN_TTL_MS,
  type MetricSample,
  type ServerSummary,
} from "@nervesys/core/protocol";
import {
  createServerWithToken,
  type Database,
  deleteServer,
  findServer,
  listSamples,
  listServers,
  replaceEnrollmentToken,
} from "@nervesys/db";
import type { FleetEvents } from "./fleet-events";
import { toMetricSample, toServerSummary } from "./summaries";

export type NewToken = { token: string; expiresAt: string };
export type NewServer = NewToken & { server: ServerSummary };

/** What the fleet needs from whoever holds bridge connections. */
export type BridgeConnections = { disconnect(serverId: string, reason: string): void };

export class FleetService {
  constructor(
    private readonly db: Database,
    private readonly events: FleetEvents,
    private readonly bridges: BridgeConnections,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(ownerId: string): Promise<ServerSummary[]> {
    return (await listServers(this.db, ownerId)).map(toServerSummary);
  }

  async get(ownerId: string, serverId: string): Promise<ServerSummary | null> {
    const server = await findServer(this.db, ownerId, serverId);
    return server ? toServerSummary(server) : null;
  }

  /** Adds a server and returns its one-time enrollment token (shown once; only its hash is kept). */
  async add(ownerId: string, name: string): Promise<NewServer> {
    const { token, tokenHash, expiresAt } = this.mintToken();
    const server = toServerSummary(await createServerWithToken(this.db, { ownerId, name, tokenHash, expiresAt }));
    this.events.publish(ownerId, { type: "server.updated", server });
    return { server, token, expiresAt: expiresAt.toISOString() };
  }

  /** A fresh token for one of the owner's servers (its earlier unused tokens stop working), or null. */
  async newEnrollmentToken(ownerId: string, serverId: string): Promise<NewToken | null> {
    const { token, tokenHash, expiresAt } = this.mintToken();
    const replaced = await replaceEnrollmentToken(this.db, { ownerId, serverId, tokenHash, expiresAt });
    return replaced ? { token, expiresAt: expiresAt.toISOString() } : null;
  }

  /** Removes one of the owner's servers and cuts off its bridge; false when it is not theirs. */
  async remove(ownerId: string, serverId: string): Promise<boolean> {
    if (!(await deleteServer(this.db, ownerId, serverId))) return false;
    this.bridges.disconnect(serverId, "server removed");
    this.events.publish(ownerId, { type: "server.removed", serverId });
    return true;
  }

  private mintToken() {
    const token = randomToken(ENROLLMENT_TOKEN_PREFIX);
    return {
      token,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(this.clock().getTime() + ENROLLMENT_TOKEN_TTL_MS),
    };
  }

  /** Samples of the last `minutes`, or null when the server is not this owner's. */
  async samples(ownerId: string, serverId: string, minutes: number): Promise<MetricSample[] | null> {
    if (!(await findServer(this.db, ownerId, serverId))) return null;
    const since = new Date(this.clock().getTime() - minutes * 60_000);
    return (await listSamples(this.db, serverId, since)).map(toMetricSample);
  }
}
