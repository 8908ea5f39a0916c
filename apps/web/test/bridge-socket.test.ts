// /ws/bridge as a hostile or broken client sees it: raw WebSockets speaking the protocol by hand.
import { generateSigningKeyPair, loadPrivateKey, signMessage } from "@nervesys/core/crypto";
import { bridgeAuthPayload, CloseCode, MAX_FRAME_BYTES } from "@nervesys/core/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  apiClient,
  type ControlPlaneProcess,
  dashboardFeed,
  signedInUser,
  startControlPlane,
  tempDir,
} from "./harness";

let cp: ControlPlaneProcess;
let owner: string;

beforeAll(async () => {
  cp = await startControlPlane({ dataDir: await tempDir("cp") });
  owner = await signedInUser(cp, `raw-${Date.now()}@example.com`);
});
afterAll(() => cp?.stop());

/** A server enrolled through the API with a key this test holds. */
async function enrolledKey() {
  const api = apiClient(cp, owner);
  const added = await api("POST", "/api/servers", { name: `raw-${Math.random().toString(36).slice(2, 8)}` });
  const keys = generateSigningKeyPair();
  const enrolled = await api("POST", "/api/enroll", {
    token: added.json.enrollment.token,
    publicKey: keys.publicKey,
    fingerprint: { hostname: "raw-host", platform: "linux", arch: "x64" },
    version: "test",
  });
  expect(enrolled.status).toBe(200);
  return { serverId: added.json.server.id as string, privateKey: loadPrivateKey(keys.privateKeyPem) };
}

type Frame = { type: string; data: any };

function open() {
  const socket = new WebSocket(`${cp.url.replace("http", "ws")}/ws/bridge`);
  const frames: Frame[] = [];
  socket.on("message", (raw) => frames.push(JSON.parse(raw.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const next = async (type: string) => {
    for (let i = 0; i < 200; i++) {
      const found = frames.find((f) => f.type === type);
      if (found) {
        frames.splice(frames.indexOf(found), 1);
        return found;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no ${type} frame; got ${JSON.stringify(frames)}`);
  };
  return {
    socket,
    closed,
    next,
    send: (value: unknown) => socket.send(typeof value === "string" ? value : JSON.stringify(value)),
  };
}

const authResponse = (serverId: string, signature: string) => ({
  v: 1,
  type: "auth.response",
  data: { serverId, signature, version: "test" },
});

const heartbeat = {
  v: 1,
  type: "heartbeat",
  data: {
    timestamp: new Date().toISOString(),
    status: "healthy",
    metrics: { cpu_percent: 1, ram_percent: 2, disk_percent: 3, load_1: 0, load_5: 0, load_15: 0 },
    uptime_seconds: 1,
    version: "test",
  },
};

async function authenticated(key: Awaited<ReturnType<typeof enrolledKey>>) {
  const conn = open();
  const challenge = await conn.next("auth.challenge");
  const response = authResponse(
    key.serverId,
    signMessage(key.privateKey, bridgeAuthPayload(challenge.data.nonce, key.serverId)),
  );
  conn.send(response);
  await conn.next("auth.ok");
  return { ...conn, response };
}

describe("/ws/bridge", () => {
  it("refuses a heartbeat before authentication", async () => {
    const conn = open();
    await conn.next("auth.challenge");
    conn.send(heartbeat);
    expect(await conn.closed).toEqual({ code: CloseCode.unauthenticated, reason: "authenticate first" });
  });

  it("refuses a signature by another key", async () => {
    const key = await enrolledKey();
    const conn = open();
    const challenge = await conn.next("auth.challenge");
    const stranger = loadPrivateKey(generateSigningKeyPair().privateKeyPem);
    conn.send(authResponse(key.serverId, signMessage(stranger, bridgeAuthPayload(challenge.data.nonce, key.serverId))));
    expect((await conn.closed).code).toBe(CloseCode.unauthenticated);
  });

  it("refuses a replayed authentication", async () => {
    const key = await enrolledKey();
    const first = await authenticated(key);
    first.socket.close();
    const replay = open();
    await replay.next("auth.challenge");
    replay.send(first.response);
    expect(await replay.closed).toEqual({ code: CloseCode.unauthenticated, reason: "authentication failed" });
  });

  it("answers malformed and unknown frames with an error and keeps the connection", async () => {
    const conn = await authenticated(await enrolledKey());
    conn.send("{not json");
    expect((await conn.next("error")).data.code).toBe("malformed_json");
    conn.send({ v: 1, type: "job.run", data: { argv: ["rm", "-rf", "/"] } });
    expect((await conn.next("error")).data.code).toBe("unknown_type");
    conn.send({ v: 7, type: "heartbeat", data: {} });
    expect((await conn.next("error")).data.code).toBe("unsupported_version");
    conn.send({ ...heartbeat, data: { ...heartbeat.data, metrics: { cpu_percent: "lots" } } });
    expect((await conn.next("error")).data.code).toBe("invalid_payload");
    conn.send(heartbeat);
    await new Promise((r) => setTimeout(r, 200));
    expect(conn.socket.readyState).toBe(WebSocket.OPEN);
    conn.socket.close();
  });

  it("rate-limits a bridge that floods heartbeats", async () => {
    const conn = await authenticated(await enrolledKey());
    conn.send(heartbeat);
    conn.send(heartbeat);
    expect((await conn.next("error")).data.code).toBe("rate_limited");
    conn.socket.close();
  });

  it("cuts off a bridge that sends faster than it can be served", async () => {
    const conn = await authenticated(await enrolledKey());
    for (let i = 0; i < 500; i++) conn.send(heartbeat);
    expect(await conn.closed).toEqual({ code: CloseCode.protocolError, reason: "too many messages in flight" });
  });

  it("closes on an oversized frame and stays healthy", async () => {
    const conn = await authenticated(await enrolledKey());
    conn.send("x".repeat(MAX_FRAME_BYTES + 1));
    expect((await conn.closed).code).toBe(1009);
    expect((await apiClient(cp)("GET", "/api/health")).status).toBe(200);
  });

  it("drops a silent bridge within two ping intervals", async () => {
    const key = await enrolledKey();
    const feed = await dashboardFeed(cp, owner);
    const conn = await authenticated(key);
    await feed.waitFor(
      (m) => m.type === "server.updated" && m.data.server.id === key.serverId && m.data.server.state === "online",
    );
    conn.socket.pause(); // stops reading: pings go unanswered
    await feed.waitFor(
      (m) => m.type === "server.updated" && m.data.server.id === key.serverId && m.data.server.state === "offline",
      10_000,
    );
    feed.close();
    conn.socket.terminate();
  });

  it("refuses a dashboard socket without a session or from another site", async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${cp.url.replace("http", "ws")}/ws/dashboard`, { headers });
        socket.on("unexpected-response", (_req, res) => resolve(String(res.statusCode)));
        socket.on("open", () => resolve("open"));
        socket.on("error", () => {});
      });
    expect(await refused({})).toBe("401");
    expect(await refused({ cookie: owner, origin: "https://evil.example" })).toBe("403");
  });
});
