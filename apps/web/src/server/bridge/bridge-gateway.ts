// /ws/bridge: authenticates each bridge by a signed challenge, hands it its pipeline config, then
// records its heartbeats (live and backfilled), indexes the archive objects it reports, and
// publishes its presence. A bad frame gets an error reply; it never throws into the socket loop.
import { randomBytes } from "node:crypto";
import { signMessage, verifySignature } from "@nervesys/core/crypto";
import {
  bridgeAuthPayload,
  bridgeToControlPlane,
  CloseCode,
  controlPlaneChallengePayload,
  controlPlaneToBridge,
  encodeMessage,
  type Heartbeat,
  type HeartbeatBackfill,
  MAX_FRAME_BYTES,
  type MessageOf,
  parseMessage,
} from "@nervesys/core/protocol";
import {
  type Database,
  findActiveBridgeKey,
  recordBackfilledSamples,
  recordHeartbeat,
  type Server,
  setConnected,
} from "@nervesys/db";
import { type WebSocket, WebSocketServer } from "ws";
import type { z } from "zod";
import { ArchiveError, type ArchiveService } from "../archive/archive-service";
import type { FleetEvents } from "../fleet/fleet-events";
import type { BridgeConnections } from "../fleet/fleet-service";
import { toMetricSample, toServerSummary } from "../fleet/summaries";
import { keepAlive } from "../http/keep-alive";
import type { Logger } from "../logger";
import type { SigningKey } from "../signing-key";

export type BridgeGatewayOptions = {
  db: Database;
  events: FleetEvents;
  archive: ArchiveService;
  signingKey: SigningKey;
  logger: Logger;
  heartbeatIntervalSeconds: number;
  pingIntervalMs: number;
  authTimeoutMs?: number;
};

/** Heartbeats closer together than this are refused, so a faulty bridge cannot flood the database. */
const MIN_HEARTBEAT_GAP_MS = 2_000;
/** A bridge that keeps sending garbage is cut off. */
const MAX_INVALID_MESSAGES = 20;
/** A bridge that sends faster than its messages can be stored is cut off rather than buffered. */
const MAX_MESSAGES_IN_FLIGHT = 32;

/** Per-connection state: the challenge it must sign and, once it has, the server it speaks for. */
type BridgeSession = { nonce: string; server: Server | null; lastHeartbeatAt: number };

type Outbound = typeof controlPlaneToBridge;
type Inbound = typeof bridgeToControlPlane;

function send<K extends keyof Outbound & string>(socket: WebSocket, type: K, data: z.input<Outbound[K]>): void {
  if (socket.readyState === socket.OPEN) socket.send(encodeMessage(controlPlaneToBridge, type, data));
}

export class BridgeGateway implements BridgeConnections {
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly sockets = new Map<string, { socket: WebSocket; ownerId: string }>();

  constructor(private readonly options: BridgeGatewayOptions) {
    this.wss.on("connection", (socket) => this.accept(socket));
  }

  private accept(socket: WebSocket): void {
    const { logger, signingKey } = this.options;
    const session: BridgeSession = { nonce: randomBytes(32).toString("base64url"), server: null, lastHeartbeatAt: 0 };
    let invalid = 0;
    let inFlight = 0;
    let queue = Promise.resolve();
    const stopKeepAlive = keepAlive(socket, this.options.pingIntervalMs);
    const authTimer = setTimeout(
      () => socket.close(CloseCode.authTimeout, "authentication timed out"),
      this.options.authTimeoutMs ?? 10_000,
    );

    const challenge = signMessage(signingKey.privateKey, controlPlaneChallengePayload(session.nonce));
    send(socket, "auth.challenge", { nonce: session.nonce, signature: challenge });

    socket.on("message", (raw, isBinary) => {
      const parsed = isBinary
        ? ({ ok: false, error: { code: "bad_envelope", message: "binary frames are not accepted" } } as const)
        : parseMessage(bridgeToControlPlane, raw.toString("utf8"));
      if (!parsed.ok) {
        logger.warn({ serverId: session.server?.id, error: parsed.error }, "invalid bridge message");
        if (!session.server) return socket.close(CloseCode.unauthenticated, parsed.error.message.slice(0, 120));
        send(socket, "error", parsed.error);
        if (++invalid > MAX_INVALID_MESSAGES) socket.close(CloseCode.protocolError, "too many invalid messages");
        return;
      }
      if (++inFlight > MAX_MESSAGES_IN_FLIGHT)
        return socket.close(CloseCode.protocolError, "too many messages in flight");
      // Messages are handled one at a time, in order, so a heartbeat never overtakes authentication.
      queue = queue
        .then(() => this.handle(socket, session, parsed.message))
        .then(() => {
          if (session.server) clearTimeout(authTimer);
        })
        .catch((error: Error) => {
          logger.error({ err: error.message, serverId: session.server?.id }, "bridge message failed");
          send(socket, "error", { code: "internal", message: "the control plane could not process this message" });
        })
        .finally(() => inFlight--);
    });

    socket.on("close", () => {
      clearTimeout(authTimer);
      stopKeepAlive();
      void queue.then(() => (session.server ? this.disconnected(session.server, socket) : undefined));
    });
  }

  private async handle(socket: WebSocket, session: BridgeSession, message: MessageOf<typeof bridgeToControlPlane>) {
    switch (message.type) {
      case "auth.response":
        if (session.server) {
          send(socket, "error", { code: "already_authenticated", message: "this connection is already authenticated" });
          return;
        }
        session.server = await this.authenticate(socket, message.data, session.nonce);
        return;
      default:
        if (!session.server) {
          socket.close(CloseCode.unauthenticated, "authenticate first");
          return;
        }
        if (message.type === "heartbeat") await this.heartbeat(socket, session, session.server, message.data);
        else if (message.type === "heartbeat.backfill") await this.backfill(socket, session.server, message.data);
        else await this.archived(socket, session.server, message.data);
        return;
    }
  }

  private async authenticate(
    socket: WebSocket,
    response: { serverId: string; signature: string; version: string },
    nonce: string,
  ): Promise<Server | null> {
    const { db, logger, events } = this.options;
    const publicKey = await findActiveBridgeKey(db, response.serverId);
    if (!publicKey || !verifySignature(publicKey, bridgeAuthPayload(nonce, response.serverId), response.signature)) {
      logger.warn({ serverId: response.serverId }, "bridge authentication refused");
      socket.close(CloseCode.unauthenticated, "authentication failed");
      return null;
    }
    const server = await setConnected(db, response.serverId, new Date());
    if (!server) {
      socket.close(CloseCode.revoked, "server no longer exists");
      return null;
    }
    const previous = this.sockets.get(server.id);
    this.sockets.set(server.id, { socket, ownerId: server.ownerId });
    previous?.socket.close(CloseCode.replaced, "replaced by a newer connection");
    send(socket, "auth.ok", {
      serverId: server.id,
      heartbeatIntervalSeconds: this.options.heartbeatIntervalSeconds,
      config: await this.options.archive.bridgeConfig(server.ownerId),
    });
    events.publish(server.ownerId, { type: "server.updated", server: toServerSummary(server) });
    logger.info({ serverId: server.id, version: response.version }, "bridge connected");
    return server;
  }

  private async heartbeat(socket: WebSocket, session: BridgeSession, server: Server, heartbeat: Heartbeat) {
    const receivedAt = new Date();
    if (receivedAt.getTime() - session.lastHeartbeatAt < MIN_HEARTBEAT_GAP_MS) {
      send(socket, "error", {
        code: "rate_limited",
        message: `heartbeats must be at least ${MIN_HEARTBEAT_GAP_MS / 1000} s apart`,
      });
      return;
    }
    session.lastHeartbeatAt = receivedAt.getTime();
    const recorded = await recordHeartbeat(this.options.db, { server, heartbeat, receivedAt });
    const { events } = this.options;
    events.publish(server.ownerId, { type: "server.updated", server: toServerSummary(recorded.server) });
    events.publish(server.ownerId, {
      type: "server.sample",
      serverId: server.id,
      sample: toMetricSample(recorded.sample),
    });
  }

  /** Samples the bridge kept while offline: stored, acknowledged, and filled into open charts. */
  private async backfill(socket: WebSocket, server: Server, backfill: HeartbeatBackfill) {
    const samples = await recordBackfilledSamples(this.options.db, { server, heartbeats: backfill.samples });
    send(socket, "ack", { id: backfill.id });
    for (const sample of samples) {
      this.options.events.publish(server.ownerId, {
        type: "server.sample",
        serverId: server.id,
        sample: toMetricSample(sample),
      });
    }
  }

  /** An uploaded batch: indexed (idempotently, a bridge re-reports until acknowledged), then acknowledged. */
  private async archived(socket: WebSocket, server: Server, report: z.output<Inbound["archive.uploaded"]>) {
    try {
      await this.options.archive.record(server, report);
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      send(socket, "error", { code: error.code, message: error.message });
      return;
    }
    send(socket, "ack", { id: report.id });
  }

  /** Sends the current pipeline config to every connected bridge of an owner (e.g. new storage settings). */
  async pushConfig(ownerId: string): Promise<void> {
    const config = await this.options.archive.bridgeConfig(ownerId);
    for (const { socket, ownerId: owner } of this.sockets.values()) {
      if (owner === ownerId) send(socket, "config.updated", config);
    }
  }

  private async disconnected(server: Server, socket: WebSocket): Promise<void> {
    if (this.sockets.get(server.id)?.socket !== socket) return; // a newer connection took over
    this.sockets.delete(server.id);
    const updated = await setConnected(this.options.db, server.id, null);
    if (updated)
      this.options.events.publish(updated.ownerId, { type: "server.updated", server: toServerSummary(updated) });
    this.options.logger.info({ serverId: server.id }, "bridge disconnected");
  }

  /** Cuts off a server's bridge, e.g. when the server is removed; its key no longer authenticates. */
  disconnect(serverId: string, reason: string): void {
    this.sockets.get(serverId)?.socket.close(CloseCode.revoked, reason);
  }

  /** Closes every bridge socket (on shutdown); bridges will reconnect to another instance. */
  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.close(CloseCode.goingAway, "control plane shutting down");
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
