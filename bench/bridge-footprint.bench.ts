// bridge-footprint: what the built bridge costs a VPS. Idle: RSS and CPU of a connected bridge with
// nothing to ship, over 60 s, beside a bare `node` idling over the same window; and of a second one
// that took a burst of logs just before (what a bridge that has worked holds: its buffer's page
// cache, its grown heap, and any compiler V8 was allowed to page in). Drain: peak RSS while
// it ships a full buffer (filled before it starts) to a stand-in control plane, then whether it falls
// quiet. The bridge talks to the stand-in over TLS (wss, https), as in production, trusting a
// throwaway certificate made with the openssl command. *_mb figures are MiB, as /proc counts them.
import { type ChildProcess, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateSigningKeyPair } from "@nervesys/core/crypto";
import { DEFAULT_GZIP_LEVEL } from "@nervesys/core/protocol";
import { capacityFor, recordCost } from "../apps/bridge/src/buffer/capacity";
import { openBuffer } from "../apps/bridge/src/buffer/open-buffer";
import { loadEnv } from "../apps/bridge/src/env";
import { IdentityStore } from "../apps/bridge/src/identity/identity-store";
import { BUFFER_FILE } from "../apps/bridge/src/pipeline/pipeline";
import { ChildProcesses } from "./child-processes";
import { clockTicksPerSecond, type Footprint, peakRssMiB, rssMiB, sampleFootprints } from "./proc-sampler";
import { realisticLogChunks, sentLine } from "./realistic-logs";
import type { BenchResult } from "./run";
import { type BridgeTraffic, StandInControlPlane } from "./stand-in-control-plane";

const MiB = 1024 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUNDLE = path.join(root, "apps/bridge/dist/nervesys-bridge.cjs");
/** How apps/bridge/install/install-bridge.sh runs the daemon: its wrapper's node flags and its unit's environment. */
const INSTALLED = {
  nodeFlags: ["--max-semi-space-size=2", "--no-sparkplug"],
  env: { GLIBC_TUNABLES: "glibc.malloc.trim_threshold=0" },
};
const ADDON = path.join(root, "apps/bridge/dist/better_sqlite3.node");

const SETTLE_MS = 5_000;
const IDLE_WINDOW_MS = 60_000;
const IDLE_SAMPLE_MS = 500;
const DRAIN_SAMPLE_MS = 100;
// After the last upload: long enough for the deletes to finish and the heap to shrink (V8's memory
// reducer starts 2 s after work stops), so after_drain_rss_mb is what a drained bridge keeps.
const AFTER_DRAIN_MS = 10_000;
const FILL_CHUNK = 2_000;
// What the real control plane sends by default (apps/web/src/env.ts, archive-service's bridgeConfig).
const HEARTBEAT_INTERVAL_SECONDS = 30;
const CONTROL_PLANE_PING_MS = 20_000;
const CONFIG = {
  archive: { kind: "control-plane" as const },
  uploadIntervalSeconds: 600,
  flushBytes: 10 * MiB,
  redactPatterns: [],
  gzipLevel: DEFAULT_GZIP_LEVEL,
};

/** An enrolled bridge home; `env`: what its process runs with besides the installed defaults. */
type Bridge = { home: string; log: string; traffic: BridgeTraffic; env: Record<string, string> };
type Certificate = { key: string; cert: string; certFile: string };

/** A self-signed certificate for 127.0.0.1, valid for a day. */
function throwawayCertificate(dir: string): Certificate {
  const keyFile = path.join(dir, "tls.key");
  const certFile = path.join(dir, "tls.crt");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}
type Idle = { bridge: Footprint; worked: Footprint; bare: Footprint };
const BURST_RECORDS = 20_000;
type Drain = {
  peakRssMiB: number;
  sampledPeakRssMiB: number;
  seconds: number;
  rawMiB: number;
  objects: number;
  after: { rssMiB: number; uploadsPerS: number };
};

/** Enrolls a bridge home as `enroll` would, trusting the stand-in's key. */
async function enrollHome(standIn: StandInControlPlane, home: string, trustedCertFile: string): Promise<Bridge> {
  const serverId = randomUUID();
  const keys = generateSigningKeyPair();
  await new IdentityStore(home).save(
    {
      serverId,
      serverName: "bench",
      controlPlaneUrl: standIn.url,
      controlPlanePublicKey: standIn.publicKey,
      heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS,
      enrolledAt: new Date().toISOString(),
    },
    keys.privateKeyPem,
  );
  return {
    home,
    log: path.join(home, "bridge.log"),
    traffic: standIn.register(serverId, keys.publicKey),
    env: { ...INSTALLED.env, NERVESYS_BRIDGE_HOME: home, NODE_EXTRA_CA_CERTS: trustedCertFile },
  };
}

/** Fills the buffer up to just below the level where it starts dropping, as a long outage would. */
function fillBuffer(home: string, capBytes: number): { records: number; usedMiB: number } {
  const { highWaterBytes } = capacityFor(capBytes);
  const { buffer } = openBuffer(path.join(home, BUFFER_FILE), capBytes);
  try {
    for (const chunk of realisticLogChunks(FILL_CHUNK)) {
      const cost = chunk.reduce((sum, r) => sum + recordCost(r.message, r.context, r.agent), 0);
      if (buffer.usedBytes() + cost > highWaterBytes) break;
      buffer.append(chunk);
    }
    const dropped = buffer.counter("dropped_records");
    if (dropped > 0) throw new Error(`filling the buffer dropped ${dropped} records`);
    return { records: buffer.recordCount(), usedMiB: buffer.usedBytes() / MiB };
  } finally {
    buffer.close();
  }
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "(no output)";
  }
}

type Wait = { bridge: Bridge; child: ChildProcess; timeoutMs: number; pollMs: number; what: string };

/** Polls `done` every `pollMs` until it holds; fails if the bridge exits or time runs out, quoting its output. */
async function until(done: () => boolean, { bridge, child, timeoutMs, pollMs, what }: Wait): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (child.exitCode !== null)
      throw new Error(`the bridge exited (${child.exitCode}) before ${what}:\n${logTail(bridge.log)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${logTail(bridge.log)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Sends `count` realistic records to a running bridge's ingest socket; resolves once all are stored. */
async function ingestBurst(bridge: Bridge, count: number): Promise<void> {
  const lines: string[] = [];
  for (const chunk of realisticLogChunks(FILL_CHUNK)) {
    for (const r of chunk) lines.push(sentLine(r));
    if (lines.length >= count) break;
  }
  const socket = createConnection(path.join(bridge.home, "ingest.sock"));
  let replies = "";
  socket.on("data", (data) => (replies += data));
  socket.end(`${lines.slice(0, count).join("\n")}\n`);
  await once(socket, "close");
  const last = JSON.parse(replies.trim().split("\n").pop() ?? "{}") as { stored?: number };
  if (last.stored !== count) throw new Error(`the bridge stored ${last.stored} of ${count} records:\n${replies}`);
}

async function measureIdle(
  children: ChildProcesses,
  fresh: Bridge,
  worked: Bridge,
  ticksPerSecond: number,
): Promise<Idle> {
  const running = [fresh, worked].map((bridge) => ({
    bridge,
    child: children.start([...INSTALLED.nodeFlags, BUNDLE, "run"], bridge.log, bridge.env),
  }));
  // The baseline idles beside the bridges, so all see the same window of a shared, noisy machine.
  const bare = children.start(["-e", "setInterval(() => {}, 1000)"], path.join(fresh.home, "bare.log"));
  const what = "the bridge to connect and report";
  for (const { bridge, child } of running) {
    await until(() => bridge.traffic.heartbeats > 0, { bridge, child, timeoutMs: 30_000, pollMs: 50, what });
  }
  await ingestBurst(worked, BURST_RECORDS);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const pids = [...running.map(({ child }) => child.pid), bare.pid];
  const [freshIdle, workedIdle, bareIdle] = await sampleFootprints(
    pids,
    IDLE_WINDOW_MS,
    IDLE_SAMPLE_MS,
    ticksPerSecond,
  ).catch((error: Error) => {
    throw new Error(`sampling the idle bridges failed (${error.message}); one said:\n${logTail(fresh.log)}`);
  });
  for (const { bridge } of running) {
    if (bridge.traffic.sessions !== 1)
      throw new Error(`a bridge reconnected during the idle window:\n${logTail(bridge.log)}`);
  }
  await Promise.all([...running.map(({ child }) => children.stop(child)), children.stop(bare)]);
  return { bridge: freshIdle!, worked: workedIdle!, bare: bareIdle! };
}

async function measureDrain(children: ChildProcesses, bridge: Bridge, records: number): Promise<Drain> {
  const child = children.start([...INSTALLED.nodeFlags, BUNDLE, "run"], bridge.log, bridge.env);
  let sampledPeak = 0;
  const sample = () => {
    try {
      sampledPeak = Math.max(sampledPeak, rssMiB(child.pid));
    } catch {
      // exiting: `until` reports it on its next turn
    }
    // Shipped oldest first: reports covering `records` cover every record filled in (the bridge's
    // own log lines, appended after them, may ride along in the last object).
    return bridge.traffic.reportedRecords >= records;
  };
  const what = `uploads covering ${records} records`;
  await until(sample, { bridge, child, timeoutMs: 90_000, pollMs: DRAIN_SAMPLE_MS, what });
  const { traffic } = bridge;
  const drained = {
    // The kernel's high-water mark catches a peak between two samples.
    peakRssMiB: Math.max(peakRssMiB(child.pid), sampledPeak),
    sampledPeakRssMiB: sampledPeak,
    seconds: (Date.now() - traffic.authenticatedAt!) / 1000,
    rawMiB: traffic.reportedRawBytes / MiB,
    objects: traffic.reportedKeys.size,
  };
  // With everything shipped the bridge should fall quiet; uploads now would be a loop feeding itself.
  const putsAtDone = traffic.puts;
  await new Promise((resolve) => setTimeout(resolve, AFTER_DRAIN_MS));
  if (child.exitCode !== null) throw new Error(`the bridge exited after draining:\n${logTail(bridge.log)}`);
  const after = { rssMiB: rssMiB(child.pid), uploadsPerS: (traffic.puts - putsAtDone) / (AFTER_DRAIN_MS / 1000) };
  await children.stop(child);
  if (traffic.refused.length > 0) throw new Error(`the stand-in refused uploads: ${traffic.refused[0]}`);
  return { ...drained, after };
}

function toResult(idle: Idle, drain: Drain, bufferMiB: number, ticksPerSecond: number): BenchResult {
  // One tick over the window is the resolution of the CPU figure, and a bare node often uses less.
  const bareCpuFloor = Math.max(idle.bare.cpuPercent, 100 / ticksPerSecond / idle.bare.seconds);
  return {
    metrics: {
      idle_rss_mb: idle.bridge.maxRssMiB,
      idle_rss_avg_mb: idle.bridge.avgRssMiB,
      idle_cpu_pct: idle.bridge.cpuPercent,
      idle_after_burst_rss_mb: idle.worked.maxRssMiB,
      idle_after_burst_rss_avg_mb: idle.worked.avgRssMiB,
      idle_after_burst_cpu_pct: idle.worked.cpuPercent,
      drain_peak_rss_mb: drain.peakRssMiB,
      drain_sampled_peak_rss_mb: drain.sampledPeakRssMiB,
      drain_seconds: drain.seconds,
      drained_mib: drain.rawMiB,
      drain_objects: drain.objects,
      after_drain_rss_mb: drain.after.rssMiB,
      after_drain_uploads_per_s: drain.after.uploadsPerS,
      buffer_mib: bufferMiB,
    },
    baseline: {
      bare_node_idle_rss_mb: idle.bare.maxRssMiB,
      bare_node_idle_rss_avg_mb: idle.bare.avgRssMiB,
      bare_node_idle_cpu_pct: idle.bare.cpuPercent,
    },
    ratio: {
      idle_rss: idle.bridge.maxRssMiB / idle.bare.maxRssMiB,
      idle_rss_avg: idle.bridge.avgRssMiB / idle.bare.avgRssMiB,
      idle_after_burst_rss: idle.worked.maxRssMiB / idle.bare.maxRssMiB,
      idle_cpu: idle.bridge.cpuPercent / bareCpuFloor,
      drain_peak_rss: drain.peakRssMiB / idle.bare.maxRssMiB,
    },
  };
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(BUNDLE) || !existsSync(ADDON))
    throw new Error(`${path.relative(root, BUNDLE)} or its better_sqlite3.node is missing: run \`npm run build\``);
  const ticksPerSecond = clockTicksPerSecond();
  const work = await mkdtemp(path.join(tmpdir(), "bench-footprint-"));
  const certificate = throwawayCertificate(work);
  const standIn = new StandInControlPlane({
    heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS,
    pingIntervalMs: CONTROL_PLANE_PING_MS,
    config: CONFIG,
    tls: { key: certificate.key, cert: certificate.cert },
  });
  const children = new ChildProcesses();
  try {
    await standIn.listen();
    const idleBridge = await enrollHome(standIn, path.join(work, "idle"), certificate.certFile);
    const workedBridge = await enrollHome(standIn, path.join(work, "worked"), certificate.certFile);
    const drainBridge = await enrollHome(standIn, path.join(work, "drain"), certificate.certFile);
    const filled = fillBuffer(drainBridge.home, loadEnv({ NERVESYS_BRIDGE_HOME: drainBridge.home }).bufferCapBytes);
    process.stderr.write(`bridge-footprint: ${filled.usedMiB.toFixed(1)} MiB buffered; idle window of 60 s\n`);
    const idle = await measureIdle(children, idleBridge, workedBridge, ticksPerSecond);
    process.stderr.write("bridge-footprint: draining\n");
    const drain = await measureDrain(children, drainBridge, filled.records);
    return toResult(idle, drain, filled.usedMiB, ticksPerSecond);
  } finally {
    await children.stopAll();
    await standIn.close();
    await rm(work, { recursive: true, force: true });
  }
}
