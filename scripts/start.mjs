#!/usr/bin/env node
// `npm start`: runs the built control plane on its embedded defaults. With no Firebase project
// configured it starts the Firebase Auth Emulator first and stops it again on Ctrl-C.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EMULATOR_HOST = "127.0.0.1:9099";
// Emulator accounts are kept beside the PGlite data, so users and their servers survive a restart.
const EMULATOR_DATA = path.resolve(process.env.NERVESYS_DATA_DIR ?? ".data", "auth-emulator");
const PROJECT = process.env.FIREBASE_PROJECT_ID ?? "demo-nervesys";
const children = [];

const wantsEmulator = !process.env.FIREBASE_AUTH_EMULATOR_HOST && !process.env.FIREBASE_API_KEY;

async function emulatorAnswers() {
  try {
    const res = await fetch(`http://${EMULATOR_HOST}/emulator/v1/projects/${PROJECT}/config`, {
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

function start(command, args, env) {
  // Own process group, so stopping reaches the real process and not only a shim.
  const child = spawn(command, args, { cwd: root, env, stdio: "inherit", detached: true });
  children.push(child);
  return child;
}

function stopAll(code) {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
  setTimeout(() => process.exit(code), 1500).unref();
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
if (wantsEmulator) {
  env.FIREBASE_AUTH_EMULATOR_HOST = EMULATOR_HOST;
  env.FIREBASE_PROJECT_ID = PROJECT;
  if (await emulatorAnswers()) {
    console.log(`Using the Firebase Auth Emulator already running on ${EMULATOR_HOST}`);
  } else {
    console.log("Starting the Firebase Auth Emulator (local sign-in, no Google account needed)…");
    const emulator = start(
      path.join(root, "node_modules/.bin/firebase"),
      [
        "emulators:start",
        "--only",
        "auth",
        "--project",
        PROJECT,
        "--export-on-exit",
        EMULATOR_DATA,
        ...(existsSync(EMULATOR_DATA) ? ["--import", EMULATOR_DATA] : []),
      ],
      { ...env, CI: "true" },
    );
    emulator.on("exit", (code) => {
      console.error(`Firebase Auth Emulator exited (${code})`);
      stopAll(1);
    });
    const deadline = Date.now() + 60_000;
    while (!(await emulatorAnswers())) {
      if (Date.now() > deadline) {
        console.error("The Firebase Auth Emulator did not start within 60 s");
        stopAll(1);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const server = start(process.execPath, [path.join(root, "apps/web/dist/server.js")], env);
server.on("exit", (code) => stopAll(code ?? 1));
if (wantsEmulator) {
  const url = `http://${env.HOST ?? "127.0.0.1"}:${env.PORT ?? "3000"}`;
  while (
    !(await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`\nOpen ${url} and create an account (any email, 6+ character password). Ctrl-C stops.\n`);
}
