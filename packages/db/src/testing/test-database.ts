// Databases for tests: always an in-memory PGlite, plus a fresh, throw-away database on the
// Postgres server named by TEST_DATABASE_URL when that is set.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../client";

export type TestDatabase = { handle: DatabaseHandle; url: string | null; drop(): Promise<void> };
export type TestDatabaseKind = { name: "pglite" | "postgres"; create(): Promise<TestDatabase> };

/** A new empty database on the server of `adminUrl`, migrated; `drop` removes it. */
export async function createPostgresTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `nervesys_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections: 5 });
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function testDatabaseKinds(adminUrl: string | undefined): TestDatabaseKind[] {
  const kinds: TestDatabaseKind[] = [
    {
      name: "pglite",
      async create() {
        const handle = await openDatabase({ memory: true });
        return { handle, url: null, drop: () => handle.close() };
      },
    },
  ];
  if (adminUrl) kinds.push({ name: "postgres", create: () => createPostgresTestDatabase(adminUrl) });
  return kinds;
}
