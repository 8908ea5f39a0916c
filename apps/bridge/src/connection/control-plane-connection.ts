// Keeps one authenticated WebSocket to the control plane: dial, prove the enrolled key by signing
// the server's challenge (after checking the challenge carries the pinned control-plane key's
// signature), ping, and redial with full-jitter backoff after any loss.
import type { KeyObject } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { signMessage, verifySignature } from "@nervesys/core/crypto";
import {
  type AuthOk,
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
import WebSocket from "ws";
import type { Identity } from "../identity/identity-store";
import type { Logger } from "../logger";
import { type BackoffOptions, fullJitterDelay, RECONNECT_BACKOFF, STABLE_CONNECTION_MS } from "./backoff";

export type ConnectionState = "connecting" | "authenticating" | "connected" | "waiting" | "stopped";

type Outbound = typeof bridgeToControlPlane;
export type SessionMessage = Extract<
  MessageOf<typeof controlPlaneToBridge>,
  { type: "config.updated" } | { type: "ack" }
>;

export type ConnectionOptions = {
  identity: Identity;
  privateKey: KeyObject;
  version: string;
  logger: Logger;
  pingIntervalMs: number;
  backoff?: BackoffOptions;
  onAuthenticated(session: AuthOk): void;
  /** Messages of an authenticated session other than the handshake and errors. */
  onMessage?(message: SessionMessage): void;
  onDisconnected(): void;
  onStateChange?(state: ConnectionState): void;
};

type SessionEnd = { authenticated: boolean; durationMs: number; code: number; reason: string };

const AUTH_TIMEOUT_MS = 15_000;

export function bridgeSocketUrl(controlPlaneUrl: string): string {
  const url = new URL("/ws/bridge", controlPlaneUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export class ControlPlaneConnection {
  private socket: WebSocket | null = null;
  private readonly stopping = new AbortController();
  private state: ConnectionState = "connecting";
  private loop: Promise<void> | null = null;

  constructor(private readonly options: ConnectionOptions) {}

  get currentState(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Sends when connected and authenticated; false otherwise (the caller decides what to keep). */
  send<K extends keyof Outbound & string>(type: K, data: Parameters<typeof encodeMessage<Outbound, K>>[2]): boolean {
    if (this.state !== "connected" || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(encodeMessage(bridgeToControlPlane, type, data));
    return true;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.socket?.close(CloseCode.goingAway, "bridge stopping");
    await this.loop;
    this.setState("stopped");
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      const end = await this.connectOnce();
      if (this.stopping.signal.aborted) break;
      if (end.authenticated && end.durationMs >= STABLE_CONNECTION_MS) attempt = 0;
      const delayMs = fullJitterDelay(attempt++, this.options.backoff ?? RECONNECT_BACKOFF);
      logger.warn({ code: end.code, reason: end.reason, delayMs, attempt }, "disconnected from control plane");
      this.setState("waiting");
      await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => {});
    }
  }

  private connectOnce(): Promise<SessionEnd> {
    const { identity, logger, pingIntervalMs } = this.options;
    this.setState("connecting");
    const openedAt = Date.now();
    let authenticated = false;
    let alive = true;
    const socket = new WebSocket(bridgeSocketUrl(identity.controlPlaneUrl), {
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
      headers: { "user-agent": `nervesys-bridge/${this.options.version}` },
    });
    this.socket = socket;

    const pinger = setInterval(() => {
      if (!alive) {
        logger.warn("control plane silent for a ping interval; dropping the connection");
        socket.terminate();
        return;
      }
      alive = false;
      if (socket.readyState === WebSocket.OPEN) socket.ping();
    }, pingIntervalMs);
    const authTimer = setTimeout(() => {
      if (!authenticated) socket.close(CloseCode.authTimeout, "authentication timed out");
    }, AUTH_TIMEOUT_MS);

    socket.on("open", () => this.setState("authenticating"));
    socket.on("pong", () => {
      alive = true;
    });
    socket.on("message", (raw, isBinary) => {
      alive = true;
      if (isBinary) return;
      const parsed = parseMessage(controlPlaneToBridge, raw.toString("utf8"));
      if (!parsed.ok) {
        logger.warn({ error: parsed.error }, "dropped an invalid message from the control plane");
        return;
      }
      const message = parsed.message;
      switch (message.type) {
        case "auth.challenge": {
          const { nonce, signature } = message.data;
          if (!verifySignature(identity.controlPlanePublicKey, controlPlaneChallengePayload(nonce), signature)) {
            logger.error("control plane failed to prove its key; refusing to authenticate");
            socket.close(CloseCode.unauthenticated, "control plane signature invalid");
            return;
          }
          const proof = signMessage(this.options.privateKey, bridgeAuthPayload(nonce, identity.serverId));
          socket.send(
            encodeMessage(bridgeToControlPlane, "auth.response", {
              serverId: identity.serverId,
              signature: proof,
              version: this.options.version,
            }),
          );
          return;
        }
        case "auth.ok":
          authenticated = true;
          clearTimeout(authTimer);
          this.setState("connected");
          logger.info({ serverId: message.data.serverId }, "connected to control plane");
          this.options.onAuthenticated(message.data);
          return;
        case "error":
          logger.warn({ code: message.data.code, detail: message.data.message }, "control plane reported an error");
          return;
        default:
          if (authenticated) this.options.onMessage?.(message);
          return;
      }
    });

    return new Promise<SessionEnd>((resolve) => {
      socket.on("error", (error) => logger.debug({ err: error.message }, "socket error"));
      socket.on("close", (code, reason) => {
        clearInterval(pinger);
        clearTimeout(authTimer);
        this.socket = null;
        if (authenticated) this.options.onDisconnected();
        resolve({ authenticated, durationMs: Date.now() - openedAt, code, reason: reason.toString() });
      });
    });
  }
}
