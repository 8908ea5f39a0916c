// An owner's own archive bucket (Storj or any S3-compatible service): entered on the settings page,
// kept sealed in the vault, shown masked, and handed to that owner's bridges only.
import type { S3ArchiveTarget } from "@nervesys/core/protocol";
import { type Database, deleteSealedSecret, findSealedSecret, putSealedSecret } from "@nervesys/db";
import type { Vault } from "../vault/vault";
import {
  maskCredential,
  StorageSettingsError,
  type StorageSettingsInput,
  type StorageSettingsView,
} from "./storage-settings-input";

const SECRET_NAME = "storage.s3";

export class StorageSettings {
  constructor(
    private readonly db: Database,
    private readonly vault: Vault,
    private readonly onChange: (ownerId: string) => void,
  ) {}

  /** The owner's bucket with its credentials, for their bridges and downloads; null when none is set. */
  async target(ownerId: string): Promise<S3ArchiveTarget | null> {
    const row = await findSealedSecret(this.db, ownerId, SECRET_NAME);
    if (!row) return null;
    const scope = { ownerId, name: SECRET_NAME };
    const plaintext = this.vault.open(scope, row);
    // After a master-key rotation, each secret moves to the active key the first time it is read.
    if (this.vault.needsReseal(row)) {
      await putSealedSecret(this.db, { ownerId, name: SECRET_NAME, sealed: this.vault.seal(scope, plaintext) });
    }
    return { kind: "s3", ...(JSON.parse(plaintext) as Omit<S3ArchiveTarget, "kind">) };
  }

  async view(ownerId: string): Promise<StorageSettingsView> {
    const row = await findSealedSecret(this.db, ownerId, SECRET_NAME);
    const target = row ? await this.target(ownerId) : null;
    if (!row || !target) return { configured: false };
    return {
      configured: true,
      endpoint: target.endpoint,
      region: target.region,
      bucket: target.bucket,
      accessKeyId: maskCredential(target.accessKeyId),
      secretAccessKey: "•".repeat(12),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async save(ownerId: string, input: StorageSettingsInput): Promise<StorageSettingsView> {
    const stored = input.accessKeyId && input.secretAccessKey ? null : await this.target(ownerId);
    const accessKeyId = input.accessKeyId ?? stored?.accessKeyId;
    const secretAccessKey = input.secretAccessKey ?? stored?.secretAccessKey;
    if (!accessKeyId || !secretAccessKey) {
      throw new StorageSettingsError("accessKeyId and secretAccessKey are required the first time");
    }
    const { endpoint, region, bucket } = input;
    const plaintext = JSON.stringify({ endpoint, region, bucket, accessKeyId, secretAccessKey });
    await putSealedSecret(this.db, {
      ownerId,
      name: SECRET_NAME,
      sealed: this.vault.seal({ ownerId, name: SECRET_NAME }, plaintext),
    });
    this.onChange(ownerId);
    return this.view(ownerId);
  }

  async remove(ownerId: string): Promise<boolean> {
    const removed = await deleteSealedSecret(this.db, ownerId, SECRET_NAME);
    if (removed) this.onChange(ownerId);
    return removed;
  }
}
