// Opens the control plane's database: PGlite in a local folder when no URL is given (the embedded
// default), postgres.js against a real server otherwise. One drizzle schema serves both.

import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { lockDirectory } from "./directory-lock";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseHandle = {
  db: Database;
  driver: "pglite" | "postgres";
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type DatabaseOptions =
  | { url: string; maxConnections?: number }
  | { dataDir: string } // PGlite on disk
  | { memory: true }; // PGlite in memory, for tests

/** The committed migrations beside this package; a bundled app passes its own copy. */
export const defaultMigrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

export async function openDatabase(
  options: DatabaseOptions,
  migrationsFolder = defaultMigrationsFolder,
): Promise<DatabaseHandle> {
  if ("url" in options) {
    const client = postgres(options.url, { max: options.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzlePostgres({ client, schema });
    try {
      await migratePostgres(db, { migrationsFolder });
    } catch (error) {
      await client.end({ timeout: 1 });
      throw error;
    }
    return handle(db as unknown as Database, "postgres", () => client.end({ timeout: 5 }));
  }
  const release = "dataDir" in options ? await lockDirectory(options.dataDir) : async () => {};
  try {
    const client = "dataDir" in options ? new PGlite(options.dataDir) : new PGlite();
    await client.waitReady;
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder });
    return handle(db as unknown as Database, "pglite", async () => {
      await client.close();
      await release();
    });
  } catch (error) {
    await release();
    throw error;
  }
}

function handle(db: Database, driver: DatabaseHandle["driver"], close: () => Promise<void>): DatabaseHandle {
  return {
    db,
    driver,
    async ping() {
      await db.execute(sql`select 1`);
    },
    close,
  };
}
