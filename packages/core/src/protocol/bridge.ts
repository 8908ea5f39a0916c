// Messages between a bridge and the control plane on /ws/bridge, in zod/mini (see envelope.ts).
import * as z from "zod/mini";

const base64Url = (...checks: z.core.$ZodCheck<string>[]) =>
  z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, "must be base64url"), ...checks);
const between = (min: number, max: number) => [z.minimum(min), z.maximum(max)] as const;
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const Percent = z.number().check(...between(0, 100));
const NonNegative = z.number().check(z.nonnegative());
const Count = z.int().check(z.nonnegative());
const DateTime = z.iso.datetime({ offset: true });

export const AuthChallenge = z.object({
  nonce: base64Url(z.length(43)),
  /** The control plane's Ed25519 signature of `controlPlaneChallengePayload(nonce)`. */
  signature: base64Url(z.maxLength(128)),
});
export type AuthChallenge = z.infer<typeof AuthChallenge>;

export const AuthResponse = z.object({
  serverId: z.uuid(),
  /** The bridge's Ed25519 signature of `bridgeAuthPayload(nonce, serverId)`. */
  signature: base64Url(z.maxLength(128)),
  version: text(1, 40),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

/** The owner's own S3-compatible bucket (Storj), credentials from the control plane's vault. */
export const S3ArchiveTarget = z.object({
  kind: z.literal("s3"),
  endpoint: z.url({ protocol: /^https?$/ }),
  region: text(1, 64),
  bucket: text(3, 63),
  accessKeyId: text(1, 256),
  secretAccessKey: text(1, 256),
});
export type S3ArchiveTarget = z.infer<typeof S3ArchiveTarget>;

/** The platform's archive, reached through the control plane (signed PUTs to ARCHIVE_UPLOAD_PATH). */
export const ControlPlaneArchiveTarget = z.object({ kind: z.literal("control-plane") });

export const ArchiveTarget = z.discriminatedUnion("kind", [S3ArchiveTarget, ControlPlaneArchiveTarget]);
export type ArchiveTarget = z.infer<typeof ArchiveTarget>;

/**
 * gzip's best: an archive is written once and stored for good, and the bridge compresses off the
 * thread that bounds its throughput. On the pipeline bench's mixed logs, 7 % fewer bytes than
 * level 6 for 1.8 times its compression CPU (about 0.2 s more a 10 MB batch on one core).
 */
export const DEFAULT_GZIP_LEVEL = 9;

/** What a bridge's pipeline runs on; sent at connect and again whenever it changes. */
export const BridgeConfig = z.object({
  archive: ArchiveTarget,
  uploadIntervalSeconds: z.int().check(...between(10, 86_400)),
  flushBytes: z.int().check(...between(64 * 1024, 100 * 1024 * 1024)),
  /** Extra redaction rules (regular expression sources) on top of the built-in ones. */
  redactPatterns: z.array(text(1, 500)).check(z.maxLength(50)),
  /** gzip level of the archived batches; 6 from a control plane that does not send one. */
  gzipLevel: z._default(z.int().check(...between(1, 9)), DEFAULT_GZIP_LEVEL),
});
export type BridgeConfig = z.infer<typeof BridgeConfig>;

export const AuthOk = z.object({
  serverId: z.uuid(),
  heartbeatIntervalSeconds: z.int().check(...between(5, 3600)),
  config: BridgeConfig,
});
export type AuthOk = z.infer<typeof AuthOk>;

export const Metrics = z.object({
  cpu_percent: Percent,
  ram_percent: Percent,
  disk_percent: Percent,
  load_1: NonNegative,
  load_5: NonNegative,
  load_15: NonNegative,
  buffer_size_mb: z.optional(NonNegative),
  buffer_records: z.optional(Count),
  /** Records the buffer has dropped at its cap since it was created. */
  buffer_dropped_records: z.optional(Count),
});
export type Metrics = z.infer<typeof Metrics>;

export const HeartbeatStatus = z.enum(["healthy", "degraded", "unhealthy"]);
export type HeartbeatStatus = z.infer<typeof HeartbeatStatus>;

/** The seed's heartbeat shape (shared/DESIGN.md appendix), plus the bridge version. */
export const Heartbeat = z.object({
  agent_id: z._default(text(1, 50), "bridge"),
  timestamp: DateTime,
  status: HeartbeatStatus,
  metrics: Metrics,
  alerts: z._default(z.array(text(0, 200)).check(z.maxLength(50)), []),
  last_action: z._default(z.nullable(text(0, 100)), null),
  uptime_seconds: z.int().check(...between(0, 2_147_483_647)),
  version: text(1, 40),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** Sequence number of a bridge's outbox entry: acknowledged by the control plane once stored. */
const OutboxId = z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER));

export const ArchivedObject = z.object({
  key: text(1, 512),
  bytes: Count,
  rawBytes: Count,
  records: z.int().check(z.positive()),
  firstTimestamp: DateTime,
  lastTimestamp: DateTime,
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, "must be hex sha256")),
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
  samples: z.array(Heartbeat).check(z.minLength(1), z.maxLength(MAX_BACKFILL_SAMPLES)),
});
export type HeartbeatBackfill = z.infer<typeof HeartbeatBackfill>;

export const Ack = z.object({ id: OutboxId });
export type Ack = z.infer<typeof Ack>;

export const ProtocolError = z.object({
  code: text(0, 64),
  message: text(0, 500),
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
