// The control plane's only reader of process.env: parsed once at start-up with zod; an invalid
// or unsafe configuration stops the process with a message that names the variable.
import path from "node:path";
import { DEFAULT_GZIP_LEVEL } from "@nervesys/core/protocol";
import { z } from "zod";
import type { PipelineDefaults } from "./server/archive/archive-service";
import type { PlatformArchiveConfig } from "./server/archive/platform-archive";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const hostOf = (hostPort: string) => hostPort.replace(/:\d+$/, "");
export const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith("127.");

const Env = z.object({
  NERVESYS_ENV: z.enum(["development", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: z.stringbool().default(false),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  NERVESYS_DATA_DIR: z.string().min(1).default(".data"),
  NERVESYS_SIGNING_KEY_FILE: z.string().min(1).optional(),
  NERVESYS_BRIDGE_BUNDLE: z.string().min(1).optional(),
  FIREBASE_PROJECT_ID: z.string().min(1).default("demo-nervesys"),
  FIREBASE_API_KEY: z.string().min(1).optional(),
  FIREBASE_AUTH_DOMAIN: z.string().min(1).optional(),
  FIREBASE_AUTH_EMULATOR_HOST: z
    .string()
    .regex(/^[^:\s]+:\d+$/, "must be host:port")
    .optional(),
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(14).default(5),
  HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  SAMPLE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  WS_PING_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  NERVESYS_VAULT_KEY: z.string().min(1).optional(),
  NERVESYS_VAULT_PREVIOUS_KEYS: z.string().min(1).optional(),
  NERVESYS_ARCHIVE_DIR: z.string().min(1).optional(),
  STORJ_ACCESS_KEY: z.string().min(1).optional(),
  STORJ_SECRET_KEY: z.string().min(1).optional(),
  STORJ_BUCKET: z.string().min(3).max(63).optional(),
  STORJ_ENDPOINT: z.url({ protocol: /^https?$/ }).default("https://gateway.storjshare.io"),
  STORJ_REGION: z.string().min(1).default("eu1"),
  ARCHIVE_UPLOAD_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  ARCHIVE_FLUSH_MB: z.coerce.number().min(0.0625).max(100).default(10),
  ARCHIVE_GZIP_LEVEL: z.coerce.number().int().min(1).max(9).default(DEFAULT_GZIP_LEVEL),
  ARCHIVE_REDACT_PATTERNS: z
    .string()
    .transform((text, ctx) => {
      try {
        const patterns = JSON.parse(text) as unknown;
        if (!Array.isArray(patterns) || !patterns.every((p) => typeof p === "string" && p.length > 0)) throw 0;
        for (const p of patterns) new RegExp(p, "g");
        return patterns as string[];
      } catch {
        ctx.addIssue({
          code: "custom",
          message: 'must be a JSON array of regular expressions, e.g. ["sk_live_[0-9a-z]+"]',
        });
        return z.NEVER;
      }
    })
    .default([]),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type AuthConfig =
  | { mode: "emulator"; projectId: string; emulatorHost: string; apiKey: string }
  | { mode: "firebase"; projectId: string; apiKey: string; authDomain: string };

export type WebEnv = {
  production: boolean;
  host: string;
  port: number;
  publicUrl: string | null;
  trustProxy: boolean;
  database: { url: string } | { dataDir: string };
  dataDir: string;
  signingKeyFile: string;
  bridgeBundlePath: string | null;
  auth: AuthConfig;
  sessionMaxAgeMs: number;
  heartbeatIntervalSeconds: number;
  sampleRetentionDays: number;
  wsPingIntervalMs: number;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  vault: { active: string | null; previous: string[]; devKeyFile: string };
  platformArchive: PlatformArchiveConfig;
  pipeline: PipelineDefaults;
};

function platformArchive(e: z.infer<typeof Env>, dataDir: string): PlatformArchiveConfig {
  const storj = [e.STORJ_ACCESS_KEY, e.STORJ_SECRET_KEY, e.STORJ_BUCKET];
  if (storj.every((v) => v === undefined)) {
    return { kind: "directory", dir: path.resolve(e.NERVESYS_ARCHIVE_DIR ?? path.join(dataDir, "archive")) };
  }
  if (!e.STORJ_ACCESS_KEY || !e.STORJ_SECRET_KEY || !e.STORJ_BUCKET) {
    throw new ConfigError("STORJ_ACCESS_KEY, STORJ_SECRET_KEY and STORJ_BUCKET go together: set all three or none");
  }
  return {
    kind: "s3",
    s3: {
      endpoint: e.STORJ_ENDPOINT,
      region: e.STORJ_REGION,
      bucket: e.STORJ_BUCKET,
      accessKeyId: e.STORJ_ACCESS_KEY,
      secretAccessKey: e.STORJ_SECRET_KEY,
    },
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function authConfig(e: z.infer<typeof Env>): AuthConfig {
  if (e.FIREBASE_AUTH_EMULATOR_HOST) {
    // In emulator mode firebase-admin accepts forged, unsigned tokens: only ever on a loopback-only dev box.
    if (e.NERVESYS_ENV === "production") {
      throw new ConfigError(
        "FIREBASE_AUTH_EMULATOR_HOST is set but NERVESYS_ENV=production: the emulator accepts forged tokens and is refused in production",
      );
    }
    if (!isLoopback(hostOf(e.FIREBASE_AUTH_EMULATOR_HOST))) {
      throw new ConfigError(
        `FIREBASE_AUTH_EMULATOR_HOST=${e.FIREBASE_AUTH_EMULATOR_HOST} is not a loopback address; the emulator is only allowed on 127.0.0.1/localhost`,
      );
    }
    if (!isLoopback(e.HOST)) {
      throw new ConfigError(
        `HOST=${e.HOST} listens beyond loopback while using the Firebase Auth Emulator; bind to 127.0.0.1 or configure a real Firebase project`,
      );
    }
    return {
      mode: "emulator",
      projectId: e.FIREBASE_PROJECT_ID,
      emulatorHost: e.FIREBASE_AUTH_EMULATOR_HOST,
      apiKey: e.FIREBASE_API_KEY ?? "demo-api-key",
    };
  }
  if (!e.FIREBASE_API_KEY || e.FIREBASE_PROJECT_ID.startsWith("demo-")) {
    throw new ConfigError(
      "no Firebase project configured: set FIREBASE_PROJECT_ID, FIREBASE_API_KEY (and GOOGLE_APPLICATION_CREDENTIALS), or FIREBASE_AUTH_EMULATOR_HOST for local use",
    );
  }
  return {
    mode: "firebase",
    projectId: e.FIREBASE_PROJECT_ID,
    apiKey: e.FIREBASE_API_KEY,
    authDomain: e.FIREBASE_AUTH_DOMAIN ?? `${e.FIREBASE_PROJECT_ID}.firebaseapp.com`,
  };
}

export function loadEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new ConfigError(`invalid environment:\n${lines}`);
  }
  const e = parsed.data;
  const auth = authConfig(e);
  if (e.NERVESYS_ENV === "production" && !e.PUBLIC_URL?.startsWith("https://")) {
    throw new ConfigError(
      "NERVESYS_ENV=production needs PUBLIC_URL=https://…: session cookies must be Secure and bridges must dial over TLS",
    );
  }
  const dataDir = path.resolve(e.NERVESYS_DATA_DIR);
  return {
    production: e.NERVESYS_ENV === "production",
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, "") ?? null,
    trustProxy: e.TRUST_PROXY,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: path.join(dataDir, "pglite") },
    dataDir,
    signingKeyFile: path.resolve(e.NERVESYS_SIGNING_KEY_FILE ?? path.join(dataDir, "signing-key.pem")),
    bridgeBundlePath: e.NERVESYS_BRIDGE_BUNDLE ? path.resolve(e.NERVESYS_BRIDGE_BUNDLE) : null,
    auth,
    sessionMaxAgeMs: e.SESSION_MAX_AGE_DAYS * 24 * 3600 * 1000,
    heartbeatIntervalSeconds: e.HEARTBEAT_INTERVAL_SECONDS,
    sampleRetentionDays: e.SAMPLE_RETENTION_DAYS,
    wsPingIntervalMs: e.WS_PING_INTERVAL_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
    vault: {
      active: e.NERVESYS_VAULT_KEY ?? null,
      previous: e.NERVESYS_VAULT_PREVIOUS_KEYS?.split(",").map((k) => k.trim()) ?? [],
      devKeyFile: path.join(dataDir, "vault.key"),
    },
    platformArchive: platformArchive(e, dataDir),
    pipeline: {
      uploadIntervalSeconds: e.ARCHIVE_UPLOAD_INTERVAL_SECONDS,
      flushBytes: Math.round(e.ARCHIVE_FLUSH_MB * 1024 * 1024),
      redactPatterns: e.ARCHIVE_REDACT_PATTERNS,
      gzipLevel: e.ARCHIVE_GZIP_LEVEL,
    },
  };
}
