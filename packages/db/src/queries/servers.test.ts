import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabaseKinds } from "../testing/test-database";
import { createServerWithToken, findServer, listServers, setConnected } from "./servers";
import { listSamples, pruneSamples, recordHeartbeat } from "./telemetry";
import { upsertUser } from "./users";

const heartbeat = (timestamp: string, cpu: number) => ({
  agent_id: "bridge",
  timestamp,
  status: "healthy" as const,
  metrics: { cpu_percent: cpu, ram_percent: 40, disk_percent: 20, load_1: 0.5, load_5: 0.4, load_15: 0.3 },
  alerts: [],
  last_action: null,
  uptime_seconds: 100,
  version: "0.1.0",
});

describe.each(testDatabaseKinds(process.env.TEST_DATABASE_URL))("servers and samples on $name", (kind) => {
  let t: TestDatabase;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await kind.create();
    alice = (await upsertUser(t.handle.db, { firebaseUid: "alice", email: "alice@example.com" })).id;
    bob = (await upsertUser(t.handle.db, { firebaseUid: "bob", email: null })).id;
  });
  afterAll(() => t.drop());

  const add = (ownerId: string, name: string) =>
    createServerWithToken(t.handle.db, {
      ownerId,
      name,
      tokenHash: `${name}`.padEnd(64, "0"),
      expiresAt: new Date(Date.now() + 60_000),
    });

  it("keeps one user row per Firebase account", async () => {
    const again = await upsertUser(t.handle.db, { firebaseUid: "alice", email: "new@example.com" });
    expect(again.id).toBe(alice);
    expect(again.email).toBe("new@example.com");
  });

  it("never shows a server to another user", async () => {
    const server = await add(alice, "alice-web");
    expect(await findServer(t.handle.db, alice, server.id)).toMatchObject({ name: "alice-web" });
    expect(await findServer(t.handle.db, bob, server.id)).toBeNull();
    expect((await listServers(t.handle.db, bob)).map((s) => s.id)).not.toContain(server.id);
  });

  it("stores heartbeat samples and the server's latest state", async () => {
    const server = await add(alice, "alice-db");
    await recordHeartbeat(t.handle.db, {
      server,
      heartbeat: heartbeat("2026-01-01T10:00:00Z", 10),
      receivedAt: new Date(),
    });
    const { server: latest } = await recordHeartbeat(t.handle.db, {
      server,
      heartbeat: heartbeat("2026-01-01T10:00:30Z", 20),
      receivedAt: new Date(),
    });
    expect(latest.lastMetrics?.cpu_percent).toBe(20);
    const samples = await listSamples(t.handle.db, server.id, new Date("2026-01-01T09:00:00Z"));
    expect(samples.map((s) => s.metrics.cpu_percent)).toEqual([10, 20]);
    expect(samples[0]).toMatchObject({ agentId: "bridge", server: "alice-db", status: "healthy", uptimeSeconds: 100 });
    expect(await listSamples(t.handle.db, server.id, new Date("2026-01-01T10:00:10Z"))).toHaveLength(1);
  });

  it("records presence", async () => {
    const server = await add(alice, "alice-cache");
    const at = new Date();
    expect((await setConnected(t.handle.db, server.id, at))?.connectedAt?.getTime()).toBe(at.getTime());
    expect((await setConnected(t.handle.db, server.id, null))?.connectedAt).toBeNull();
  });

  it("prunes samples older than the retention cut-off only", async () => {
    const server = await add(alice, "alice-prune");
    for (const at of ["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"]) {
      await recordHeartbeat(t.handle.db, { server, heartbeat: heartbeat(at, 1), receivedAt: new Date() });
    }
    expect(await pruneSamples(t.handle.db, new Date("2025-01-02T00:00:00Z"))).toBe(1);
    const left = await listSamples(t.handle.db, server.id, new Date(0));
    expect(left.map((s) => s.timestamp.toISOString())).toEqual([
      "2025-01-02T00:00:00.000Z",
      "2025-01-03T00:00:00.000Z",
    ]);
  });
});
