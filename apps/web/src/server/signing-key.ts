// The control plane's Ed25519 key: signs bridge challenges (and later, commands). It lives in a
// file beside the data, never in the database; created with mode 0600 on first start.
import type { KeyObject } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateSigningKeyPair, loadPrivateKey, publicKeyOf } from "@nervesys/core/crypto";

export type SigningKey = { privateKey: KeyObject; publicKey: string };

export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    pem = generateSigningKeyPair().privateKeyPem;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, pem, { mode: 0o600, flag: "wx" });
  }
  const privateKey = loadPrivateKey(pem);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}
