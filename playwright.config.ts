// Playwright drives Debian's Chromium against the built control plane (PGlite in a fresh
// folder, the Firebase Auth Emulator that `npm test` runs). Screenshots of each page are kept
// in test-results/.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// Evaluated again in each worker: the folder made by the first evaluation is inherited.
process.env.NERVESYS_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "nervesys-e2e-"));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
      ],
    },
  },
  projects: [{ name: "ui", use: { browserName: "chromium", viewport: { width: 1280, height: 860 } } }],
  webServer: {
    command: "node apps/web/dist/server.js",
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      HOST: "127.0.0.1",
      PORT: String(PORT),
      NERVESYS_DATA_DIR: process.env.NERVESYS_E2E_DATA_DIR,
      FIREBASE_PROJECT_ID: "demo-nervesys",
      HEARTBEAT_INTERVAL_SECONDS: "5",
      ARCHIVE_UPLOAD_INTERVAL_SECONDS: "10",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
