// PGlite takes no lock on its data folder, and a second process opening it silently loses writes.
// This lock file (holding the owner's pid) makes a second opener fail loudly instead.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, "nervesys.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lockPath, "wx", 0o600);
      await file.writeFile(String(process.pid));
      await file.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new Error(`database folder ${dir} is in use by process ${owner}; stop it or set another data folder`);
      }
      await rm(lockPath, { force: true }); // stale lock from a process that is gone
    }
  }
  throw new Error(`could not lock database folder ${dir}`);
}
