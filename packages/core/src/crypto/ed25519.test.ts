import { describe, expect, it } from "vitest";
import { generateSigningKeyPair, loadPrivateKey, publicKeyOf, signMessage, verifySignature } from "./ed25519";
import { randomToken, sha256Hex } from "./tokens";

describe("Ed25519 helpers", () => {
  const pair = generateSigningKeyPair();
  const key = loadPrivateKey(pair.privateKeyPem);

  it("verifies a signature made with the matching key", () => {
    expect(publicKeyOf(key)).toBe(pair.publicKey);
    expect(verifySignature(pair.publicKey, "hello", signMessage(key, "hello"))).toBe(true);
  });

  it("rejects a signature over another message or from another key", () => {
    const other = generateSigningKeyPair();
    expect(verifySignature(pair.publicKey, "hellO", signMessage(key, "hello"))).toBe(false);
    expect(verifySignature(other.publicKey, "hello", signMessage(key, "hello"))).toBe(false);
  });

  it("returns false, never throws, for malformed keys and signatures", () => {
    expect(verifySignature("not-a-key", "m", signMessage(key, "m"))).toBe(false);
    expect(verifySignature(pair.publicKey, "m", "!!!")).toBe(false);
    expect(verifySignature(pair.publicKey, "m", "")).toBe(false);
  });

  it("refuses a private key that is not Ed25519", () => {
    expect(() => loadPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")).toThrow();
  });
});

describe("tokens", () => {
  it("makes prefixed 256-bit random tokens", () => {
    const a = randomToken("nvs_enr_");
    expect(a).toMatch(/^nvs_enr_[A-Za-z0-9_-]{43}$/);
    expect(randomToken("nvs_enr_")).not.toBe(a);
  });

  it("hashes with sha256", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
