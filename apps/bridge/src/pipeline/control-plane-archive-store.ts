// The archive as a bridge without its own bucket sees it: batches PUT to the control plane, which
// stores them in the platform archive. Each request is signed with the bridge's enrolled key over
// its server id, a timestamp, the key and the body's sha256 (see archiveUploadPayload).
import type { KeyObject } from "node:crypto";
import type { ArchiveStore, PutOptions } from "@nervesys/archive";
import { signMessage } from "@nervesys/core/crypto";
import { ARCHIVE_UPLOAD_PATH, archiveUploadPayload } from "@nervesys/core/protocol";

export type ControlPlaneArchiveOptions = {
  controlPlaneUrl: string;
  serverId: string;
  privateKey: KeyObject;
  /** Bounds a control plane that accepts the upload but never answers. */
  timeoutMs?: number;
};

export class ControlPlaneArchiveStore implements ArchiveStore {
  readonly kind = "control-plane";

  constructor(private readonly options: ControlPlaneArchiveOptions) {}

  async put(key: string, body: Buffer, { contentType, sha256 }: PutOptions): Promise<void> {
    const { controlPlaneUrl, serverId, privateKey, timeoutMs = 60_000 } = this.options;
    const timestamp = new Date().toISOString();
    const url = new URL(ARCHIVE_UPLOAD_PATH, controlPlaneUrl);
    url.searchParams.set("key", key);
    const response = await fetch(url, {
      method: "PUT",
      // A view of the gzipped batch, not a copy (the cast: Buffer memory is an ArrayBuffer here).
      body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length),
      headers: {
        "content-type": contentType,
        "x-nervesys-server": serverId,
        "x-nervesys-timestamp": timestamp,
        "x-nervesys-signature": signMessage(privateKey, archiveUploadPayload({ serverId, timestamp, key, sha256 })),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 204) {
      const detail = await response.text().catch(() => "");
      throw new Error(`control plane refused ${key}: HTTP ${response.status} ${detail.slice(0, 300)}`);
    }
  }

  async get(): Promise<Buffer | null> {
    throw new Error("the platform archive is read through the control plane's dashboard, not by bridges");
  }

  async list(): Promise<string[]> {
    throw new Error("the platform archive is listed through the control plane's dashboard, not by bridges");
  }
}
