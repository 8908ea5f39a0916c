// PUT /bridge/archive?key=…: a bridge shipping a batch to the platform archive. No session: the
// request is signed with the bridge's enrolled Ed25519 key over its server id, a timestamp, the key
// and the body's sha256, so only that bridge can write, only under its own prefix, and only fresh.
// A replay within the window rewrites identical bytes under the same key, which changes nothing.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ArchiveStore, assertValidKey } from "@nervesys/archive";
import { verifySignature } from "@nervesys/core/crypto";
import { archiveUploadPayload } from "@nervesys/core/protocol";
import { type Database, findActiveBridgeKey } from "@nervesys/db";
import type { Logger } from "../logger";
import { serverKeyPrefix } from "./archive-service";
import { RelayBudget } from "./relay-budget";

export const MAX_ARCHIVE_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Bodies all uploads in flight may hold together: four of the largest, or many ordinary batches. */
const RELAY_BUDGET_BYTES = 4 * MAX_ARCHIVE_UPLOAD_BYTES;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Failure = { status: number; code: string; message: string };

function reply(res: ServerResponse, status: number, body?: { code: string; message: string }): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(body ? JSON.stringify({ error: body }) : undefined);
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** Checks everything that can be checked before reading the body. */
function checkRequest(
  req: IncomingMessage,
  now: number,
): Failure | { serverId: string; key: string; timestamp: string; length: number } {
  if (req.method !== "PUT") return { status: 405, code: "method_not_allowed", message: "use PUT" };
  const serverId = header(req, "x-nervesys-server");
  const timestamp = header(req, "x-nervesys-timestamp");
  const key = new URL(req.url ?? "/", "http://control-plane").searchParams.get("key") ?? "";
  if (!UUID.test(serverId))
    return { status: 401, code: "unauthenticated", message: "x-nervesys-server must be a server id" };
  const at = Date.parse(timestamp);
  if (Number.isNaN(at) || Math.abs(now - at) > CLOCK_SKEW_MS) {
    return {
      status: 401,
      code: "stale_request",
      message: "x-nervesys-timestamp is missing or more than 5 minutes off",
    };
  }
  try {
    assertValidKey(key);
  } catch (error) {
    return { status: 400, code: "invalid_key", message: (error as Error).message };
  }
  if (!key.startsWith(serverKeyPrefix(serverId)) || !key.endsWith(".json.gz")) {
    return {
      status: 403,
      code: "forbidden_key",
      message: `a bridge may only write ${serverKeyPrefix(serverId)}….json.gz`,
    };
  }
  const length = Number(header(req, "content-length"));
  if (!Number.isSafeInteger(length) || length < 1) {
    return { status: 411, code: "length_required", message: "send the body with a Content-Length" };
  }
  if (length > MAX_ARCHIVE_UPLOAD_BYTES) {
    return {
      status: 413,
      code: "payload_too_large",
      message: `objects are limited to ${MAX_ARCHIVE_UPLOAD_BYTES} bytes`,
    };
  }
  return { serverId, key, timestamp, length };
}

/** The body, or why there is none: longer than allowed, or the client went away mid-way. */
async function readBody(req: IncomingMessage): Promise<Buffer | "too_large" | "aborted"> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ARCHIVE_UPLOAD_BYTES) return "too_large";
      chunks.push(chunk);
    }
  } catch (error) {
    if (req.destroyed) return "aborted";
    throw error;
  }
  return Buffer.concat(chunks);
}

export function createArchiveUploadHandler(options: { db: Database; platform: ArchiveStore; logger: Logger }) {
  const { db, platform, logger } = options;
  const budget = new RelayBudget(RELAY_BUDGET_BYTES);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const checked = checkRequest(req, Date.now());
    if ("status" in checked) {
      req.resume();
      return reply(res, checked.status, checked);
    }
    const publicKey = await findActiveBridgeKey(db, checked.serverId);
    if (!publicKey) {
      // No enrolled key for that id: nothing it sends could verify, so its body is not even read.
      req.resume();
      return reply(res, 401, { code: "unauthenticated", message: "no enrolled bridge has this server id" });
    }
    const release = budget.reserve(checked.serverId, checked.length);
    if (!release) {
      req.resume();
      return reply(res, 429, {
        code: "busy",
        message: "this server already has an upload in progress, or the relay is at capacity; retry later",
      });
    }
    try {
      await storeSigned(req, res, checked, publicKey);
    } finally {
      release();
    }
  };

  async function storeSigned(
    req: IncomingMessage,
    res: ServerResponse,
    checked: { serverId: string; key: string; timestamp: string },
    publicKey: string,
  ): Promise<void> {
    const body = await readBody(req);
    if (body === "aborted") return;
    if (body === "too_large") {
      return reply(res, 413, { code: "payload_too_large", message: "the body is larger than announced" });
    }
    const sha256 = createHash("sha256").update(body).digest("hex");
    const signature = header(req, "x-nervesys-signature");
    const payload = archiveUploadPayload({
      serverId: checked.serverId,
      timestamp: checked.timestamp,
      key: checked.key,
      sha256,
    });
    if (!verifySignature(publicKey, payload, signature)) {
      logger.warn({ serverId: checked.serverId, key: checked.key }, "archive upload refused: bad signature");
      return reply(res, 401, {
        code: "unauthenticated",
        message: "the signature does not match this server's key and body",
      });
    }
    try {
      await platform.put(checked.key, body, { contentType: "application/gzip", sha256 });
    } catch (error) {
      logger.error({ err: (error as Error).message, key: checked.key }, "platform archive write failed");
      return reply(res, 503, { code: "unavailable", message: "the platform archive is unavailable; retry later" });
    }
    reply(res, 204);
  }
}
