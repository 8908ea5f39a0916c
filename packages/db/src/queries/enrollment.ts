import type { EnrollErrorCode } from "@nervesys/core/protocol";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { bridgeKeys, enrollmentTokens, servers } from "../schema";
import type { Server } from "./servers";

export type RedeemInput = {
  tokenHash: string;
  now: Date;
  publicKey: string;
  hostname: string;
  fingerprint: string;
  version: string;
};

export type RedeemResult = { ok: true; server: Server } | { ok: false; code: EnrollErrorCode };

/**
 * Burns a token and registers the bridge's public key, atomically: of two concurrent redeemers of
 * one token exactly one wins. A server enrolled again gets the new key; its old keys are revoked.
 */
export async function redeemEnrollmentToken(db: Database, input: RedeemInput): Promise<RedeemResult> {
  return db.transaction(async (tx) => {
    const [burnt] = await tx
      .update(enrollmentTokens)
      .set({ usedAt: input.now })
      .where(
        and(
          eq(enrollmentTokens.tokenHash, input.tokenHash),
          isNull(enrollmentTokens.usedAt),
          gt(enrollmentTokens.expiresAt, input.now),
        ),
      )
      .returning({ serverId: enrollmentTokens.serverId });
    if (!burnt) {
      const [token] = await tx
        .select({ usedAt: enrollmentTokens.usedAt })
        .from(enrollmentTokens)
        .where(eq(enrollmentTokens.tokenHash, input.tokenHash));
      return { ok: false, code: !token ? "token_unknown" : token.usedAt ? "token_used" : "token_expired" };
    }
    await tx
      .update(bridgeKeys)
      .set({ revokedAt: input.now })
      .where(and(eq(bridgeKeys.serverId, burnt.serverId), isNull(bridgeKeys.revokedAt)));
    await tx
      .insert(bridgeKeys)
      .values({ serverId: burnt.serverId, publicKey: input.publicKey, fingerprint: input.fingerprint });
    const [server] = await tx
      .update(servers)
      .set({
        hostname: input.hostname,
        fingerprint: input.fingerprint,
        bridgeVersion: input.version,
        enrolledAt: input.now,
      })
      .where(eq(servers.id, burnt.serverId))
      .returning();
    if (!server) throw new Error("token refers to a missing server");
    return { ok: true, server };
  });
}

/** The one unrevoked public key of a server's bridge, if any. */
export async function findActiveBridgeKey(db: Database, serverId: string): Promise<string | null> {
  const [key] = await db
    .select({ publicKey: bridgeKeys.publicKey })
    .from(bridgeKeys)
    .where(and(eq(bridgeKeys.serverId, serverId), isNull(bridgeKeys.revokedAt)));
  return key?.publicKey ?? null;
}
