// Messages between a bridge and the control plane on /ws/bridge.
import { z } from "zod";

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, "must be base64url");
const Percent = z.number().min(0).max(100);

export const AuthChallenge = z.object({
  nonce: Base64Url.length(43),
  /** The control plane's Ed25519 signature of `controlPlaneChallengePayload(nonce)`. */
  signature: Base64Url.max(128),
});
export type AuthChallenge = z.infer<typeof AuthChallenge>;

export const AuthResponse = z.object({
  serverId: z.uuid(),
  /** The bridge's Ed25519 signature of `bridgeAuthPayload(nonce, serverId)`. */
  signature: Base64Url.max(128),
  version: z.string().min(1).max(40),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const AuthOk = z.object({
  serverId: z.uuid(),
  heartbeatIntervalSeconds: z.number().int().min(5).max(3600),
});
export type AuthOk = z.infer<typeof AuthOk>;

export const Metrics = z.object({
  cpu_percent: Percent,
  ram_percent: Percent,
  disk_percent: Percent,
  load_1: z.number().nonnegative(),
  load_5: z.number().nonnegative(),
  load_15: z.number().nonnegative(),
  buffer_size_mb: z.number().nonnegative().optional(),
});
export type Metrics = z.infer<typeof Metrics>;

export const HeartbeatStatus = z.enum(["healthy", "degraded", "unhealthy"]);
export type HeartbeatStatus = z.infer<typeof HeartbeatStatus>;

/** The seed's heartbeat shape (shared/DESIGN.md appendix), plus the bridge version. */
export const Heartbeat = z.object({
  agent_id: z.string().min(1).max(50).default("bridge"),
  timestamp: z.iso.datetime({ offset: true }),
  status: HeartbeatStatus,
  metrics: Metrics,
  alerts: z.array(z.string().max(200)).max(50).default([]),
  last_action: z.string().max(100).nullable().default(null),
  uptime_seconds: z.number().int().nonnegative().max(2_147_483_647),
  version: z.string().min(1).max(40),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const ProtocolError = z.object({
  code: z.string().max(64),
  message: z.string().max(500),
});
export type ProtocolError = z.infer<typeof ProtocolError>;

export const bridgeToControlPlane = {
  "auth.response": AuthResponse,
  heartbeat: Heartbeat,
} as const;

export const controlPlaneToBridge = {
  "auth.challenge": AuthChallenge,
  "auth.ok": AuthOk,
  error: ProtocolError,
} as const;

/** What a bridge signs to prove it holds the key enrolled for `serverId`. */
export function bridgeAuthPayload(nonce: string, serverId: string): string {
  return `nervesys/bridge-auth/v1\n${serverId}\n${nonce}`;
}

/** What the control plane signs so a bridge knows it talks to the control plane it enrolled with. */
export function controlPlaneChallengePayload(nonce: string): string {
  return `nervesys/cp-challenge/v1\n${nonce}`;
}

/** WebSocket close codes (4000–4999 are application-defined). */
export const CloseCode = {
  protocolError: 4400,
  unauthenticated: 4401,
  revoked: 4403,
  authTimeout: 4408,
  replaced: 4409,
  goingAway: 1001,
} as const;
