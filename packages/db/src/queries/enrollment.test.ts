import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabaseKinds } from "../testing/test-database";
import { findActiveBridgeKey, redeemEnrollmentToken } from "./enrollment";
import { createServerWithToken, deleteServer, replaceEnrollmentToken } from "./servers";
import { upsertUser } from "./users";

const HOUR = 3_600_000;

describe.each(testDatabaseKinds(process.env.TEST_DATABASE_URL))("enrollment tokens on $name", (kind) => {
  let t: TestDatabase;
  let ownerId: string;
  beforeAll(async () => {
    t = await kind.create();
    ownerId = (await upsertUser(t.handle.db, { firebaseUid: "owner", email: "owner@example.com" })).id;
  });
  afterAll(() => t.drop());

  async function serverWithToken(hash: string, expiresAt = new Date(Date.now() + HOUR)) {
    return createServerWithToken(t.handle.db, { ownerId, name: `srv-${hash}`, tokenHash: hash, expiresAt });
  }

  function redeem(tokenHash: string, publicKey = "pk-1", now = new Date()) {
    return redeemEnrollmentToken(t.handle.db, {
      tokenHash,
      now,
      publicKey,
      hostname: "host-a",
      fingerprint: "{}",
      version: "0.1.0",
    });
  }

  it("redeems a valid token once and registers the bridge key", async () => {
    const server = await serverWithToken("a".repeat(64));
    const result = await redeem("a".repeat(64));
    expect(result).toMatchObject({ ok: true, server: { id: server.id, hostname: "host-a" } });
    expect(await findActiveBridgeKey(t.handle.db, server.id)).toBe("pk-1");
  });

  it("rejects a reused enrollment token and keeps the first key", async () => {
    const server = await serverWithToken("b".repeat(64));
    await redeem("b".repeat(64), "pk-first");
    expect(await redeem("b".repeat(64), "pk-second")).toEqual({ ok: false, code: "token_used" });
    expect(await findActiveBridgeKey(t.handle.db, server.id)).toBe("pk-first");
  });

  it("rejects an expired token and changes nothing", async () => {
    const server = await serverWithToken("c".repeat(64), new Date(Date.now() - 1));
    expect(await redeem("c".repeat(64))).toEqual({ ok: false, code: "token_expired" });
    expect(await findActiveBridgeKey(t.handle.db, server.id)).toBeNull();
  });

  it("rejects an unknown token", async () => {
    expect(await redeem("d".repeat(64))).toEqual({ ok: false, code: "token_unknown" });
  });

  it("lets exactly one of two concurrent redeemers win", async () => {
    await serverWithToken("e".repeat(64));
    const results = await Promise.all([redeem("e".repeat(64), "pk-x"), redeem("e".repeat(64), "pk-y")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: "token_used" }]);
  });

  it("replaces a server's unused token: the old one stops working, the new one enrolls", async () => {
    const server = await serverWithToken("f".repeat(64));
    const replaced = await replaceEnrollmentToken(t.handle.db, {
      ownerId,
      serverId: server.id,
      tokenHash: "g".repeat(64),
      expiresAt: new Date(Date.now() + HOUR),
    });
    expect(replaced).toBe(true);
    expect(await redeem("f".repeat(64))).toEqual({ ok: false, code: "token_unknown" });
    expect(await redeem("g".repeat(64), "pk-new")).toMatchObject({ ok: true });
  });

  it("re-enrolling revokes the server's previous key", async () => {
    const server = await serverWithToken("h".repeat(64));
    await redeem("h".repeat(64), "pk-old");
    await replaceEnrollmentToken(t.handle.db, {
      ownerId,
      serverId: server.id,
      tokenHash: "i".repeat(64),
      expiresAt: new Date(Date.now() + HOUR),
    });
    await redeem("i".repeat(64), "pk-new");
    expect(await findActiveBridgeKey(t.handle.db, server.id)).toBe("pk-new");
  });

  it("does not issue tokens for or delete another owner's server", async () => {
    const server = await serverWithToken("j".repeat(64));
    const stranger = (await upsertUser(t.handle.db, { firebaseUid: "stranger", email: null })).id;
    const input = {
      ownerId: stranger,
      serverId: server.id,
      tokenHash: "k".repeat(64),
      expiresAt: new Date(Date.now() + HOUR),
    };
    expect(await replaceEnrollmentToken(t.handle.db, input)).toBe(false);
    expect(await deleteServer(t.handle.db, stranger, server.id)).toBe(false);
    expect(await redeem("j".repeat(64))).toMatchObject({ ok: true });
  });

  it("deleting a server removes its keys and tokens", async () => {
    const server = await serverWithToken("l".repeat(64));
    await redeem("l".repeat(64), "pk-gone");
    expect(await deleteServer(t.handle.db, ownerId, server.id)).toBe(true);
    expect(await findActiveBridgeKey(t.handle.db, server.id)).toBeNull();
  });
});
