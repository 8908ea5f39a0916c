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
