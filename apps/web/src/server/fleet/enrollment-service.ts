// POST /api/enroll: a bridge trades a one-time token and its public key for a server identity.
import { sha256Hex } from "@nervesys/core/crypto";
import type { EnrollErrorCode, EnrollRequest, EnrollResponse } from "@nervesys/core/protocol";
import { type Database, redeemEnrollmentToken } from "@nervesys/db";
import type { FleetEvents } from "./fleet-events";
import { toServerSummary } from "./summaries";

export type EnrollResult = { ok: true; value: EnrollResponse } | { ok: false; code: EnrollErrorCode; message: string };

const MESSAGES: Record<Exclude<EnrollErrorCode, "invalid_request" | "rate_limited">, string> = {
  token_unknown: "this enrollment token is not known; copy the command from the dashboard again",
  token_expired: "this enrollment token has expired (tokens last 15 minutes); create a new one in the dashboard",
  token_used: "this enrollment token was already used; each token enrolls one bridge once",
};

export class EnrollmentService {
  constructor(
    private readonly db: Database,
    private readonly events: FleetEvents,
    private readonly controlPlanePublicKey: string,
    private readonly heartbeatIntervalSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async enroll(request: EnrollRequest): Promise<EnrollResult> {
    const result = await redeemEnrollmentToken(this.db, {
      tokenHash: sha256Hex(request.token),
      now: this.clock(),
      publicKey: request.publicKey,
      hostname: request.fingerprint.hostname,
      fingerprint: JSON.stringify(request.fingerprint),
      version: request.version,
    });
    if (!result.ok) {
      const code = result.code as keyof typeof MESSAGES;
      return { ok: false, code, message: MESSAGES[code] ?? "enrollment refused" };
    }
    this.events.publish(result.server.ownerId, { type: "server.updated", server: toServerSummary(result.server) });
    return {
      ok: true,
      value: {
        serverId: result.server.id,
        serverName: result.server.name,
        controlPlanePublicKey: this.controlPlanePublicKey,
        heartbeatIntervalSeconds: this.heartbeatIntervalSeconds,
      },
    };
  }
}
