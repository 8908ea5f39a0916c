// Where the vault's master keys come from: NERVESYS_VAULT_KEY (and NERVESYS_VAULT_PREVIOUS_KEYS
// after a rotation), base64 of 32 random bytes. On a development machine without one, a key is
// generated once into the data directory (0600), so `npm start` needs no set-up; production refuses
// to start without the variable, because a key beside the database protects nothing.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MASTER_KEY_BYTES, Vault } from "./vault";

export type VaultKeySource = { active: string | null; previous: string[]; devKeyFile: string; production: boolean };

export function decodeMasterKey(name: string, base64: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== MASTER_KEY_BYTES || key.toString("base64") !== base64.trim()) {
    throw new Error(`${name} must be base64 of exactly ${MASTER_KEY_BYTES} bytes (openssl rand -base64 32)`);
  }
  return key;
}

async function devKey(file: string): Promise<Buffer> {
  try {
    return decodeMasterKey(file, await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(MASTER_KEY_BYTES);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
  return key;
}

export async function loadVault(source: VaultKeySource): Promise<Vault> {
  const previous = source.previous.map((k, i) => decodeMasterKey(`NERVESYS_VAULT_PREVIOUS_KEYS[${i}]`, k));
  if (source.active) return new Vault(decodeMasterKey("NERVESYS_VAULT_KEY", source.active), previous);
  if (source.production) throw new Error("NERVESYS_VAULT_KEY is required in production");
  return new Vault(await devKey(source.devKeyFile), previous);
}
