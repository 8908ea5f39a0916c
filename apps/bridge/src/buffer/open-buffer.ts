// Opens (or creates) the buffer file. A file SQLite cannot read is set aside under a new name
// and reported, and a fresh buffer started: a corrupt file must never crash-loop the bridge.
import { existsSync, renameSync } from "node:fs";
import { isoTimestamp } from "@nervesys/core/time";
import Database from "better-sqlite3";
import { capacityFor } from "./capacity";
import { LogBuffer } from "./log-buffer";
import { Outbox } from "./outbox";
import { applyPragmas, SCHEMA } from "./schema";
import { sqliteNativeBinding } from "./sqlite-binding";
import { TailPositions } from "./tail-positions";

export type Quarantine = { path: string; reason: string };
export type OpenedBuffer = {
  buffer: LogBuffer;
  outbox: Outbox;
  tailPositions: TailPositions;
  quarantined: Quarantine | null;
};

const CORRUPTION_CODES = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_INDEX", "SQLITE_CORRUPT_VTAB"]);

function openChecked(path: string, capBytes: number): Omit<OpenedBuffer, "quarantined"> {
  const capacity = capacityFor(capBytes);
  const db = new Database(path, { nativeBinding: sqliteNativeBinding() });
  try {
    applyPragmas(db, { maxPageCount: capacity.maxPageCount, walLimitBytes: capacity.walLimitBytes });
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw Object.assign(new Error(`integrity check failed: ${check}`), { code: "SQLITE_CORRUPT" });
    db.exec(SCHEMA);
    return { buffer: new LogBuffer(db, capacity), outbox: new Outbox(db), tailPositions: new TailPositions(db) };
  } catch (error) {
    db.close();
    throw error;
  }
}

function setAside(path: string, now: Date): string {
  const target = `${path}.corrupt-${isoTimestamp(now).replace(/[:.]/g, "-")}`;
  renameSync(path, target);
  for (const suffix of ["-wal", "-shm"]) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

export function openBuffer(path: string, capBytes: number, now = new Date()): OpenedBuffer {
  try {
    return { ...openChecked(path, capBytes), quarantined: null };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!CORRUPTION_CODES.has(code)) throw error;
    const quarantined = { path: setAside(path, now), reason: (error as Error).message };
    return { ...openChecked(path, capBytes), quarantined };
  }
}
