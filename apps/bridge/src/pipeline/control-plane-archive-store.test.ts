import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { generateSigningKeyPair, loadPrivateKey, verifySignature } from "@nervesys/core/crypto";
import { archiveUploadPayload } from "@nervesys/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { ControlPlaneArchiveStore } from "./control-plane-archive-store";

const serverId = "5b1f0a52-8c0e-4a51-9a3e-2f1c6a7d9e10";
const keys = generateSigningKeyPair();
const body = Buffer.from("gzipped batch bytes");
const sha256 = createHash("sha256").update(body).digest("hex");
const key = `logs/${serverId}/2026-11-22/01-00-00-1-9.json.gz`;
const servers: http.Server[] = [];

async function controlPlane(answer: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => answer(req, Buffer.concat(chunks), res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const store = new ControlPlaneArchiveStore({
    controlPlaneUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serverId,
    privateKey: loadPrivateKey(keys.privateKeyPem),
    timeoutMs: 300,
  });
  return store;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("ControlPlaneArchiveStore", () => {
  it("PUTs the body under its key, signed over server, time, key and sha256", async () => {
    let seen: { url?: string; body?: Buffer; valid?: boolean } = {};
    const store = await controlPlane((req, received, res) => {
      const timestamp = String(req.headers["x-nervesys-timestamp"]);
      const payload = archiveUploadPayload({ serverId, timestamp, key, sha256 });
      seen = {
        url: req.url,
        body: received,
        valid: verifySignature(keys.publicKey, payload, String(req.headers["x-nervesys-signature"])),
      };
      res.writeHead(204).end();
    });
    await store.put(key, body, { contentType: "application/gzip", sha256 });
    expect(seen).toEqual({ url: `/bridge/archive?key=${encodeURIComponent(key)}`, body, valid: true });
  });

  it("fails with the control plane's answer when it refuses", async () => {
    const store = await controlPlane((_req, _body, res) => res.writeHead(503).end('{"error":"archive down"}'));
    await expect(store.put(key, body, { contentType: "application/gzip", sha256 })).rejects.toThrow(
      /HTTP 503 .*archive down/,
    );
  });

  it("fails when the control plane never answers", async () => {
    const store = await controlPlane(() => {});
    await expect(store.put(key, body, { contentType: "application/gzip", sha256 })).rejects.toThrow(/no answer/);
  });
});
