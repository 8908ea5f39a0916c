// Real processes for integration and e2e tests: the built control plane (dist/server.js), the
// built bridge bundle, Firebase Auth Emulator accounts, and a dashboard WebSocket feed.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const SERVER_JS = path.join(root, "apps/web/dist/server.js");
export const BRIDGE_JS = path.join(root, "apps/bridge/dist/nervesys-bridge.cjs");
export const INSTALL_SCRIPT = path.join(root, "apps/bridge/install/install-bridge.sh");
export const PROJECT_ID = "demo-nervesys";

export function emulatorHost(): string {
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!host) throw new Error("FIREBASE_AUTH_EMULATOR_HOST is not set: run these tests through `npm test`");
  return host;
}

export const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), `nervesys-${prefix}-`));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Output of a child process, with a way to wait for a line matching a pattern. */
export class ProcessOutput {
  text = "";
  private waiters: Array<() => void> = [];

  constructor(child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      this.text += chunk.toString();
      for (const wake of this.waiters) wake();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text.match(pattern);
      if (match) return match;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.text.slice(-3000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 250);
      });
      this.waiters = [];
    }
  }
}

export type ControlPlaneProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  output: ProcessOutput;
  stop(): Promise<void>;
};

export async function startControlPlane(options: {
  dataDir: string;
  port?: number;
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<ControlPlaneProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [SERVER_JS], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      NERVESYS_DATA_DIR: options.dataDir,
      FIREBASE_AUTH_EMULATOR_HOST: emulatorHost(),
      FIREBASE_PROJECT_ID: PROJECT_ID,
      HEARTBEAT_INTERVAL_SECONDS: "5",
      WS_PING_INTERVAL_SECONDS: "1",
      LOG_LEVEL: "info",
      NEXT_TELEMETRY_DISABLED: "1",
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = new ProcessOutput(child);
  await output.waitFor(/control plane ready on/, 60_000);
  return { url: `http://127.0.0.1:${port}`, port, child, output, stop: () => stopProcess(child) };
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

export type BridgeRun = { child: ChildProcess; output: ProcessOutput; exit: Promise<number> };

/** Runs the built bridge CLI with its data in `home`. */
export function bridge(args: string[], home: string, env: Record<string, string> = {}): BridgeRun {
  const child = spawn(process.execPath, [BRIDGE_JS, ...args], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NERVESYS_BRIDGE_HOME: home,
      NERVESYS_PING_INTERVAL_SECONDS: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = new ProcessOutput(child);
  const exit = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  return { child, output, exit };
}

/** Creates an emulator account and returns a fresh ID token for it. */
export async function emulatorSignUp(email: string, password = "secret-password"): Promise<string> {
  const response = await fetch(
    `http://${emulatorHost()}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  const body = (await response.json()) as { idToken?: string };
  if (!body.idToken) throw new Error(`emulator sign-up failed: ${JSON.stringify(body)}`);
  return body.idToken;
}

/** Signs a new user up and returns the session cookie the control plane set. */
export async function signedInUser(cp: ControlPlaneProcess, email: string): Promise<string> {
  const response = await fetch(`${cp.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: cp.url },
    body: JSON.stringify({ idToken: await emulatorSignUp(email) }),
  });
  if (!response.ok) throw new Error(`session failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

/** A JSON client for the REST API, as a signed-in browser would call it. */
export function apiClient(cp: ControlPlaneProcess, cookie?: string) {
  return async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${cp.url}${route}`, {
      method,
      redirect: "manual",
      headers: {
        origin: cp.url,
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, json: json as Record<string, any>, headers: response.headers };
  };
}

/** Collects the messages of a dashboard WebSocket and waits for one that matches. */
export async function dashboardFeed(cp: ControlPlaneProcess, cookie: string) {
  const socket = new WebSocket(`${cp.url.replace("http", "ws")}/ws/dashboard`, { headers: { cookie, origin: cp.url } });
  const messages: Array<{ type: string; data: any }> = [];
  socket.on("message", (raw) => messages.push(JSON.parse(raw.toString())));
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return {
    messages,
    close: () => socket.close(),
    async waitFor(predicate: (m: { type: string; data: any }) => boolean, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching dashboard message; got ${JSON.stringify(messages.map((m) => m.type))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
