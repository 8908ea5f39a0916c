import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";

const emulator = { FIREBASE_AUTH_EMULATOR_HOST: "127.0.0.1:9099" };

describe("loadEnv", () => {
  it("defaults to PGlite under .data and loopback", () => {
    const env = loadEnv(emulator);
    expect(env.database).toEqual({ dataDir: expect.stringMatching(/\.data\/pglite$/) });
    expect(env).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
      heartbeatIntervalSeconds: 30,
      auth: { mode: "emulator" },
    });
  });

  it("archives to a local directory by default, to Storj when all of STORJ_* is set", () => {
    expect(loadEnv(emulator)).toMatchObject({
      platformArchive: { kind: "directory", dir: expect.stringMatching(/\.data\/archive$/) },
      pipeline: { uploadIntervalSeconds: 600, flushBytes: 10 * 1024 * 1024, redactPatterns: [], gzipLevel: 9 },
    });
    const storj = { STORJ_ACCESS_KEY: "ak", STORJ_SECRET_KEY: "sk", STORJ_BUCKET: "owalai-production" };
    expect(loadEnv({ ...emulator, ...storj }).platformArchive).toEqual({
      kind: "s3",
      s3: {
        endpoint: "https://gateway.storjshare.io",
        region: "eu1",
        bucket: "owalai-production",
        accessKeyId: "ak",
        secretAccessKey: "sk",
      },
    });
    expect(() => loadEnv({ ...emulator, STORJ_ACCESS_KEY: "ak" })).toThrow(/go together/);
  });

  it.each([
    ['["unclosed("]', /ARCHIVE_REDACT_PATTERNS/],
    ["not json", /ARCHIVE_REDACT_PATTERNS/],
    ['[""]', /ARCHIVE_REDACT_PATTERNS/],
  ])("refuses ARCHIVE_REDACT_PATTERNS=%s", (value, error) => {
    expect(() => loadEnv({ ...emulator, ARCHIVE_REDACT_PATTERNS: value })).toThrow(error);
  });

  it("takes extra redaction patterns as a JSON array", () => {
    expect(loadEnv({ ...emulator, ARCHIVE_REDACT_PATTERNS: '["sk_live_[0-9a-z]+"]' }).pipeline.redactPatterns).toEqual([
      "sk_live_[0-9a-z]+",
    ]);
  });

  it("takes the archive's gzip level from ARCHIVE_GZIP_LEVEL, 1 to 9", () => {
    expect(loadEnv({ ...emulator, ARCHIVE_GZIP_LEVEL: "6" }).pipeline.gzipLevel).toBe(6);
    for (const value of ["0", "10", "6.5", "best"]) {
      expect(() => loadEnv({ ...emulator, ARCHIVE_GZIP_LEVEL: value })).toThrow(/ARCHIVE_GZIP_LEVEL/);
    }
  });

  it("uses Postgres when DATABASE_URL is set", () => {
    expect(loadEnv({ ...emulator, DATABASE_URL: "postgres://u:p@db/x" }).database).toEqual({
      url: "postgres://u:p@db/x",
    });
  });

  it.each([
    [{ ...emulator, NERVESYS_ENV: "production" }, /refused in production/],
    [{ FIREBASE_AUTH_EMULATOR_HOST: "10.0.0.5:9099" }, /not a loopback address/],
    [{ ...emulator, HOST: "0.0.0.0" }, /listens beyond loopback/],
    [{}, /no Firebase project configured/],
    [{ FIREBASE_PROJECT_ID: "demo-x", FIREBASE_API_KEY: "k" }, /no Firebase project configured/],
    [{ FIREBASE_PROJECT_ID: "acme", FIREBASE_API_KEY: "k", NERVESYS_ENV: "production" }, /needs PUBLIC_URL=https/],
    [
      { FIREBASE_PROJECT_ID: "acme", FIREBASE_API_KEY: "k", NERVESYS_ENV: "production", PUBLIC_URL: "http://cp" },
      /https/,
    ],
  ])("refuses an unsafe auth setup %#", (source, message) => {
    expect(() => loadEnv(source)).toThrow(message);
  });

  it("names every invalid variable", () => {
    expect(() =>
      loadEnv({ ...emulator, PORT: "http", HEARTBEAT_INTERVAL_SECONDS: "1", DATABASE_URL: "mysql://x" }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*HEARTBEAT_INTERVAL_SECONDS/);
  });

  it("accepts a real Firebase project", () => {
    const env = loadEnv({
      FIREBASE_PROJECT_ID: "acme-prod",
      FIREBASE_API_KEY: "key",
      NERVESYS_ENV: "production",
      PUBLIC_URL: "https://cp.example.com/",
    });
    expect(env.publicUrl).toBe("https://cp.example.com");
    expect(env.auth).toEqual({
      mode: "firebase",
      projectId: "acme-prod",
      apiKey: "key",
      authDomain: "acme-prod.firebaseapp.com",
    });
  });
});
