import { randomBytes } from "node:crypto";
import { findSealedSecret, upsertUser } from "@nervesys/db";
import { type TestDatabase, testDatabaseKinds } from "@nervesys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { masterKeyId, Vault } from "../vault/vault";
import { StorageSettings } from "./storage-settings";

const input = {
  endpoint: "https://gateway.storjshare.io",
  region: "eu1",
  bucket: "team-logs",
  accessKeyId: "AKIAEXAMPLE12345678",
  secretAccessKey: "very-secret-key",
};

describe.each(testDatabaseKinds(process.env.TEST_DATABASE_URL))("StorageSettings on $name", (kind) => {
  let t: TestDatabase;
  let owner: string;
  const changed: string[] = [];
  const oldKey = randomBytes(32);
  beforeAll(async () => {
    t = await kind.create();
    owner = (await upsertUser(t.handle.db, { firebaseUid: "owner", email: null })).id;
  });
  afterAll(() => t.drop());

  it("seals the bucket, shows it masked, and tells the owner's bridges", async () => {
    const settings = new StorageSettings(t.handle.db, new Vault(oldKey), (id) => changed.push(id));
    const view = await settings.save(owner, input);
    expect(view).toMatchObject({ configured: true, bucket: "team-logs", accessKeyId: "AKIA•••••••••••5678" });
    expect(JSON.stringify(view)).not.toContain("very-secret-key");
    expect(changed).toEqual([owner]);
    const row = await findSealedSecret(t.handle.db, owner, "storage.s3");
    expect(row?.ciphertext).not.toContain("very-secret-key");
    expect(await settings.target(owner)).toEqual({ kind: "s3", ...input });
  });

  it("keeps the stored credentials when a change leaves them out, and needs them the first time", async () => {
    const settings = new StorageSettings(t.handle.db, new Vault(oldKey), () => {});
    const { secretAccessKey: _secret, accessKeyId: _key, ...withoutCredentials } = input;
    await settings.save(owner, { ...withoutCredentials, bucket: "other-logs" });
    expect(await settings.target(owner)).toMatchObject({
      bucket: "other-logs",
      accessKeyId: input.accessKeyId,
      secretAccessKey: "very-secret-key",
    });
    const stranger = (await upsertUser(t.handle.db, { firebaseUid: "stranger", email: null })).id;
    await expect(settings.save(stranger, { ...withoutCredentials, accessKeyId: "AK" })).rejects.toThrow(/required/);
    expect(await settings.view(stranger)).toEqual({ configured: false });
  });

  it("moves a secret to the new master key when it is read after a rotation", async () => {
    const newKey = randomBytes(32);
    const rotated = new StorageSettings(t.handle.db, new Vault(newKey, [oldKey]), () => {});
    expect(await rotated.target(owner)).toMatchObject({ secretAccessKey: "very-secret-key" });
    expect((await findSealedSecret(t.handle.db, owner, "storage.s3"))?.keyId).toBe(masterKeyId(newKey));
    const withoutOldKey = new StorageSettings(t.handle.db, new Vault(newKey), () => {});
    expect(await withoutOldKey.target(owner)).toMatchObject({ bucket: "other-logs" });
  });

  it("forgets the bucket on removal", async () => {
    const settings = new StorageSettings(t.handle.db, new Vault(oldKey, []), () => {});
    const fresh = new StorageSettings(t.handle.db, new Vault(randomBytes(32), [oldKey]), () => {});
    expect(await fresh.remove(owner)).toBe(true);
    expect(await settings.view(owner)).toEqual({ configured: false });
    expect(await fresh.remove(owner)).toBe(false);
  });
});
