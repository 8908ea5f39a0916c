import { describe, expect, it } from "vitest";
import { assertValidKey, MAX_KEY_BYTES } from "./archive-store";

describe("assertValidKey", () => {
  it("accepts relative slash-separated keys", () => {
    for (const key of ["a", "logs/web-1/2026-01-02/03-04-05-1-9.json.gz", "a..b/c.", "é/ü"]) {
      expect(() => assertValidKey(key)).not.toThrow();
    }
  });

  it.each([
    ["an empty key", "", /empty/],
    ["a key over 1024 bytes", "a".repeat(MAX_KEY_BYTES + 1), /longer than 1024 bytes/],
    ["a key whose UTF-8 is over 1024 bytes", "é".repeat(513), /longer than 1024 bytes/],
    ["an absolute path", "/etc/passwd", /absolute/],
    ["a drive-letter path", "C:/x", /absolute/],
    ["a leading .. segment", "../x", /'\.\.' segment/],
    ["an inner .. segment", "a/../../b", /'\.\.' segment/],
    ["a trailing .. segment", "a/..", /'\.\.' segment/],
    ["a backslash", "a\\b", /backslash/],
    ["a NUL", "a\u0000b", /control character/],
    ["a newline", "a\nb", /control character/],
    ["a DEL", "a\u007fb", /control character/],
  ])("rejects %s", (_name, key, message) => {
    expect(() => assertValidKey(key)).toThrow(message);
  });

  it("accepts a key of exactly 1024 bytes", () => {
    expect(() => assertValidKey("a".repeat(MAX_KEY_BYTES))).not.toThrow();
  });
});
