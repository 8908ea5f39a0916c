// The control plane's side of the log archive: tells each bridge where to ship (its owner's bucket,
// or the platform archive through the control plane), indexes what bridges report, and serves the
// archive browser: listing by day, download, and a viewer that decodes a batch and filters it.
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { type ArchiveStore, S3ArchiveStore } from "@nervesys/archive";
import { ArchivedLineReader, type ArchivedLogLine } from "@nervesys/core/logs";
import type { ArchiveUploaded, BridgeConfig } from "@nervesys/core/protocol";
import {
  type ArchiveObject,
  type Database,
  findArchiveObject,
  lastArchiveObject,
  listArchiveObjects,
  recordArchiveObject,
  type Server,
} from "@nervesys/db";
import type { StorageSettings } from "./storage-settings";

const gunzipAsync = promisify(gunzip);

export type PipelineDefaults = Omit<BridgeConfig, "archive">;

export type ViewFilter = { level?: string; agent?: string; text?: string; limit: number };
export type BatchView = { total: number; matched: number; lines: ArchivedLogLine[]; truncated: boolean };

/** A decoded batch bigger than this is refused: a hostile bridge could upload a gzip bomb. */
const MAX_DECODED_BYTES = 256 * 1024 * 1024;

export class ArchiveError extends Error {
  override name = "ArchiveError";
  constructor(
    readonly code: "invalid_report" | "unavailable" | "corrupt",
    message: string,
  ) {
    super(message);
  }
}

/** Archive keys of a server all live under its id, so one bridge cannot index another's objects. */
export const serverKeyPrefix = (serverId: string) => `logs/${serverId}/`;

export class ArchiveService {
  constructor(
    private readonly options: {
      db: Database;
      settings: StorageSettings;
      platform: ArchiveStore;
      defaults: PipelineDefaults;
    },
  ) {}

  async bridgeConfig(ownerId: string): Promise<BridgeConfig> {
    const own = await this.options.settings.target(ownerId);
    return { archive: own ?? { kind: "control-plane" }, ...this.options.defaults };
  }

  async record(server: Pick<Server, "id">, report: ArchiveUploaded): Promise<ArchiveObject> {
    const { object, location } = report;
    if (!object.key.startsWith(serverKeyPrefix(server.id)) || !object.key.endsWith(".json.gz")) {
      throw new ArchiveError("invalid_report", `object keys must be ${serverKeyPrefix(server.id)}….json.gz`);
    }
    return recordArchiveObject(this.options.db, {
      serverId: server.id,
      key: object.key,
      location,
      bytes: object.bytes,
      rawBytes: object.rawBytes,
      records: object.records,
      firstTimestamp: new Date(object.firstTimestamp),
      lastTimestamp: new Date(object.lastTimestamp),
      sha256: object.sha256,
    });
  }

  /** The objects whose first record falls on `day` (UTC), newest first, and the server's last upload. */
  async listDay(ownerId: string, serverId: string, day: Date) {
    const from = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
    const to = new Date(from.getTime() + 24 * 3600 * 1000);
    const objects = await listArchiveObjects(this.options.db, { ownerId, serverId, from, to, limit: 1000 });
    return {
      objects,
      lastUpload: objects.length > 0 ? objects[0] : await lastArchiveObject(this.options.db, serverId),
    };
  }

  find(ownerId: string, serverId: string, objectId: number): Promise<ArchiveObject | null> {
    return findArchiveObject(this.options.db, { ownerId, serverId, objectId });
  }

  /** The object's gzipped bytes, from wherever it was stored. */
  async fetch(ownerId: string, object: ArchiveObject): Promise<Buffer> {
    const ownerStore = object.location === "owner" ? await this.ownerStore(ownerId) : null;
    let body: Buffer | null;
    try {
      body = await (ownerStore ?? this.options.platform).get(object.key);
    } catch (error) {
      throw new ArchiveError("unavailable", `the archive could not be read: ${(error as Error).message}`);
    } finally {
      ownerStore?.destroy(); // a client per request: its pooled connections go with it
    }
    if (!body) throw new ArchiveError("unavailable", `${object.key} is no longer in the archive`);
    return body;
  }

  /** Decodes a batch and keeps the lines matching every given filter, up to `limit` of them. */
  async view(ownerId: string, object: ArchiveObject, filter: ViewFilter): Promise<BatchView> {
    const body = await this.fetch(ownerId, object);
    let text: string;
    try {
      text = (await gunzipAsync(body, { maxOutputLength: MAX_DECODED_BYTES })).toString("utf8");
    } catch (error) {
      throw new ArchiveError("corrupt", `the batch could not be decompressed: ${(error as Error).message}`);
    }
    const level = filter.level?.toUpperCase();
    const needle = filter.text?.toLowerCase();
    const result: BatchView = { total: 0, matched: 0, lines: [], truncated: false };
    const reader = new ArchivedLineReader();
    for (const raw of text.split("\n")) {
      if (raw === "") continue;
      result.total++;
      let line: ArchivedLogLine;
      try {
        line = reader.read(raw);
      } catch (error) {
        throw new ArchiveError("corrupt", `line ${result.total} of the batch: ${(error as Error).message}`);
      }
      if (level && line.level !== level) continue;
      if (filter.agent && line.agent !== filter.agent) continue;
      if (needle && !raw.toLowerCase().includes(needle)) continue;
      result.matched++;
      if (result.lines.length < filter.limit) result.lines.push(line);
      else result.truncated = true;
    }
    return result;
  }

  private async ownerStore(ownerId: string): Promise<S3ArchiveStore> {
    const target = await this.options.settings.target(ownerId);
    if (!target)
      throw new ArchiveError("unavailable", "this object is in your own bucket, whose settings were removed");
    return new S3ArchiveStore(target);
  }
}
