// Messages between a bridge and the control plane on /ws/bridge.
import * as z from "zod";

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

/** The owner's own S3-compatible bucket (Storj), credentials from the control plane's vault. */
export const S3ArchiveTarget = z.object({
  kind: z.literal("s3"),
  endpoint: z.url({ protocol: /^https?$/ }),
  region: z.string().min(1).max(64),
  bucket: z.string().min(3).max(63),
  accessKeyId: z.string().min(1).max(256),
  secretAccessKey: z.string().min(1).max(256),
});
export type S3ArchiveTarget = z.infer<typeof S3ArchiveTarget>;

/** The platform's archive, reached through the control plane (signed PUTs to ARCHIVE_UPLOAD_PATH). */
export const ControlPlaneArchiveTarget = z.object({ kind: z.literal("control-plane") });

export const ArchiveTarget = z.discriminatedUnion("kind", [S3ArchiveTarget, ControlPlaneArchiveTarget]);
export type ArchiveTarget = z.infer<typeof ArchiveTarget>;

/** What a bridge's pipeline runs on; sent at connect and again whenever it changes. */
export const BridgeConfig = z.object({
  archive: ArchiveTarget,
  uploadIntervalSeconds: z.number().int().min(10).max(86_400),
  flushBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(100 * 1024 * 1024),
  /** Extra redaction rules (regular expression sources) on top of the built-in ones. */
  redactPatterns: z.array(z.string().min(1).max(500)).max(50),
});
export type BridgeConfig = z.infer<typeof BridgeConfig>;

export const AuthOk = z.object({
  serverId: z.uuid(),
  heartbeatIntervalSeconds: z.number().int().min(5).max(3600),
  config: BridgeConfig,
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
  buffer_records: z.number().int().nonnegative().optional(),
  /** Records the buffer has dropped at its cap since it was created. */
  buffer_dropped_records: z.number().int().nonnegative().optional(),
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

/** Sequence number of a bridge's outbox entry: acknowledged by the control plane once stored. */
const OutboxId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const ArchivedObject = z.object({
  key: z.string().min(1).max(512),
  bytes: z.number().int().nonnegative(),
  rawBytes: z.number().int().nonnegative(),
  records: z.number().int().positive(),
  firstTimestamp: z.iso.datetime({ offset: true }),
  lastTimestamp: z.iso.datetime({ offset: true }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be hex sha256"),
});
export type ArchivedObject = z.infer<typeof ArchivedObject>;

/** `owner`: the owner's own bucket (an s3 target); `platform`: through the control plane. */
export const ArchiveLocation = z.enum(["owner", "platform"]);

export const ArchiveUploaded = z.object({ id: OutboxId, location: ArchiveLocation, object: ArchivedObject });
export type ArchiveUploaded = z.infer<typeof ArchiveUploaded>;

export const MAX_BACKFILL_SAMPLES = 60;
/** Heartbeats a bridge kept while it could not reach the control plane. */
export const HeartbeatBackfill = z.object({
  id: OutboxId,
  samples: z.array(Heartbeat).min(1).max(MAX_BACKFILL_SAMPLES),
});
export type HeartbeatBackfill = z.infer<typeof HeartbeatBackfill>;

export const Ack = z.object({ id: OutboxId });
export type Ack = z.infer<typeof Ack>;

export const ProtocolError = z.object({
  code: z.string().max(64),
  message: z.string().max(500),
});
export type ProtocolError = z.infer<typeof ProtocolError>;

export const bridgeToControlPlane = {
  "auth.response": AuthResponse,
  heartbeat: Heartbeat,
  "archive.uploaded": ArchiveUploaded,
  "heartbeat.backfill": HeartbeatBackfill,
} as const;

export const controlPlaneToBridge = {
  "auth.challenge": AuthChallenge,
  "auth.ok": AuthOk,
  "config.updated": BridgeConfig,
  ack: Ack,
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

/** Where a bridge PUTs archive objects when its target is the control plane. */
export const ARCHIVE_UPLOAD_PATH = "/bridge/archive";

/** What a bridge signs for one archive upload through the control plane (headers carry the rest). */
export function archiveUploadPayload(input: {
  serverId: string;
  timestamp: string;
  key: string;
  sha256: string;
}): string {
  return `nervesys/archive-put/v1\n${input.serverId}\n${input.timestamp}\n${input.key}\n${input.sha256}`;
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
