// The file of a UNIX socket listener: a socket left behind by a crashed daemon is replaced, one that
// still answers belongs to a running bridge and is left alone, and nothing but a socket is deleted.
import { lstat, rm, stat } from "node:fs/promises";
import net from "node:net";
import { isMissing } from "./file-identity";

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;

/** sun_path holds 108 bytes with its terminating NUL (Linux); a longer path cannot be bound as given. */
const MAX_SOCKET_PATH_BYTES = 107;

/** Makes `socketPath` free to listen on, or throws an error that says why it is not. */
export async function claimSocketPath(socketPath: string): Promise<void> {
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `socket path ${socketPath} is ${bytes} bytes, over the ${MAX_SOCKET_PATH_BYTES} a UNIX socket allows; choose a shorter one`,
    );
  }
  const stats = await lstat(socketPath).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  if (!stats) return;
  if (!stats.isSocket()) {
    throw new Error(`${socketPath} exists and is not a socket; move it away or choose another socket path`);
  }
  if (await hasListener(socketPath)) throw anotherBridgeListening(socketPath);
  await rm(socketPath, { force: true });
}

export function anotherBridgeListening(socketPath: string): Error {
  return new Error(`another bridge is listening on ${socketPath}; stop it first`);
}

function hasListener(socketPath: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createConnection(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", (error) => {
      const code = errorCode(error);
      if (code === "ECONNREFUSED" || code === "ENOENT") resolve(false);
      else reject(new Error(`cannot tell whether a bridge is listening on ${socketPath}: ${code ?? error.message}`));
    });
  });
}

/** The identity of the socket file we created, so closing never removes another daemon's socket. */
export async function socketFileId(socketPath: string): Promise<number> {
  return (await stat(socketPath)).ino;
}

/** Removes the socket file if it is still the one we created (the listener's close may already have). */
export async function removeSocketFile(socketPath: string, ino: number): Promise<void> {
  const stats = await lstat(socketPath).catch(() => null);
  if (stats?.isSocket() && stats.ino === ino) await rm(socketPath, { force: true });
}

export function isAddressInUse(error: unknown): boolean {
  return errorCode(error) === "EADDRINUSE";
}
