import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeMasterKey, loadVault } from "./master-keys";
import { masterKeyId, Vault } from "./vault";

const scope = { ownerId: "owner-1", name: "storage.s3" };

describe("Vault", () => {
  const key = randomBytes(32);
  const vault = new Vault(key);

  it("round-trips a secret and never stores the plaintext", () => {
    const sealed = vault.seal(scope, "secret-value");
    expect(JSON.stringify(sealed)).not.toContain("secret-value");
    expect(sealed.keyId).toBe(masterKeyId(key));
    expect(vault.open(scope, sealed)).toBe("secret-value");
  });

  it("uses a fresh IV each time", () => {
    expect(vault.seal(scope, "x").iv).not.toBe(vault.seal(scope, "x").iv);
  });

  it("refuses a tampered ciphertext or tag", () => {
    const sealed = vault.seal(scope, "secret-value");
    const flipped = Buffer.from(sealed.ciphertext, "base64");
    flipped[0]! ^= 1;
    expect(() => vault.open(scope, { ...sealed, ciphertext: flipped.toString("base64") })).toThrow(/integrity/);
    expect(() => vault.open(scope, { ...sealed, tag: Buffer.alloc(16).toString("base64") })).toThrow(/integrity/);
  });

  it("refuses a secret moved to another owner or name", () => {
    const sealed = vault.seal(scope, "secret-value");
    expect(() => vault.open({ ...scope, ownerId: "owner-2" }, sealed)).toThrow(/another owner/);
    expect(() => vault.open({ ...scope, name: "other" }, sealed)).toThrow(/integrity/);
  });

  it("opens secrets of a previous key after a rotation and says they need resealing", () => {
    const old = vault.seal(scope, "before-rotation");
    const rotated = new Vault(randomBytes(32), [key]);
    expect(rotated.open(scope, old)).toBe("before-rotation");
    expect(rotated.needsReseal(old)).toBe(true);
    expect(rotated.needsReseal(rotated.seal(scope, "x"))).toBe(false);
    expect(() => new Vault(randomBytes(32)).open(scope, old)).toThrow(/not configured/);
  });

  it("rejects keys of the wrong length", () => {
    expect(() => new Vault(randomBytes(16))).toThrow(/32 bytes/);
    expect(() => decodeMasterKey("NERVESYS_VAULT_KEY", "c2hvcnQ=")).toThrow(/NERVESYS_VAULT_KEY/);
  });
});

describe("loadVault", () => {
  it("creates a development key once, private to its owner, and reuses it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "vault-"));
    const devKeyFile = path.join(dir, "vault.key");
    const first = await loadVault({ active: null, previous: [], devKeyFile, production: false });
    expect((await stat(devKeyFile)).mode & 0o777).toBe(0o600);
    const second = await loadVault({ active: null, previous: [], devKeyFile, production: false });
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(masterKeyId(Buffer.from(await readFile(devKeyFile, "utf8"), "base64"))).toBe(first.activeKeyId);
  });

  it("requires the environment key in production", async () => {
    await expect(
      loadVault({ active: null, previous: [], devKeyFile: "/nonexistent", production: true }),
    ).rejects.toThrow(/NERVESYS_VAULT_KEY is required/);
    const key = randomBytes(32).toString("base64");
    const vault = await loadVault({ active: key, previous: [], devKeyFile: "/nonexistent", production: true });
    expect(vault.activeKeyId).toBe(masterKeyId(Buffer.from(key, "base64")));
  });
});
