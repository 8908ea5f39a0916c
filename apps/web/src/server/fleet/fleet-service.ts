// What a signed-in user may do with their fleet. Every call takes the owner: another user's
// server is indistinguishable from one that does not exist.
import { randomToken, sha256Hex } from "@nervesys/core/crypto";
import {
  ENROLLMENT_TOKEN_PREFIX,
  ENROLLMENT_TOKEN_TTL_MS,
  type MetricSample,
  type ServerSummary,
} from "@nervesys/core/protocol";
import { createServerWithToken, type Database, findServer, listSamples, listServers } from "@nervesys/db";
import type { FleetEvents } from "./fleet-events";
import { toMetricSample, toServerSummary } from "./summaries";

export type NewServer = { server: ServerSummary; token: string; expiresAt: string };

export class FleetService {
  constructor(
    private readonly db: Database,
    private readonly events: FleetEvents,
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
    const token = randomToken(ENROLLMENT_TOKEN_PREFIX);
    const expiresAt = new Date(this.clock().getTime() + ENROLLMENT_TOKEN_TTL_MS);
    const server = toServerSummary(
      await createServerWithToken(this.db, { ownerId, name, tokenHash: sha256Hex(token), expiresAt }),
    );
    this.events.publish(ownerId, { type: "server.updated", server });
    return { server, token, expiresAt: expiresAt.toISOString() };
  }

  /** Samples of the last `minutes`, or null when the server is not this owner's. */
  async samples(ownerId: string, serverId: string, minutes: number): Promise<MetricSample[] | null> {
    if (!(await findServer(this.db, ownerId, serverId))) return null;
    const since = new Date(this.clock().getTime() - minutes * 60_000);
    return (await listSamples(this.db, serverId, since)).map(toMetricSample);
  }
}
