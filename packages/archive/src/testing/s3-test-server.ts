/// <reference path="./s3rver.d.ts" />
// A real S3 server (@20minutes/s3rver, patched: see patches/) running in the test's own process,
// checking SigV4 signatures against the credentials given here.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "@20minutes/s3rver";
import { DUMMY_ACCOUNT } from "@20minutes/s3rver/lib/models/account.js";

export type S3TestServerOptions = { accessKeyId: string; secretAccessKey: string; bucket: string };
export type S3TestServer = { endpoint: string; close(): Promise<void>; directory: string };

/** s3rver's built-in key pair, accepted by every instance unless revoked. */
const BUILT_IN_ACCESS_KEY = "S3RVER";

// s3rver has no credentials option: it verifies against a process-wide registry of key pairs.
// Count the servers using each key so closing one does not revoke a key another still uses.
const keyUsers = new Map<string, { secret: string; servers: number }>();

export async function startS3TestServer(options: S3TestServerOptions): Promise<S3TestServer> {
  const { accessKeyId, secretAccessKey, bucket } = options;
  registerKey(accessKeyId, secretAccessKey);
  const directory = await mkdtemp(path.join(tmpdir(), "nervesys-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    configureBuckets: [{ name: bucket }],
    allowMismatchedSignatures: false,
    silent: true,
    vhostBuckets: false,
  });
  let address: Awaited<ReturnType<S3rver["run"]>>;
  try {
    address = await server.run();
  } catch (error) {
    releaseKey(accessKeyId);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    directory,
    async close() {
      await server.close();
      releaseKey(accessKeyId);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function registerKey(accessKeyId: string, secretAccessKey: string): void {
  const existing = keyUsers.get(accessKeyId);
  if (existing && existing.secret !== secretAccessKey) {
    throw new Error(`Another S3 test server in this process holds access key ${accessKeyId} with a different secret`);
  }
  // Only the configured pair should sign successfully, so a test cannot pass on the default key by accident.
  if (accessKeyId !== BUILT_IN_ACCESS_KEY) DUMMY_ACCOUNT.revokeAccessKey(BUILT_IN_ACCESS_KEY);
  DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  keyUsers.set(accessKeyId, { secret: secretAccessKey, servers: (existing?.servers ?? 0) + 1 });
}

function releaseKey(accessKeyId: string): void {
  const entry = keyUsers.get(accessKeyId);
  if (!entry) return;
  entry.servers -= 1;
  if (entry.servers > 0) return;
  keyUsers.delete(accessKeyId);
  DUMMY_ACCOUNT.revokeAccessKey(accessKeyId);
}
