import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabaseKinds } from "../testing/test-database";
import { findArchiveObject, lastArchiveObject, listArchiveObjects, recordArchiveObject } from "./archive";
import { createServerWithToken } from "./servers";
import { listSamples, recordBackfilledSamples } from "./telemetry";
import { upsertUser } from "./users";
import { deleteSealedSecret, findSealedSecret, putSealedSecret } from "./vault";

const object = (serverId: string, key: string, first: string) => ({
  serverId,
  key,
  location: "platform" as const,
  bytes: 100,
  rawBytes: 1000,
  records: 10,
  firstTimestamp: new Date(first),
  lastTimestamp: new Date(first),
  sha256: "a".repeat(64),
});

describe.each(testDatabaseKinds(process.env.TEST_DATABASE_URL))("archive index and vault on $name", (kind) => {
  let t: TestDatabase;
  let alice: string;
  let bob: string;
  let serverId: string;
  beforeAll(async () => {
    t = await kind.create();
    alice = (await upsertUser(t.handle.db, { firebaseUid: "alice", email: null })).id;
    bob = (await upsertUser(t.handle.db, { firebaseUid: "bob", email: null })).id;
    const server = await createServerWithToken(t.handle.db, {
      ownerId: alice,
      name: "web-01",
      tokenHash: "f".repeat(64),
      expiresAt: new Date(Date.now() + 60_000),
    });
    serverId = server.id;
  });
  afterAll(() => t.drop());

  it("indexes an object once, however often it is reported", async () => {
    const first = await recordArchiveObject(t.handle.db, object(serverId, "logs/a/1.json.gz", "2026-11-20T10:00:00Z"));
    const again = await recordArchiveObject(t.handle.db, {
      ...object(serverId, "logs/a/1.json.gz", "2026-11-20T10:00:00Z"),
      bytes: 120,
    });
    expect(again.id).toBe(first.id);
    expect(again.bytes).toBe(120);
    expect(await lastArchiveObject(t.handle.db, serverId)).toMatchObject({ id: first.id });
  });

  it("lists by time range, newest first, for the owner only", async () => {
    await recordArchiveObject(t.handle.db, object(serverId, "logs/a/2.json.gz", "2026-11-21T10:00:00Z"));
    await recordArchiveObject(t.handle.db, object(serverId, "logs/a/3.json.gz", "2026-11-21T11:00:00Z"));
    const day = { from: new Date("2026-11-21T00:00:00Z"), to: new Date("2026-11-22T00:00:00Z"), limit: 100 };
    const listed = await listArchiveObjects(t.handle.db, { ownerId: alice, serverId, ...day });
    expect(listed.map((o) => o.key)).toEqual(["logs/a/3.json.gz", "logs/a/2.json.gz"]);
    expect(await listArchiveObjects(t.handle.db, { ownerId: bob, serverId, ...day })).toEqual([]);
    const id = listed[0]!.id;
    expect(await findArchiveObject(t.handle.db, { ownerId: alice, serverId, objectId: id })).not.toBeNull();
    expect(await findArchiveObject(t.handle.db, { ownerId: bob, serverId, objectId: id })).toBeNull();
  });

  it("stores backfilled samples without touching the latest state", async () => {
    const hb = (timestamp: string) => ({
      agent_id: "bridge",
      timestamp,
      status: "healthy" as const,
      metrics: { cpu_percent: 1, ram_percent: 2, disk_percent: 3, load_1: 0, load_5: 0, load_15: 0 },
      alerts: [],
      last_action: null,
      uptime_seconds: 5,
      version: "0.1.0",
    });
    const stored = await recordBackfilledSamples(t.handle.db, {
      server: { id: serverId, name: "web-01" },
      heartbeats: [hb("2026-11-21T10:00:00Z"), hb("2026-11-21T10:00:30Z")],
    });
    expect(stored).toHaveLength(2);
    expect(await listSamples(t.handle.db, serverId, new Date("2026-11-21T09:00:00Z"))).toHaveLength(2);
  });

  it("keeps one sealed secret per owner and name", async () => {
    const sealed = { keyId: "k1", iv: "i".repeat(16), ciphertext: "c1", tag: "t".repeat(22) };
    await putSealedSecret(t.handle.db, { ownerId: alice, name: "storage.s3", sealed });
    await putSealedSecret(t.handle.db, { ownerId: alice, name: "storage.s3", sealed: { ...sealed, ciphertext: "c2" } });
    expect(await findSealedSecret(t.handle.db, alice, "storage.s3")).toMatchObject({ ciphertext: "c2" });
    expect(await findSealedSecret(t.handle.db, bob, "storage.s3")).toBeNull();
    expect(await deleteSealedSecret(t.handle.db, bob, "storage.s3")).toBe(false);
    expect(await deleteSealedSecret(t.handle.db, alice, "storage.s3")).toBe(true);
    expect(await findSealedSecret(t.handle.db, alice, "storage.s3")).toBeNull();
  });
});
