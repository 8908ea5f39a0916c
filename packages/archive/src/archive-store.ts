// Where archived log batches go: one interface, an S3 (Storj) and a local-directory implementation.
// Keys are checked here once so both back ends refuse the same things.

export type PutOptions = { contentType: string; sha256: string /* hex of body */ };

export interface ArchiveStore {
  /** A label for logs: "s3", "directory", … */
  readonly kind: string;
  /** Writes (or overwrites: same key, same bytes is a no-op in effect) one object. Throws on failure. */
  put(key: string, body: Buffer, options: PutOptions): Promise<void>;
  /** The object's bytes, or null when there is no such key. */
  get(key: string): Promise<Buffer | null>;
  /** Every key under a prefix ("logs/server-1/"), sorted. */
  list(prefix: string): Promise<string[]>;
}

/** S3 caps keys at 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/** Throws unless `key` is a relative, slash-separated path that is safe on S3 and on a filesystem. */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new Error(`Invalid archive key ${JSON.stringify(key.slice(0, 200))}: ${problem}`);
}

function keyProblem(key: string): string | null {
  if (key.length === 0) return "it is empty";
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  // C0 controls and DEL: NUL truncates paths in C APIs, the rest corrupt logs and listings.
  if (hasControlCharacter(key)) return "it contains a NUL or control character";
  if (key.includes("\\")) return "it contains a backslash; use '/' to separate segments";
  if (key.startsWith("/") || /^[A-Za-z]:/.test(key)) return "it is an absolute path; keys are relative";
  if (key.split("/").some((segment) => segment === "..")) return "it contains a '..' segment";
  return null;
}

function hasControlCharacter(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
