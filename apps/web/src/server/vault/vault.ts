// The secrets vault: AES-256-GCM with a fresh 96-bit IV per secret, under a master key that only
// the environment holds. Each sealed secret names its key (an id derived from the key itself), so
// older keys can be kept for reading while new secrets use the active one. The owner and name are
// bound in as associated data: a sealed row copied to another owner or name does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { SealedSecret } from "@nervesys/db";

export const MASTER_KEY_BYTES = 32;

export class VaultError extends Error {
  override name = "VaultError";
}

/** A short, stable name for a master key that reveals nothing usable about it. */
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("nervesys/vault-key-id/v1").update(key).digest("hex").slice(0, 16);
}

export class Vault {
  private readonly keys = new Map<string, Buffer>();
  readonly activeKeyId: string;

  /** `active` seals new secrets; `previous` keys only open older ones (after a rotation). */
  constructor(active: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [active, ...previous]) {
      if (key.length !== MASTER_KEY_BYTES) throw new VaultError(`a vault master key must be ${MASTER_KEY_BYTES} bytes`);
      this.keys.set(masterKeyId(key), key);
    }
    this.activeKeyId = masterKeyId(active);
  }

  seal(scope: { ownerId: string; name: string }, plaintext: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(associatedData(scope));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return {
      keyId: this.activeKeyId,
      iv: iv.toString("base64"),
      ciphertext: ciphertext.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
    };
  }

  open(scope: { ownerId: string; name: string }, sealed: SealedSecret): string {
    const key = this.keys.get(sealed.keyId);
    if (!key)
      throw new VaultError(`secret "${scope.name}" is sealed with key ${sealed.keyId}, which is not configured`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
      decipher.setAAD(associatedData(scope));
      decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      throw new VaultError(`secret "${scope.name}" failed its integrity check: altered, or sealed for another owner`);
    }
  }

  /** True when the secret should be sealed again under the active key. */
  needsReseal(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.activeKeyId;
  }
}

function associatedData(scope: { ownerId: string; name: string }): Buffer {
  return Buffer.from(`nervesys/vault/v1\n${scope.ownerId}\n${scope.name}`, "utf8");
}
