import { bigint, index, integer, pgTable, serial, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { servers } from "./servers";

/** Where an archived object lives: the platform's archive, or the owner's own bucket. */
export type ArchiveLocation = "platform" | "owner";

/** The index of log batches a bridge has archived, reported by the bridge after each upload. */
export const archiveObjects = pgTable(
  "archive_objects",
  {
    id: serial("id").primaryKey(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    key: varchar("key", { length: 512 }).notNull(),
    location: varchar("location", { length: 16 }).$type<ArchiveLocation>().notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
    rawBytes: bigint("raw_bytes", { mode: "number" }).notNull(),
    records: integer("records").notNull(),
    firstTimestamp: timestamp("first_timestamp", { withTimezone: true }).notNull(),
    lastTimestamp: timestamp("last_timestamp", { withTimezone: true }).notNull(),
    sha256: varchar("sha256", { length: 64 }).notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("archive_objects_server_key_idx").on(t.serverId, t.key),
    index("archive_objects_server_time_idx").on(t.serverId, t.firstTimestamp.desc()),
  ],
);
