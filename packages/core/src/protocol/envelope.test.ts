import { describe, expect, it } from "vitest";
import { bridgeToControlPlane, controlPlaneToBridge } from "./bridge";
import { encodeMessage, MAX_FRAME_BYTES, parseMessage } from "./envelope";

const heartbeat = {
  agent_id: "GROK",
  timestamp: "2025-12-10T19:45:00Z",
  status: "healthy",
  metrics: { cpu_percent: 45.2, ram_percent: 62.1, disk_percent: 23.4, load_1: 1, load_5: 1, load_15: 1 },
  alerts: [],
  last_action: "code_review",
  uptime_seconds: 86400,
  version: "0.1.0",
};

const frame = (value: unknown) => JSON.stringify(value);
const parse = (text: string) => parseMessage(bridgeToControlPlane, text);

describe("parseMessage", () => {
  it("accepts the seed's heartbeat shape in a versioned envelope", () => {
    const result = parse(encodeMessage(bridgeToControlPlane, "heartbeat", heartbeat as never));
    expect(result).toMatchObject({ ok: true, message: { v: 1, type: "heartbeat", data: { agent_id: "GROK" } } });
  });

  it("fills defaults for optional heartbeat fields", () => {
    const { agent_id: _a, alerts: _b, last_action: _c, ...minimal } = heartbeat;
    const result = parse(frame({ v: 1, type: "heartbeat", data: minimal }));
    expect(result).toMatchObject({
      ok: true,
      message: { data: { agent_id: "bridge", alerts: [], last_action: null } },
    });
  });

  it.each([
    ["malformed JSON", "{not json", "malformed_json"],
    ["a JSON array", "[1,2]", "bad_envelope"],
    ["a missing type", frame({ v: 1, data: {} }), "bad_envelope"],
    ["another protocol version", frame({ v: 2, type: "heartbeat", data: heartbeat }), "unsupported_version"],
    ["an unknown type", frame({ v: 1, type: "rm -rf", data: {} }), "unknown_type"],
    ["a prototype key as type", frame({ v: 1, type: "__proto__", data: {} }), "unknown_type"],
    ["an inherited key as type", frame({ v: 1, type: "toString", data: {} }), "unknown_type"],
    [
      "an out-of-range metric",
      frame({ v: 1, type: "heartbeat", data: { ...heartbeat, metrics: { ...heartbeat.metrics, cpu_percent: 101 } } }),
      "invalid_payload",
    ],
    [
      "a bad timestamp",
      frame({ v: 1, type: "heartbeat", data: { ...heartbeat, timestamp: "yesterday" } }),
      "invalid_payload",
    ],
  ])("rejects %s", (_name, text, code) => {
    expect(parse(text)).toMatchObject({ ok: false, error: { code } });
  });

  it("rejects an oversized frame before parsing it", () => {
    const big = frame({ v: 1, type: "heartbeat", data: { ...heartbeat, last_action: "x".repeat(MAX_FRAME_BYTES) } });
    expect(parse(big)).toMatchObject({ ok: false, error: { code: "frame_too_large" } });
  });

  it("counts multi-byte characters against the frame limit", () => {
    const text = frame({ v: 1, type: "heartbeat", data: { last_action: "é".repeat(MAX_FRAME_BYTES / 2) } });
    expect(text.length).toBeLessThan(MAX_FRAME_BYTES + 100);
    expect(parse(text)).toMatchObject({ ok: false, error: { code: "frame_too_large" } });
  });

  it("names the invalid field in the error", () => {
    const result = parse(frame({ v: 1, type: "heartbeat", data: { ...heartbeat, uptime_seconds: -1 } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("uptime_seconds");
  });
});

describe("the pipeline config a bridge receives", () => {
  const config = {
    archive: { kind: "control-plane" },
    uploadIntervalSeconds: 600,
    flushBytes: 10 * 1024 * 1024,
    redactPatterns: [],
  };
  const authOk = (extra: Record<string, unknown>) =>
    parseMessage(
      controlPlaneToBridge,
      frame({
        v: 1,
        type: "auth.ok",
        data: {
          serverId: "0b9c6c8e-52d5-4c1e-9a43-2f4f4f0d6a11",
          heartbeatIntervalSeconds: 30,
          config: { ...config, ...extra },
        },
      }),
    );

  it("takes a gzip level from 1 to 9, and 6 from a control plane that sends none", () => {
    expect(authOk({})).toMatchObject({ ok: true, message: { data: { config: { gzipLevel: 9 } } } });
    expect(authOk({ gzipLevel: 1 })).toMatchObject({ ok: true, message: { data: { config: { gzipLevel: 1 } } } });
  });

  it.each([0, 10, 6.5, "9", null])("refuses gzip level %j", (gzipLevel) => {
    expect(authOk({ gzipLevel })).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
  });
});
