import type { Metrics } from "@nervesys/core/protocol";
import { index, integer, jsonb, pgTable, serial, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { servers } from "./servers";

/** Heartbeat samples: the seed's `agent_status` shape plus the owning server's id. */
export const agentStatus = pgTable(
  "agent_status",
  {
    id: serial("id").primaryKey(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    agentId: varchar("agent_id", { length: 50 }).notNull(),
    server: varchar("server", { length: 100 }).notNull(),
    timestamp: timestamp("timestamp", { withTimezone: true }).notNull().defaultNow(),
    status: varchar("status", { length: 20 }).notNull(),
    metrics: jsonb("metrics").$type<Metrics>().notNull(),
    alerts: jsonb("alerts").$type<string[]>().notNull().default([]),
    lastAction: varchar("last_action", { length: 100 }),
    uptimeSeconds: integer("uptime_seconds"),
  },
  (t) => [
    index("agent_status_agent_time_idx").on(t.agentId, t.timestamp.desc()),
    index("agent_status_server_time_idx").on(t.serverId, t.timestamp.desc()),
  ],
);
