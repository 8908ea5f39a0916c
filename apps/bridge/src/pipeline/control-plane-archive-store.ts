// The archive as a bridge without its own bucket sees it: batches PUT to the control plane, which
// stores them in the platform archive. Each request is signed with the bridge's enrolled key over
// its server id, a timestamp, the key and the body's sha256 (see archiveUploadPayload).
import type { KeyObject } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { ArchiveStore, PutOptions } from "@nervesys/archive";
import { signMessage } from "@nervesys/core/crypto";
import { ARCHIVE_UPLOAD_PATH, archiveUploadPayload } from "@nervesys/core/protocol";
import { isoTimestamp } from "@nervesys/core/time";

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
    const timestamp = isoTimestamp();
    const url = new URL(ARCHIVE_UPLOAD_PATH, controlPlaneUrl);
    url.searchParams.set("key", key);
    const { status, text } = await send(url, body, timeoutMs, {
      "content-type": contentType,
      "content-length": String(body.length),
      "x-nervesys-server": serverId,
      "x-nervesys-timestamp": timestamp,
      "x-nervesys-signature": signMessage(privateKey, archiveUploadPayload({ serverId, timestamp, key, sha256 })),
    });
    if (status !== 204) throw new Error(`control plane refused ${key}: HTTP ${status} ${text.slice(0, 300)}`);
  }

  async get(): Promise<Buffer | null> {
    throw new Error("the platform archive is read through the control plane's dashboard, not by bridges");
  }

  async list(): Promise<string[]> {
    throw new Error("the platform archive is listed through the control plane's dashboard, not by bridges");
  }
}

/**
 * One PUT with node's http(s), which the WebSocket client has loaded already; `fetch` would bring
 * in undici and keep a few MiB more in every idle bridge after its first upload.
 */
function send(
  url: URL,
  body: Buffer,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      { method: "PUT", headers, timeout: timeoutMs },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (text.length < 1_000) text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer from the control plane in ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}
