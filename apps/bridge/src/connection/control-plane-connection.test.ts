// The bridge's side of the handshake against a real WebSocket server standing in for the control plane.
import type { AddressInfo } from "node:net";
import { generateSigningKeyPair, loadPrivateKey, signMessage, verifySignature } from "@nervesys/core/crypto";
import { bridgeAuthPayload, controlPlaneChallengePayload } from "@nervesys/core/protocol";
import { afterEach, describe, expect, it } from "vitest";

const PIPELINE_CONFIG = {
  archive: { kind: "control-plane" },
  uploadIntervalSeconds: 600,
  flushBytes: 10 * 1024 * 1024,
  redactPatterns: [],
};

import { WebSocketServer } from "ws";
import { createLogger } from "../logger";
import { ControlPlaneConnection } from "./control-plane-connection";

const controlPlaneKeys = generateSigningKeyPair();
const controlPlaneKey = loadPrivateKey(controlPlaneKeys.privateKeyPem);
const bridgeKeys = generateSigningKeyPair();
const serverId = "6f1c2f9e-8a0e-4a4b-9b7a-3f6a2b1c0d9e";
const nonce = "n".repeat(43);

let wss: WebSocketServer | null = null;
let connection: ControlPlaneConnection | null = null;

afterEach(async () => {
  await connection?.stop();
  await new Promise((r) => (wss ? wss.close(r) : r(null)));
});

async function fakeControlPlane(signWith = controlPlaneKey, beforeChallenge: string[] = []) {
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss?.once("listening", r));
  const events: Array<{ kind: string; code?: number; reason?: string; data?: any }> = [];
  wss.on("connection", (socket) => {
    events.push({ kind: "connection" });
    for (const frame of beforeChallenge) socket.send(frame);
    const signature = signMessage(signWith, controlPlaneChallengePayload(nonce));
    socket.send(JSON.stringify({ v: 1, type: "auth.challenge", data: { nonce, signature } }));
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString());
      events.push({ kind: "message", data: message });
      if (message.type === "auth.response") {
        socket.send(
          JSON.stringify({
            v: 1,
            type: "auth.ok",
            data: { serverId, heartbeatIntervalSeconds: 5, config: PIPELINE_CONFIG },
          }),
        );
      }
    });
    socket.on("close", (code, reason) => events.push({ kind: "close", code, reason: reason.toString() }));
  });
  return { url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`, events };
}

function connect(url: string, onAuthenticated: () => void = () => {}) {
  connection = new ControlPlaneConnection({
    identity: {
      serverId,
      serverName: "web-01",
      controlPlaneUrl: url,
      controlPlanePublicKey: controlPlaneKeys.publicKey,
      heartbeatIntervalSeconds: 5,
      enrolledAt: new Date().toISOString(),
    },
    privateKey: loadPrivateKey(bridgeKeys.privateKeyPem),
    version: "test",
    logger: createLogger("silent"),
    pingIntervalMs: 60_000,
    backoff: { baseMs: 50, capMs: 100 },
    onAuthenticated,
    onDisconnected: () => {},
  });
  connection.start();
  return connection;
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

describe("ControlPlaneConnection", () => {
  it("answers a challenge signed by the pinned control-plane key with its own signature", async () => {
    const cp = await fakeControlPlane();
    let authenticated = false;
    const conn = connect(cp.url, () => {
      authenticated = true;
    });
    await until(() => authenticated);
    expect(conn.currentState).toBe("connected");
    const response = cp.events.find((e) => e.kind === "message")?.data;
    expect(response).toMatchObject({ type: "auth.response", data: { serverId } });
    expect(verifySignature(bridgeKeys.publicKey, bridgeAuthPayload(nonce, serverId), response.data.signature)).toBe(
      true,
    );
  });

  it("refuses to authenticate to an impostor control plane", async () => {
    const impostor = loadPrivateKey(generateSigningKeyPair().privateKeyPem);
    const cp = await fakeControlPlane(impostor);
    connect(cp.url);
    await until(() => cp.events.some((e) => e.kind === "close"));
    expect(cp.events.find((e) => e.kind === "close")).toMatchObject({
      code: 4401,
      reason: "control plane signature invalid",
    });
    expect(cp.events.some((e) => e.kind === "message")).toBe(false);
  });

  it("redials after the connection drops", async () => {
    const cp = await fakeControlPlane();
    let sessions = 0;
    connect(cp.url, () => {
      sessions++;
    });
    await until(() => sessions === 1);
    for (const client of wss?.clients ?? []) client.terminate();
    await until(() => sessions === 2);
    expect(cp.events.filter((e) => e.kind === "connection")).toHaveLength(2);
  });

  it("drops malformed, unknown and foreign-version frames and carries on", async () => {
    const junk = [
      "{oops",
      JSON.stringify({ v: 1, type: "job.run", data: {} }),
      JSON.stringify({ v: 9, type: "auth.ok", data: {} }),
    ];
    const cp = await fakeControlPlane(controlPlaneKey, junk);
    let authenticated = false;
    connect(cp.url, () => {
      authenticated = true;
    });
    await until(() => authenticated);
    expect(cp.events.filter((e) => e.kind === "connection")).toHaveLength(1);
  });
});
