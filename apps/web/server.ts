// The control plane's composition root: one Node process serving Next.js and the WebSocket
// endpoints (/ws/bridge, /ws/dashboard) on one port. Builds every service and hands it its
// dependencies; Next's handlers reach them through src/server/context.ts.
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { ARCHIVE_UPLOAD_PATH } from "@nervesys/core/protocol";
import { clearConnections, defaultMigrationsFolder, openDatabase } from "@nervesys/db";
import { ConfigError, loadEnv, type WebEnv } from "./src/env";
import { ArchiveService } from "./src/server/archive/archive-service";
import { createArchiveUploadHandler } from "./src/server/archive/archive-upload-handler";
import { createPlatformArchive } from "./src/server/archive/platform-archive";
import { StorageSettings } from "./src/server/archive/storage-settings";
import { AuthService } from "./src/server/auth/auth-service";
import { BridgeGateway } from "./src/server/bridge/bridge-gateway";
import { provideControlPlane } from "./src/server/context";
import { DashboardGateway } from "./src/server/dashboard/dashboard-gateway";
import { EnrollmentService } from "./src/server/fleet/enrollment-service";
import { FleetEvents } from "./src/server/fleet/fleet-events";
import { FleetService } from "./src/server/fleet/fleet-service";
import { scheduleSampleRetention } from "./src/server/fleet/sample-retention";
import { clientAddress, gate, isSameOrigin, readCookie } from "./src/server/http/gate";
import { SESSION_COOKIE } from "./src/server/http/gate-headers";
import { RateLimiter } from "./src/server/http/rate-limiter";
import { createLogger, type Logger } from "./src/server/logger";
import { loadOrCreateSigningKey } from "./src/server/signing-key";
import { loadVault } from "./src/server/vault/master-keys";

// The lockfile pins an AWS SDK that supports Node 20, our floor; its notice that later releases
// will need Node 22 is for us (see the README), not for every start of every daemon.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const dev = process.argv.includes("--dev");
/** apps/web, whether running from source (server.ts) or from the bundle (dist/server.js). */
const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.basename(here) === "dist" ? path.dirname(here) : here;

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function main(): Promise<void> {
  let env: WebEnv;
  try {
    env = loadEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`nervesys: ${error.message}\n`);
    process.exit(1);
  }
  const logger: Logger = createLogger(env.logLevel);
  if (env.auth.mode === "emulator") {
    logger.warn(
      { emulator: env.auth.emulatorHost },
      "USING THE FIREBASE AUTH EMULATOR: sign-in is not secure; for local development and tests only",
    );
  }

  const migrationsFolder = existsSync(path.join(appDir, "dist", "drizzle"))
    ? path.join(appDir, "dist", "drizzle")
    : defaultMigrationsFolder;
  const database = await openDatabase(env.database, migrationsFolder);
  logger.info({ driver: database.driver }, "database ready");
  await clearConnections(database.db);

  const stopRetention = scheduleSampleRetention(
    database.db,
    env.sampleRetentionDays,
    logger.child({ component: "retention" }),
  );
  const signingKey = await loadOrCreateSigningKey(env.signingKeyFile);
  const vault = await loadVault({ ...env.vault, production: env.production });
  const events = new FleetEvents();
  const auth = new AuthService(env.auth, database.db, env.sessionMaxAgeMs);
  const platformArchive = createPlatformArchive(env.platformArchive);
  // An owner's connected bridges are sent their new config as soon as their storage settings change.
  const storage = new StorageSettings(database.db, vault, (ownerId) => {
    bridges.pushConfig(ownerId).catch((error: Error) => logger.error({ err: error.message }, "config push failed"));
  });
  const archive = new ArchiveService({
    db: database.db,
    settings: storage,
    platform: platformArchive,
    defaults: env.pipeline,
  });
  const bridges = new BridgeGateway({
    db: database.db,
    events,
    archive,
    signingKey,
    logger: logger.child({ component: "bridge-gateway" }),
    heartbeatIntervalSeconds: env.heartbeatIntervalSeconds,
    pingIntervalMs: env.wsPingIntervalMs,
  });
  const uploadArchive = createArchiveUploadHandler({
    db: database.db,
    platform: platformArchive,
    logger: logger.child({ component: "archive-upload" }),
  });
  logger.info({ archive: env.platformArchive.kind }, "platform archive ready");
  const dashboards = new DashboardGateway(events, env.wsPingIntervalMs);
  // Generous enough for a fleet behind one NAT redialling after a restart (full jitter spreads it).
  const bridgeUpgrades = new RateLimiter(300, 60_000);
  provideControlPlane({
    auth,
    fleet: new FleetService(database.db, events, bridges),
    archive,
    storage,
    enrollment: new EnrollmentService(database.db, events, signingKey.publicKey, env.heartbeatIntervalSeconds),
    checks: { database: () => database.ping(), auth: () => auth.ping() },
    limits: { enroll: new RateLimiter(10, 60_000), session: new RateLimiter(20, 60_000) },
    authConfig: env.auth,
    session: { maxAgeMs: env.sessionMaxAgeMs, secure: env.publicUrl?.startsWith("https:") ?? false },
    publicUrl: (host) =>
      env.publicUrl ?? `http://${host && /^[A-Za-z0-9.[\]:-]+$/.test(host) ? host : `${env.host}:${env.port}`}`,
    bridgeBundlePath: env.bridgeBundlePath ?? path.resolve(appDir, "../bridge/dist/nervesys-bridge.cjs"),
    installScriptPath: path.resolve(appDir, "../bridge/install/install-bridge.sh"),
  });

  // Next decides production behaviour from NODE_ENV, which must be set before it loads.
  Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
  const { default: next } = await import("next");
  const app = next({ dev, dir: appDir, hostname: env.host, port: env.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = dev ? app.getUpgradeHandler() : null;

  const server = http.createServer((req, res) => {
    const route = req.url?.split("?")[0];
    const handled =
      route === ARCHIVE_UPLOAD_PATH
        ? uploadArchive(req, res).then(() => false)
        : gate(req, res, { auth, trustProxy: env.trustProxy });
    handled
      .then((pass) => (pass ? handle(req, res) : undefined))
      .catch((error: Error) => {
        logger.error({ err: error.message, url: req.url }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal", message: "internal error" } }));
      });
  });

  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const { pathname } = new URL(req.url ?? "/", "http://control-plane");
    if (pathname === "/ws/bridge") {
      if (!bridgeUpgrades.take(clientAddress(req, env.trustProxy))) return refuse(socket, "429 Too Many Requests");
      bridges.wss.handleUpgrade(req, socket, head, (ws) => bridges.wss.emit("connection", ws, req));
    } else if (pathname === "/ws/dashboard") {
      if (!isSameOrigin(req)) return refuse(socket, "403 Forbidden");
      auth
        .verifySession(readCookie(req.headers.cookie, SESSION_COOKIE))
        .then((user) => {
          if (!user) return refuse(socket, "401 Unauthorized");
          dashboards.wss.handleUpgrade(req, socket, head, (ws) => dashboards.attach(ws, user));
        })
        .catch(() => refuse(socket, "500 Internal Server Error"));
    } else if (nextUpgrade) {
      void nextUpgrade(req, socket, head); // Next's hot reload in development
    } else {
      refuse(socket, "404 Not Found");
    }
  });

  server.listen(env.port, env.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.port;
    const url = `http://${env.host.includes(":") ? `[${env.host}]` : env.host}:${port}`;
    logger.info({ url, auth: env.auth.mode, database: database.driver }, "control plane listening");
    process.stdout.write(`\nNervesys control plane ready on ${url}\n`);
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    server.close();
    stopRetention();
    await Promise.allSettled([bridges.close(), dashboards.close()]);
    server.closeAllConnections();
    await app.close?.();
    await auth.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: Error) => {
  process.stderr.write(`nervesys: failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
