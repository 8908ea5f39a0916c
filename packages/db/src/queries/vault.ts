import { and, eq } from "drizzle-orm";
import type { Database } from "../client";
import { vaultSecrets } from "../schema";

export type VaultSecretRow = typeof vaultSecrets.$inferSelect;
export type SealedSecret = Pick<VaultSecretRow, "keyId" | "iv" | "ciphertext" | "tag">;

/** Stores (or replaces) an owner's sealed secret under a name. */
export async function putSealedSecret(
  db: Database,
  input: { ownerId: string; name: string; sealed: SealedSecret },
): Promise<VaultSecretRow> {
  const values = { ownerId: input.ownerId, name: input.name, ...input.sealed, updatedAt: new Date() };
  const [row] = await db
    .insert(vaultSecrets)
    .values(values)
    .onConflictDoUpdate({
      target: [vaultSecrets.ownerId, vaultSecrets.name],
      set: { ...input.sealed, updatedAt: values.updatedAt },
    })
    .returning();
  if (!row) throw new Error("insert returned no secret");
  return row;
}

export async function findSealedSecret(db: Database, ownerId: string, name: string): Promise<VaultSecretRow | null> {
  const [row] = await db
    .select()
    .from(vaultSecrets)
    .where(and(eq(vaultSecrets.ownerId, ownerId), eq(vaultSecrets.name, name)));
  return row ?? null;
}

export async function deleteSealedSecret(db: Database, ownerId: string, name: string): Promise<boolean> {
  const deleted = await db
    .delete(vaultSecrets)
    .where(and(eq(vaultSecrets.ownerId, ownerId), eq(vaultSecrets.name, name)))
    .returning({ id: vaultSecrets.id });
  return deleted.length > 0;
}
