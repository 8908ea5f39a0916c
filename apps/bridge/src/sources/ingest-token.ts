// The bearer token loopback HTTP ingest requires. Every local user can reach 127.0.0.1, so the port
// proves nothing about who sends; the token, in a file of the bridge's private data directory
// (mode 0700, the file 0600), is what the ingest socket's mode 0600 is to socket clients. The
// administrator hands it to the programs that should log (an environment variable, their config).
import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writePrivateFile } from "../private-file";
import { isMissing } from "./file-identity";

export const INGEST_TOKEN_FILE = "ingest-http.token";

/** What a token file may hold (an administrator may write their own): 32 to 256 visible ASCII characters. */
const TOKEN_PATTERN = /^[\x21-\x7e]{32,256}$/;

export function ingestTokenPath(dataDir: string): string {
  return path.join(dataDir, INGEST_TOKEN_FILE);
}

/**
 * The token in `dataDir`, created (32 random bytes, mode 0600) on first use and kept across restarts
 * so configured clients go on working. A file that holds no valid token is an error and left as it is.
 */
export async function loadIngestToken(dataDir: string): Promise<string> {
  const file = ingestTokenPath(dataDir);
  const existing = await readFile(file, "utf8").catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw new Error(`cannot read the ingest token ${file}: ${(error as Error).message}`);
  });
  if (existing === null) {
    const token = randomBytes(32).toString("base64url");
    await writePrivateFile(file, `${token}\n`).catch((error: unknown) => {
      throw new Error(`cannot create the ingest token ${file}: ${(error as Error).message}`);
    });
    return token;
  }
  const token = existing.trim();
  if (!TOKEN_PATTERN.test(token)) {
    throw new Error(
      `${file} holds no valid token (32 to 256 visible ASCII characters); delete it and restart to get a new one`,
    );
  }
  return token;
}

/** Whether an Authorization header carries `token`, compared in constant time. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? "");
  if (!match) return false;
  const presented = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
