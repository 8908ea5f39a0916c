// A minimal control plane for benchmarks that run the real bridge: /ws/bridge speaks the real
// protocol (signed challenge, auth.ok with a pipeline config, acks) and PUT /bridge/archive checks
// signatures as the real relay does, then discards the body. No database: bridges are registered here.
// With `tls` it serves https and wss, as a control plane in production does.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generateSigningKeyPair, loadPrivateKey, signMessage, verifySignature } from "@nervesys/core/crypto";
import {
  ARCHIVE_UPLOAD_PATH,
  archiveUploadPayload,
  type BridgeConfig,
  bridgeAuthPayload,
  bridgeToControlPlane,
  CloseCode,
  controlPlaneChallengePayload,
  controlPlaneToBridge,
  encodeMessage,
  MAX_FRAME_BYTES,
  type MessageOf,
  parseMessage,
} from "@nervesys/core/protocol";
import { type WebSocket, WebSocketServer } from "ws";
import type { z } from "zod";
import { keepAlive } from "../apps/web/src/server/http/keep-alive";

/** What the stand-in saw of one bridge. */
export type BridgeTraffic = {
  /** Authenticated connections so far (more than one means the bridge reconnected). */
  sessions: number;
  authenticatedAt: number | null;
  heartbeats: number;
  /** Records and raw bytes of the distinct objects reported in archive.uploaded. */
  reportedRecords: number;
  reportedRawBytes: number;
  reportedKeys: Set<string>;
  puts: number;
  putBytes: number;
  refused: string[];
};

export type StandInOptions = {
  heartbeatIntervalSeconds: number;
  pingIntervalMs: number;
  config: BridgeConfig;
  /** PEM key and certificate to serve https/wss with (the certificate must name 127.0.0.1). */
  tls?: { key: string; cert: string };
};

type Outbound = typeof controlPlaneToBridge;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function send<K extends keyof Outbound & string>(socket: WebSocket, type: K, data: z.input<Outbound[K]>): void {
  if (socket.readyState === socket.OPEN) socket.send(encodeMessage(controlPlaneToBridge, type, data));
}

export class StandInControlPlane {
  private readonly keyPair = generateSigningKeyPair();
  private readonly privateKey = loadPrivateKey(this.keyPair.privateKeyPem);
  private readonly bridges = new Map<string, { publicKey: string; traffic: BridgeTraffic }>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  constructor(private readonly options: StandInOptions) {
    const route = (req: IncomingMessage, res: ServerResponse) => void this.route(req, res);
    this.http = options.tls ? createTlsServer(options.tls, route) : createServer(route);
    this.wss = new WebSocketServer({ server: this.http, path: "/ws/bridge", maxPayload: MAX_FRAME_BYTES });
    this.wss.on("connection", (socket) => this.accept(socket));
  }

  /** The key a bridge pins as its control plane's (identity.controlPlanePublicKey). */
  get publicKey(): string {
    return this.keyPair.publicKey;
  }

  get url(): string {
    const { port } = this.http.address() as AddressInfo;
    return `${this.options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, "127.0.0.1", resolve));
  }

  /** Registers an enrolled bridge, as enrollment would; returns what the stand-in sees of it. */
  register(serverId: string, publicKey: string): BridgeTraffic {
    const traffic: BridgeTraffic = {
      sessions: 0,
      authenticatedAt: null,
      heartbeats: 0,
      reportedRecords: 0,
      reportedRawBytes: 0,
      reportedKeys: new Set(),
      puts: 0,
      putBytes: 0,
      refused: [],
    };
    this.bridges.set(serverId, { publicKey, traffic });
    return traffic;
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const nonce = randomBytes(32).toString("base64url");
    let serverId: string | null = null;
    const stopKeepAlive = keepAlive(socket, this.options.pingIntervalMs);
    socket.on("close", stopKeepAlive);
    send(socket, "auth.challenge", {
      nonce,
      signature: signMessage(this.privateKey, controlPlaneChallengePayload(nonce)),
    });
    socket.on("message", (raw, isBinary) => {
      const parsed = isBinary ? null : parseMessage(bridgeToControlPlane, raw.toString("utf8"));
      if (!parsed?.ok) {
        socket.close(CloseCode.protocolError, parsed ? parsed.error.message.slice(0, 120) : "binary frame");
        return;
      }
      if (parsed.message.type === "auth.response") serverId = this.authenticate(socket, nonce, parsed.message.data);
      else if (serverId) this.handle(socket, this.bridges.get(serverId)!.traffic, parsed.message);
      else socket.close(CloseCode.unauthenticated, "authenticate first");
    });
  }

  private authenticate(socket: WebSocket, nonce: string, response: { serverId: string; signature: string }) {
    const bridge = this.bridges.get(response.serverId);
    const payload = bridgeAuthPayload(nonce, response.serverId);
    if (!bridge || !verifySignature(bridge.publicKey, payload, response.signature)) {
      socket.close(CloseCode.unauthenticated, "authentication failed");
      return null;
    }
    bridge.traffic.sessions++;
    bridge.traffic.authenticatedAt = Date.now();
    send(socket, "auth.ok", {
      serverId: response.serverId,
      heartbeatIntervalSeconds: this.options.heartbeatIntervalSeconds,
      config: this.options.config,
    });
    return response.serverId;
  }

  private handle(socket: WebSocket, traffic: BridgeTraffic, message: MessageOf<typeof bridgeToControlPlane>): void {
    switch (message.type) {
      case "heartbeat":
        traffic.heartbeats++;
        return;
      case "heartbeat.backfill":
        send(socket, "ack", { id: message.data.id });
        return;
      case "archive.uploaded": {
        const { object } = message.data;
        // A bridge re-reports until acknowledged: count each object once, as the real index does.
        if (!traffic.reportedKeys.has(object.key)) {
          traffic.reportedKeys.add(object.key);
          traffic.reportedRecords += object.records;
          traffic.reportedRawBytes += object.rawBytes;
        }
        send(socket, "ack", { id: message.data.id });
        return;
      }
      case "auth.response":
        send(socket, "error", { code: "already_authenticated", message: "this connection is already authenticated" });
        return;
    }
  }

  /** PUT /bridge/archive?key=…: the real relay's checks (server, freshness, key prefix, signature over the body). */
  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method !== "PUT" || url.pathname !== ARCHIVE_UPLOAD_PATH) {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    const header = (name: string) => String(req.headers[name] ?? "");
    const serverId = header("x-nervesys-server");
    const timestamp = header("x-nervesys-timestamp");
    const key = url.searchParams.get("key") ?? "";
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const bridge = this.bridges.get(serverId);
    const valid =
      bridge !== undefined &&
      Math.abs(Date.now() - Date.parse(timestamp)) <= CLOCK_SKEW_MS &&
      key.startsWith(`logs/${serverId}/`) &&
      key.endsWith(".json.gz") &&
      verifySignature(
        bridge.publicKey,
        archiveUploadPayload({ serverId, timestamp, key, sha256 }),
        header("x-nervesys-signature"),
      );
    if (!valid) {
      bridge?.traffic.refused.push(key);
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "unauthenticated", message: "bad signature, key or timestamp" } }));
      return;
    }
    bridge.traffic.puts++;
    bridge.traffic.putBytes += body.length;
    res.writeHead(204).end();
  }
}
