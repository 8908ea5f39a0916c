// The UNIX socket side of local ingest: programs on this host write NDJSON records, get an error
// line back for each line refused, and a summary once they half-close their side.
import { chmod } from "node:fs/promises";
import net from "node:net";
import { type IngestDeps, MAX_INGEST_LINE_BYTES, parseRecordLines, storeRecords } from "./ingest-records";
import { LineSplitter, type SplitLine } from "./line-splitter";
import { anotherBridgeListening, claimSocketPath, isAddressInUse, removeSocketFile, socketFileId } from "./socket-file";

/** Listens on `socketPath` (mode 0600); resolves with the function that stops it and removes the file. */
export async function listenOnSocket(socketPath: string, deps: IngestDeps): Promise<() => Promise<void>> {
  await claimSocketPath(socketPath);
  const connections = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
    serveConnection(socket, deps);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(isAddressInUse(error) ? anotherBridgeListening(socketPath) : error));
    server.listen(socketPath, resolve);
  });
  const close = async () => {
    for (const socket of connections) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  let ino: number;
  try {
    // After listen, whatever the umask: the socket only lets in the bridge's own user.
    await chmod(socketPath, 0o600);
    ino = await socketFileId(socketPath);
  } catch (error) {
    await close();
    throw error;
  }
  return async () => {
    await close();
    await removeSocketFile(socketPath, ino);
  };
}

function serveConnection(socket: net.Socket, deps: IngestDeps): void {
  const splitter = new LineSplitter(MAX_INGEST_LINE_BYTES);
  const totals = { stored: 0, rejected: 0 };
  const reply = (message: object) => {
    // A client that writes without reading its replies is slowed down rather than buffered for.
    if (!socket.write(`${JSON.stringify(message)}\n`) && !socket.isPaused()) {
      socket.pause();
      socket.once("drain", () => socket.resume());
    }
  };
  const ingest = (lines: SplitLine[]) => {
    const { records, errors } = parseRecordLines(lines, deps.now);
    for (const { line, error } of errors) reply({ ok: false, line, error });
    totals.rejected += errors.length;
    if (records.length === 0) return;
    const failure = storeRecords(records, deps);
    if (failure === null) {
      totals.stored += records.length;
    } else {
      totals.rejected += records.length;
      reply({ ok: false, error: failure });
    }
  };
  socket.on("data", (chunk: Buffer) => ingest(splitter.push(chunk)));
  socket.on("end", () => {
    const last = splitter.end();
    if (last) ingest([last]);
    socket.end(`${JSON.stringify({ ok: true, ...totals })}\n`);
  });
  socket.on("error", (error) => deps.logger.debug({ err: error.message }, "ingest connection failed"));
}
