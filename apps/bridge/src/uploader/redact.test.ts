import { formatArchivedLine } from "@nervesys/core/logs";
import { describe, expect, it } from "vitest";
import { BUILT_IN_PATTERNS, createRedactor, searchableAsWholeText } from "./redact";

const line = (message: string, context: Record<string, unknown> | null = null) =>
  formatArchivedLine(
    {
      timestamp: "2026-01-01T00:00:00.000Z",
      level: "INFO",
      agent: "a",
      action: null,
      message,
      context: context ? JSON.stringify(context) : null,
    },
    1,
    null,
  );

describe("redactor", () => {
  const redact = createRedactor(["card=\\d{16}"]);

  it.each([
    ["an AWS access key", "key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"],
    ["a bearer token", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def", "eyJhbGciOiJIUzI1NiJ9"],
    ["a password in a URL", "connect postgres://app:s3cr3t-pw@db:5432/x", "s3cr3t-pw"],
    ["a password field", "login password=hunter2xyz ok", "hunter2xyz"],
    ["a private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "MIIEow"],
    ["an enrollment token", `token nvs_enr_${"a".repeat(43)}`, "a".repeat(43)],
    ["a configured pattern", "card=4111111111111111", "4111111111111111"],
  ])("removes %s from a message", (_name, message, secret) => {
    const out = redact(line(message));
    expect(out).not.toContain(secret);
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it("removes secrets inside context objects and keeps the line valid JSON", () => {
    const out = redact(line("ok", { password: "hunter2xyz", apiKey: "k-123456789", user: "ann" }));
    expect(out).not.toContain("hunter2xyz");
    expect(out).not.toContain("k-123456789");
    expect(JSON.parse(out).context.user).toBe("ann");
  });

  it("leaves ordinary lines alone", () => {
    const text = line("GET /api/items/42 200 12ms", { requestId: "req-1" });
    expect(redact(text)).toBe(text);
  });

  it("redacts a text of many lines exactly as it redacts each line", () => {
    // An anchored pattern and one that would match across a line break, beside the built-in ones.
    const withAnchors = createRedactor(['^\\{"seq":2,', "\\}\\s\\{"]);
    const lines = [
      line("ok"),
      line("password=hunter2xyz and https://u:pw@host/"),
      line("plain"),
      line("Bearer abcdefghijkl", { apiKey: "k-123456789" }),
    ].map((text, i) => text.replace('"seq":1,', `"seq":${i + 1},`));
    const text = withAnchors(lines.join("\n"));
    expect(text).toContain('\n[REDACTED]"timestamp"');
    expect(text).not.toContain("hunter2xyz");
    expect(text).toBe(lines.map((l) => withAnchors(l)).join("\n"));
  });

  it("searches the whole text first only for patterns without anchors or look-arounds", () => {
    const searchable = (source: string) => searchableAsWholeText(new RegExp(source, "g"));
    expect(BUILT_IN_PATTERNS.every(searchableAsWholeText)).toBe(true);
    expect(["^x", "x$", "(?=x)y", "(?<!x)y", "(?<=x)y"].map(searchable)).toEqual([false, false, false, false, false]);
    expect(["[^x]+", "[$^]", "\\$1", "(?:x)", "(?<name>x)"].map(searchable)).toEqual([true, true, true, true, true]);
    expect(searchableAsWholeText(/x/y)).toBe(false);
  });
});
