// An ArchiveStore on the local filesystem, for servers without object storage and for development.
// Objects are plain files under the root, so an archive can be inspected and copied with ordinary tools.
import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { type ArchiveStore, assertValidKey, type PutOptions } from "./archive-store";

export class DirectoryArchiveStore implements ArchiveStore {
  readonly kind = "directory" as const;
  readonly #root: string;

  constructor(rootDir: string) {
    this.#root = path.resolve(rootDir);
  }

  async put(key: string, body: Buffer, _options: PutOptions): Promise<void> {
    const file = this.#pathFor(key);
    const folder = path.dirname(file);
    // Same folder as the target so rename() is atomic: a reader sees the old bytes or the new, never a part.
    const temp = path.join(folder, `.archive-${randomBytes(6).toString("hex")}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(body);
        // The caller forgets the batch once put() returns, so the bytes must be on disk before the rename.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      // Best effort: the temp file may not exist (or its folder may not), and the original error matters more.
      await rm(temp, { force: true }).catch(() => {});
      throw new Error(`Could not write archive object ${key} under ${this.#root}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.#pathFor(key));
    } catch (error) {
      // ENOENT: no such object; EISDIR/ENOTDIR: the key names a folder or passes through a file.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.#root, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith(".archive-"))
      .map((entry) => path.relative(this.#root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  /** The file for `key`; refuses anything that would land outside the root, whatever assertValidKey allows. */
  #pathFor(key: string): string {
    assertValidKey(key);
    const file = path.resolve(this.#root, key);
    const relative = path.relative(this.#root, file);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
      throw new Error(`Invalid archive key ${JSON.stringify(key)}: it resolves outside the archive directory`);
    }
    return file;
  }
}
