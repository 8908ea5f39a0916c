import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateSigningKeyPair, publicKeyOf } from "@nervesys/core/crypto";
import { describe, expect, it } from "vitest";
import { IdentityStore } from "./identity-store";

const identity = {
  serverId: "6f1c2f9e-8a0e-4a4b-9b7a-3f6a2b1c0d9e",
  serverName: "web-01",
  controlPlaneUrl: "http://127.0.0.1:3000",
  controlPlanePublicKey: "x".repeat(43),
  heartbeatIntervalSeconds: 30,
  enrolledAt: new Date().toISOString(),
};

describe("IdentityStore", () => {
  it("writes identity and key readable by the owner only", async () => {
    const store = new IdentityStore(path.join(await mkdtemp(path.join(tmpdir(), "bridge-")), "data"));
    const keys = generateSigningKeyPair();
    await store.save(identity, keys.privateKeyPem);
    expect((await stat(store.keyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(store.identityPath)).mode & 0o777).toBe(0o600);
    expect((await stat(store.dataDir)).mode & 0o777).toBe(0o700);
    const loaded = await store.load();
    expect(loaded.ok && publicKeyOf(loaded.value.privateKey)).toBe(keys.publicKey);
  });

  it("says how to fix a missing or broken identity", async () => {
    const store = new IdentityStore(await mkdtemp(path.join(tmpdir(), "bridge-")));
    expect(await store.load()).toMatchObject({ ok: false, error: expect.stringContaining("nervesys-bridge enroll") });
    await writeFile(store.identityPath, "{broken");
    expect(await store.load()).toMatchObject({ ok: false, error: expect.stringContaining("not valid JSON") });
    await writeFile(store.identityPath, JSON.stringify({ ...identity, serverId: "nope" }));
    expect(await store.load()).toMatchObject({ ok: false, error: expect.stringContaining("enroll again") });
  });
});
