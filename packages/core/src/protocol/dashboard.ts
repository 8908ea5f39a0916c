// What the REST API and /ws/dashboard tell a signed-in user about their fleet.
import * as z from "zod/mini";
import { HeartbeatStatus, Metrics } from "./bridge";

export const ServerState = z.enum(["pending", "online", "offline"]);
export type ServerState = z.infer<typeof ServerState>;

export const ServerSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  state: ServerState,
  hostname: z.nullable(z.string()),
  bridgeVersion: z.nullable(z.string()),
  lastSeenAt: z.nullable(z.string()),
  uptimeSeconds: z.nullable(z.number()),
  metrics: z.nullable(Metrics),
  /** The bridge's own view from its last heartbeat: healthy, or degraded with the reasons in `alerts`. */
  health: z.nullable(HeartbeatStatus),
  alerts: z.array(z.string()),
  createdAt: z.string(),
});
export type ServerSummary = z.infer<typeof ServerSummary>;

export const MetricSample = z.object({
  timestamp: z.string(),
  cpu: z.number(),
  ram: z.number(),
  disk: z.number(),
});
export type MetricSample = z.infer<typeof MetricSample>;

/** One archived log batch, as the archive browser lists it. */
export type ArchiveObjectSummary = {
  id: number;
  key: string;
  location: "owner" | "platform";
  bytes: number;
  rawBytes: number;
  records: number;
  firstTimestamp: string;
  lastTimestamp: string;
  sha256: string;
  uploadedAt: string;
};

export const ServerName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "name is required"),
    z.maxLength(100, "name must be at most 100 characters"),
    z.regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "name may use letters, digits, spaces, '.', '_' and '-'"),
  );

export const controlPlaneToDashboard = {
  "server.updated": z.object({ server: ServerSummary }),
  "server.sample": z.object({ serverId: z.uuid(), sample: MetricSample }),
  "server.removed": z.object({ serverId: z.uuid() }),
} as const;
