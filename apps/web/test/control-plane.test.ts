// The walking skeleton through every layer: a real control plane process (on PGlite, or on
// Postgres when TEST_DATABASE_URL is set), real bridge processes, real WebSockets, the Firebase
// Auth Emulator.
import { spawn, spawnSync } from "node:child_process";
import { readdir, readFile, readlink, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createPostgresTestDatabase, type TestDatabase } from "@nervesys/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiClient,
  BRIDGE_JS,
  bridge,
  type ControlPlaneProcess,
  dashboardFeed,
  freePort,
  signedInUser,
  startControlPlane,
  stopProcess,
  tempDir,
} from "./harness";
import { startRewritingProxy } from "./rewriting-proxy";

let cp: ControlPlaneProcess;
let dataDir: string;
let database: TestDatabase | null = null;
let alice: string;
let bob: string;

beforeAll(async () => {
  dataDir = await tempDir("cp");
  if (process.env.TEST_DATABASE_URL) database = await createPostgresTestDatabase(process.env.TEST_DATABASE_URL);
  cp = await startControlPlane({ dataDir, databaseUrl: database?.url ?? undefined });
  alice = await signedInUser(cp, `alice-${Date.now()}@example.com`);
  bob = await signedInUser(cp, `bob-${Date.now()}@example.com`);
});

afterAll(async () => {
  await cp?.stop();
  await database?.drop();
});

async function waitForState(serverId: string, state: string, timeoutMs = 45_000) {
  const api = apiClient(cp, alice);
  const deadline = Date.now() + timeoutMs;
  let current = "";
  while (Date.now() < deadline && current !== state) {
    current = (await api("GET", `/api/servers/${serverId}`)).json.server.state;
    if (current !== state) await new Promise((r) => setTimeout(r, 250));
  }
  expect(current).toBe(state);
}

async function addServer(cookie: string, name: string) {
  const res = await apiClient(cp, cookie)("POST", "/api/servers", { name });
  expect(res.status).toBe(201);
  return res.json as {
    server: { id: string };
    enrollment: { token: string; enrollCommand: string; installCommand: string };
  };
}

describe("health", () => {
  it("answers liveness without a session", async () => {
    expect((await apiClient(cp)("GET", "/api/health")).json).toEqual({ status: "ok" });
  });

  it("reports database and auth readiness", async () => {
    const res = await apiClient(cp)("GET", "/api/health/ready");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ready", checks: { database: "ok", auth: "ok" } });
  });

  it("reports not ready, with 503, when the auth back end is down", async () => {
    const deadAuth = `127.0.0.1:${await freePort()}`;
    const broken = await startControlPlane({
      dataDir: await tempDir("cp"),
      env: { FIREBASE_AUTH_EMULATOR_HOST: deadAuth },
    });
    try {
      expect((await apiClient(broken)("GET", "/api/health")).status).toBe(200);
      const res = await apiClient(broken)("GET", "/api/health/ready");
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({
        status: "unavailable",
        checks: { database: "ok", auth: expect.stringMatching(/^failed/) },
      });
    } finally {
      await broken.stop();
    }
  });
});

describe("sessions", () => {
  it("redirects pages and refuses API routes without a session", async () => {
    const anonymous = apiClient(cp);
    const page = await anonymous("GET", "/servers/6f1c2f9e-8a0e-4a4b-9b7a-3f6a2b1c0d9e");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/sign-in?next=%2Fservers%2F6f1c2f9e-8a0e-4a4b-9b7a-3f6a2b1c0d9e");
    expect(await anonymous("GET", "/api/servers")).toMatchObject({
      status: 401,
      json: { error: { code: "unauthenticated" } },
    });
  });

  it("refuses a forged session cookie and a forged user header", async () => {
    const forged = apiClient(cp, "__session=eyJhbGciOiJub25lIn0.e30.");
    expect((await forged("GET", "/api/servers")).status).toBe(401);
    const res = await fetch(`${cp.url}/api/servers`, {
      headers: { "x-nervesys-user": encodeURIComponent(JSON.stringify({ userId: "x", firebaseUid: "x" })) },
    });
    expect(res.status).toBe(401);
  });

  it("sets an httpOnly SameSite session cookie and refuses a bad ID token", async () => {
    const res = await fetch(`${cp.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: cp.url },
      body: JSON.stringify({ idToken: "not-a-token" }),
    });
    expect(res.status).toBe(401);
    const { emulatorSignUp } = await import("./harness");
    const ok = await fetch(`${cp.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: cp.url },
      body: JSON.stringify({ idToken: await emulatorSignUp(`carol-${Date.now()}@example.com`) }),
    });
    expect(ok.headers.get("set-cookie")).toMatch(/__session=.+; .*HttpOnly/i);
    expect(ok.headers.get("set-cookie")).toMatch(/SameSite=lax/i);
  });

  it("signs out: the cookie stops working", async () => {
    const cookie = await signedInUser(cp, `dave-${Date.now()}@example.com`);
    const dave = apiClient(cp, cookie);
    expect((await dave("GET", "/api/servers")).status).toBe(200);
    // Firebase compares revocation and sign-in times in whole seconds: sign out in a later one.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await dave("DELETE", "/api/session")).status).toBe(204);
    expect((await dave("GET", "/api/servers")).status).toBe(401);
  });
});

describe("adding servers", () => {
  it("rejects bad input with a clear error and creates nothing", async () => {
    const carol = apiClient(cp, await signedInUser(cp, `erin-${Date.now()}@example.com`));
    expect(await carol("POST", "/api/servers", { name: "" })).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_request" } },
    });
    expect((await carol("POST", "/api/servers", { name: "web; rm -rf /" })).status).toBe(400);
    expect((await carol("POST", "/api/servers", { name: "x".repeat(101) })).status).toBe(400);
    expect(await carol("POST", "/api/servers", "{oops")).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_json" } },
    });
    expect((await carol("POST", "/api/servers", { name: "a".repeat(20_000) })).status).toBe(413);
    expect((await carol("GET", "/api/servers")).json).toEqual({ servers: [] });
  });

  it("refuses cross-site writes", async () => {
    const res = await fetch(`${cp.url}/api/servers`, {
      method: "POST",
      headers: { cookie: alice, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ name: "evil" }),
    });
    expect(res.status).toBe(403);
  });

  it("returns a one-time token and the commands that use it", async () => {
    const { server, enrollment } = await addServer(alice, "web-01");
    expect(enrollment.token).toMatch(/^nvs_enr_[A-Za-z0-9_-]{43}$/);
    expect(enrollment.enrollCommand).toBe(`nervesys-bridge enroll --url ${cp.url} --token ${enrollment.token}`);
    expect(enrollment.installCommand).toBe(
      `curl -fsSL ${cp.url}/install-bridge.sh | sudo bash -s -- --url ${cp.url} --token ${enrollment.token}`,
    );
    const listed = await apiClient(cp, alice)("GET", `/api/servers/${server.id}`);
    expect(listed.json.server).toMatchObject({ name: "web-01", state: "pending" });
  });
});

describe("a bridge, enrolled and connected", () => {
  let serverId: string;
  let token: string;
  let home: string;
  let running: ReturnType<typeof bridge> | null = null;

  beforeAll(async () => {
    const added = await addServer(alice, "db-01");
    serverId = added.server.id;
    token = added.enrollment.token;
    home = await tempDir("bridge");
  });

  afterAll(async () => {
    if (running) await stopProcess(running.child);
  });

  it("enrolls with its one-time token and keeps its key private", async () => {
    const run = bridge(["enroll", "--url", cp.url, "--token", token], home);
    expect(await run.exit).toBe(0);
    expect(run.output.text).toContain(`enrolled as "db-01" (${serverId})`);
    expect((await stat(path.join(home, "bridge.key"))).mode & 0o777).toBe(0o600);
  });

  it("refuses a reused, unknown or malformed token with a clear message", async () => {
    const reused = bridge(["enroll", "--url", cp.url, "--token", token], await tempDir("bridge"));
    expect(await reused.exit).toBe(1);
    expect(reused.output.text).toContain("already used");
    const unknown = bridge(
      ["enroll", "--url", cp.url, "--token", `nvs_enr_${"A".repeat(43)}`],
      await tempDir("bridge"),
    );
    expect(await unknown.exit).toBe(1);
    expect(unknown.output.text).toContain("not known");
    const malformed = bridge(["enroll", "--url", cp.url, "--token", "$(reboot)"], await tempDir("bridge"));
    expect(await malformed.exit).toBe(1);
    expect(malformed.output.text).toContain("not a Nervesys enrollment token");
    const again = bridge(["enroll", "--url", cp.url, "--token", token], home);
    expect(await again.exit).toBe(1);
    expect(again.output.text).toContain("already enrolled");
  });

  it("connects and streams heartbeats to its owner's dashboard live", async () => {
    const feed = await dashboardFeed(cp, alice);
    running = bridge(["run"], home);
    const online = await feed.waitFor(
      (m) => m.type === "server.updated" && m.data.server.id === serverId && m.data.server.state === "online",
    );
    expect(online.data.server.name).toBe("db-01");
    const sample = await feed.waitFor((m) => m.type === "server.sample" && m.data.serverId === serverId);
    expect(sample.data.sample.cpu).toBeGreaterThanOrEqual(0);
    feed.close();

    const api = apiClient(cp, alice);
    const { json } = await api("GET", `/api/servers/${serverId}`);
    expect(json.server).toMatchObject({ state: "online", bridgeVersion: "0.1.0" });
    expect(json.server.metrics.ram_percent).toBeGreaterThan(0);
    const samples = await api("GET", `/api/servers/${serverId}/samples?minutes=60`);
    expect(samples.json.samples.length).toBeGreaterThanOrEqual(1);
    expect((await api("GET", `/api/servers/${serverId}/samples?minutes=-5`)).status).toBe(400);

    // The daemon's state file is written asynchronously: ask until it says connected.
    let report = "";
    for (let i = 0; i < 20 && !/daemon: +running .*connected/.test(report); i++) {
      const status = bridge(["status"], home);
      expect(await status.exit).toBe(0);
      report = status.output.text;
    }
    expect(report).toMatch(/daemon: +running .*connected/);
  });

  it("is invisible to another user", async () => {
    const other = apiClient(cp, bob);
    expect((await other("GET", `/api/servers/${serverId}`)).status).toBe(404);
    expect((await other("GET", `/api/servers/${serverId}/samples`)).status).toBe(404);
    expect((await other("GET", "/api/servers")).json.servers).toEqual([]);
    const page = await fetch(`${cp.url}/servers/${serverId}`, { headers: { cookie: bob } });
    expect(page.status).toBe(404);
  });

  it("reconnects after the control plane restarts", async () => {
    await cp.stop();
    cp = await startControlPlane({ dataDir, port: cp.port, databaseUrl: database?.url ?? undefined });
    await waitForState(serverId, "online");
  });

  it("goes offline on the dashboard when the bridge stops", async () => {
    const feed = await dashboardFeed(cp, alice);
    if (running) await stopProcess(running.child);
    running = null;
    await feed.waitFor(
      (m) => m.type === "server.updated" && m.data.server.id === serverId && m.data.server.state === "offline",
    );
    feed.close();
  });
});

/** The argument lists of the processes running now whose command line mentions `text`. */
async function commandLinesWith(text: string): Promise<string[][]> {
  const found: string[][] = [];
  for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
    const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0").filter(Boolean);
    if (argv.some((arg) => arg.includes(text))) found.push(argv);
  }
  return found;
}

describe("the one-line install", () => {
  it("downloads, installs, enrolls and runs the bridge from curl | bash", async () => {
    const { server, enrollment } = await addServer(alice, "fresh-vps");
    const [prefix, data, bin] = await Promise.all([tempDir("prefix"), tempDir("data"), tempDir("bin")]);
    // The dashboard's command, minus sudo, with the install kept inside temporary folders.
    const line = `${enrollment.installCommand.replace("sudo bash", "bash")} --prefix ${prefix} --data-dir ${data} --bin-dir ${bin} --no-service`;
    const install = spawn("bash", ["-c", line], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    install.stdout.on("data", (d) => (output += d));
    install.stderr.on("data", (d) => (output += d));
    try {
      await waitForState(server.id, "online");
      expect(output).toContain(`enrolled as "fresh-vps"`);
      expect(await readlink(path.join(bin, "nervesys-bridge"))).toBe(path.join(prefix, "bin/nervesys-bridge"));
      expect((await stat(path.join(data, "bridge.key"))).mode & 0o777).toBe(0o600);
      // The daemon runs with the wrapper's V8 flags (the bridge's footprint depends on them).
      const bundle = path.join(prefix, "lib/nervesys-bridge.cjs");
      expect(await commandLinesWith(bundle)).toContainEqual([
        "node",
        "--max-semi-space-size=2",
        "--no-sparkplug",
        bundle,
        "run",
      ]);
      // A Node that does not know one of them still runs the bridge, without them.
      const oldNode = await tempDir("old-node");
      await writeFile(
        path.join(oldNode, "node"),
        [
          "#!/bin/sh",
          `echo "$*" >> ${oldNode}/calls`,
          'for a in "$@"; do [ "$a" = --no-sparkplug ] && { echo "node: bad option: $a" >&2; exit 9; }; done',
          `exec ${process.execPath} "$@"`,
        ].join("\n"),
        { mode: 0o755 },
      );
      const help = spawnSync(path.join(prefix, "bin/nervesys-bridge"), ["run", "--help"], {
        env: { ...process.env, PATH: `${oldNode}:${process.env.PATH}` },
        encoding: "utf8",
      });
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain("Usage:");
      expect((await readFile(path.join(oldNode, "calls"), "utf8")).trim().split("\n")).toEqual([
        "--max-semi-space-size=2 --no-sparkplug -e 0",
        `${bundle} run --help`,
      ]);
    } finally {
      if (install.pid) process.kill(-install.pid, "SIGTERM");
    }
    await waitForState(server.id, "offline");
  });

  // The path of every host whose Node differs from the control plane's: npm fetches better-sqlite3
  // and builds its addon there (here from source, ~1.5 min on 2 cores), and the bridge runs on it.
  it("builds the SQLite addon with npm when the control plane's is for another Node", async () => {
    const { server, enrollment } = await addServer(alice, "other-node-vps");
    const [, version] = (await readFile(path.join(path.dirname(BRIDGE_JS), "native.txt"), "utf8")).trim().split(" ");
    const proxy = await startRewritingProxy(cp.url, { "/downloads/native.txt": `linux-x64-1 ${version}\n` });
    const [prefix, data, bin] = await Promise.all([tempDir("prefix"), tempDir("data"), tempDir("bin")]);
    const line = `${enrollment.installCommand.replaceAll(cp.url, proxy.url).replace("sudo bash", "bash")} --prefix ${prefix} --data-dir ${data} --bin-dir ${bin} --no-service`;
    const install = spawn("bash", ["-c", line], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    install.stdout.on("data", (d) => (output += d));
    install.stderr.on("data", (d) => (output += d));
    try {
      await waitForState(server.id, "online", 240_000);
      expect(output).toContain(
        `this host is ${process.platform}-${process.arch}-${process.versions.modules}: building`,
      );
      expect((await stat(path.join(prefix, "lib/better_sqlite3.node"))).size).toBeGreaterThan(0);
    } finally {
      if (install.pid) process.kill(-install.pid, "SIGTERM");
      await proxy.close();
    }
  }, 300_000);

  it("refuses a bad token before installing anything", async () => {
    const prefix = await tempDir("prefix");
    const script = `${cp.url}/install-bridge.sh`;
    const result = spawn("bash", [
      "-c",
      `curl -fsSL ${script} | bash -s -- --url ${cp.url} --token 'x;reboot' --prefix ${prefix}/p`,
    ]);
    let output = "";
    result.stderr.on("data", (d) => (output += d));
    const code = await new Promise((resolve) => result.on("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("not a Nervesys enrollment token");
    await expect(stat(path.join(prefix, "p"))).rejects.toThrow();
  });
});

describe("managing a server", () => {
  it("issues a new token that replaces the unused one", async () => {
    const { server, enrollment } = await addServer(alice, "re-01");
    const renewed = await apiClient(cp, alice)("POST", `/api/servers/${server.id}/enrollment`);
    expect(renewed.status).toBe(201);
    expect(renewed.json.enrollment.enrollCommand).toContain(renewed.json.enrollment.token);
    const old = bridge(["enroll", "--url", cp.url, "--token", enrollment.token], await tempDir("bridge"));
    expect(await old.exit).toBe(1);
    expect(old.output.text).toContain("not known");
    const fresh = bridge(
      ["enroll", "--url", cp.url, "--token", renewed.json.enrollment.token],
      await tempDir("bridge"),
    );
    expect(await fresh.exit).toBe(0);
  });

  it("lets no other user issue tokens for or remove a server", async () => {
    const { server } = await addServer(alice, "re-02");
    const other = apiClient(cp, bob);
    expect((await other("POST", `/api/servers/${server.id}/enrollment`)).status).toBe(404);
    expect((await other("DELETE", `/api/servers/${server.id}`)).status).toBe(404);
    expect((await apiClient(cp, alice)("GET", `/api/servers/${server.id}`)).status).toBe(200);
  });

  it("removes a server: its dashboards are told and its bridge is cut off", async () => {
    const { server, enrollment } = await addServer(alice, "re-03");
    const home = await tempDir("bridge");
    expect(await bridge(["enroll", "--url", cp.url, "--token", enrollment.token], home).exit).toBe(0);
    const daemon = bridge(["run"], home);
    try {
      await waitForState(server.id, "online");
      const feed = await dashboardFeed(cp, alice);
      expect((await apiClient(cp, alice)("DELETE", `/api/servers/${server.id}`)).status).toBe(204);
      await feed.waitFor((m) => m.type === "server.removed" && m.data.serverId === server.id);
      feed.close();
      await daemon.output.waitFor(/"code":4403,"reason":"server removed"/);
      expect((await apiClient(cp, alice)("GET", `/api/servers/${server.id}`)).status).toBe(404);
    } finally {
      await stopProcess(daemon.child);
    }
  });
});
