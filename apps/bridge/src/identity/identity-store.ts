// The bridge's identity on disk: identity.json (who it is, which control plane it trusts) and
// bridge.key (its Ed25519 private key). Both are written atomically with mode 0600.
import type { KeyObject } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { loadPrivateKey } from "@nervesys/core/crypto";
import * as z from "zod/mini";
import { writePrivateFile } from "../private-file";

export const Identity = z.object({
  serverId: z.uuid(),
  serverName: z.string(),
  controlPlaneUrl: z.url(),
  controlPlanePublicKey: z.string(),
  heartbeatIntervalSeconds: z.int().check(z.minimum(5)),
  enrolledAt: z.string(),
});
export type Identity = z.infer<typeof Identity>;

export type LoadedIdentity = { identity: Identity; privateKey: KeyObject };

const IDENTITY_FILE = "identity.json";
const KEY_FILE = "bridge.key";

export class IdentityStore {
  constructor(readonly dataDir: string) {}

  get identityPath(): string {
    return path.join(this.dataDir, IDENTITY_FILE);
  }

  get keyPath(): string {
    return path.join(this.dataDir, KEY_FILE);
  }

  async exists(): Promise<boolean> {
    return readFile(this.identityPath).then(
      () => true,
      () => false,
    );
  }

  async save(identity: Identity, privateKeyPem: string): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    await writePrivateFile(this.keyPath, privateKeyPem);
    await writePrivateFile(this.identityPath, `${JSON.stringify(identity, null, 2)}\n`);
  }

  /** Loads identity and key, or says plainly what is missing or broken. */
  async load(): Promise<{ ok: true; value: LoadedIdentity } | { ok: false; error: string }> {
    let raw: string;
    try {
      raw = await readFile(this.identityPath, "utf8");
    } catch {
      return { ok: false, error: `not enrolled: ${this.identityPath} is missing (run "nervesys-bridge enroll" first)` };
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, error: `${this.identityPath} is not valid JSON` };
    }
    const identity = Identity.safeParse(json);
    if (!identity.success) return { ok: false, error: `${this.identityPath} is invalid; enroll again` };
    try {
      const privateKey = loadPrivateKey(await readFile(this.keyPath, "utf8"));
      return { ok: true, value: { identity: identity.data, privateKey } };
    } catch (error) {
      return { ok: false, error: `cannot load ${this.keyPath}: ${(error as Error).message}` };
    }
  }
}
