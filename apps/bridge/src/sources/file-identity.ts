// Files are followed by identity (device + inode), which survives a rename; a path does not.
import type { Stats } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import path from "node:path";

export type FileId = { dev: number; ino: number };
export type OpenFile = FileId & { handle: FileHandle };

export function fileKey(id: FileId): string {
  return `${id.dev}:${id.ino}`;
}

export function sameFile(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

export async function statIfExists(file: string): Promise<Stats | null> {
  try {
    return await stat(file);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Opens `file` for reading; null if it is missing or, when `expected` is given, is another file by now. */
export async function openFile(file: string, expected?: FileId): Promise<OpenFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  try {
    const { dev, ino } = await handle.stat();
    if (!expected || sameFile(expected, { dev, ino })) return { handle, dev, ino };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return null;
}

/**
 * Finds the file with this identity in `file`'s folder, where a rotation renamed it (app.log.1,
 * app.log.0, app.log-20240101…). Likely names are tried first; a miss costs one stat per entry.
 */
export async function findRenamed(file: string, id: FileId): Promise<string | null> {
  const dir = path.dirname(file);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  for (const entry of byLikelihood(entries, path.basename(file))) {
    const candidate = path.join(dir, entry);
    // Unreadable or vanished neighbours are simply not the file we look for.
    const stats = await stat(candidate).catch(() => null);
    if (stats?.isFile() && sameFile(stats, id)) return candidate;
  }
  return null;
}

function byLikelihood(entries: string[], name: string): string[] {
  const stem = path.parse(name).name;
  const rank = (entry: string) => (entry.startsWith(name) ? 0 : entry.startsWith(stem) ? 1 : 2);
  return entries.filter((entry) => entry !== name).sort((a, b) => rank(a) - rank(b));
}
