import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";

describe("bridge loadEnv", () => {
  it("defaults to a 100 MiB buffer, no HTTP ingest and no tailed files", () => {
    expect(loadEnv({ NERVESYS_BRIDGE_HOME: "/srv/b" })).toMatchObject({
      dataDir: "/srv/b",
      bufferCapBytes: 100 * 1024 * 1024,
      ingestHttpPort: null,
      tails: [],
    });
  });

  it("reads tailed files, with or without an agent", () => {
    expect(loadEnv({ NERVESYS_TAIL_FILES: "/var/log/a.log, web=/var/log/b.log" }).tails).toEqual([
      { agent: "files", path: "/var/log/a.log" },
      { agent: "web", path: "/var/log/b.log" },
    ]);
  });

  it.each([
    [{ NERVESYS_TAIL_FILES: "relative.log" }, /NERVESYS_TAIL_FILES.*absolute/],
    [{ NERVESYS_TAIL_FILES: "web=" }, /NERVESYS_TAIL_FILES/],
    [{ NERVESYS_BUFFER_MAX_MB: "500" }, /NERVESYS_BUFFER_MAX_MB/],
    [{ NERVESYS_BUFFER_MAX_MB: "0.5" }, /NERVESYS_BUFFER_MAX_MB/],
    [{ NERVESYS_INGEST_HTTP_PORT: "http" }, /NERVESYS_INGEST_HTTP_PORT/],
  ])("refuses %o with an error naming the variable", (env, error) => {
    expect(() => loadEnv(env)).toThrow(error);
  });
});
