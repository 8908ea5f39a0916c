import { chmod, rename, writeFile } from "node:fs/promises";

/**
 * Replaces `file` with `content` readable by its owner only: written beside it, narrowed (a umask
 * or an existing temporary file could have kept wider bits), then renamed over it, so a crash
 * leaves the old file or the new one, never half of one.
 */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}
