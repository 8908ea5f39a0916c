import { index, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { servers } from "./servers";

/** Public keys only: the control plane holds no secret that would let anyone act as a bridge. */
export const bridgeKeys = pgTable(
  "bridge_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    publicKey: varchar("public_key", { length: 64 }).notNull(),
    fingerprint: text("fingerprint").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("bridge_keys_server_idx").on(t.serverId)],
);
