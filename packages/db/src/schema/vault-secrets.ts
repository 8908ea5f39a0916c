import { pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Secrets sealed with AES-256-GCM under a master key that never enters the database; `key_id`
 * names that key so secrets survive a key rotation. Base64 columns keep PGlite and Postgres alike.
 */
export const vaultSecrets = pgTable(
  "vault_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 100 }).notNull(),
    keyId: varchar("key_id", { length: 32 }).notNull(),
    iv: varchar("iv", { length: 24 }).notNull(),
    ciphertext: text("ciphertext").notNull(),
    tag: varchar("tag", { length: 32 }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("vault_secrets_owner_name_idx").on(t.ownerId, t.name)],
);
