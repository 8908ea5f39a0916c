import type { HeartbeatStatus, Metrics } from "@nervesys/core/protocol";
import { index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./users";

export const servers = pgTable(
  "servers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 100 }).notNull(),
    hostname: text("hostname"),
    fingerprint: text("fingerprint"),
    bridgeVersion: varchar("bridge_version", { length: 40 }),
    /** Set by the instance holding the bridge's socket; null when no bridge is connected. */
    connectedAt: timestamp("connected_at", { withTimezone: true }),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    lastMetrics: jsonb("last_metrics").$type<Metrics>(),
    lastStatus: varchar("last_status", { length: 20 }).$type<HeartbeatStatus>(),
    lastAlerts: jsonb("last_alerts").$type<string[]>(),
    uptimeSeconds: integer("uptime_seconds"),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("servers_owner_idx").on(t.ownerId, t.createdAt)],
);
