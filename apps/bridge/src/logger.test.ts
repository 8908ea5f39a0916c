import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./logger";
import { ownLogRecord } from "./pipeline/own-logs";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

function stdoutLines(): Array<Record<string, unknown>> {
  const spy = vi.mocked(process.stdout.write);
  return spy.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);
}

describe("createLogger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes pino-shaped JSON lines with the child's bindings, which the own-logs source reads", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const copy = capture();
    createLogger("info", copy).child({ component: "uploader" }).warn({ key: "k1", records: 3 }, "upload failed");

    const [line] = stdoutLines();
    expect(line).toMatchObject({
      level: 40,
      pid: process.pid,
      app: "nervesys-bridge",
      component: "uploader",
      key: "k1",
      records: 3,
      msg: "upload failed",
    });
    expect(typeof line!.time).toBe("number");
    expect(copy.lines).toEqual([line]);
    expect(ownLogRecord(JSON.stringify(line))).toMatchObject({
      level: "WARN",
      agent: "bridge",
      message: "upload failed",
      context: JSON.stringify({ component: "uploader", key: "k1", records: 3 }),
    });
  });

  it("filters by level: stdout at the configured one, the copy at info or above", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const copy = capture();
    const logger = createLogger("debug", copy);
    logger.debug("d");
    logger.info("i");
    logger.error({ code: 1 }, "e");
    expect(stdoutLines().map((l) => l.msg)).toEqual(["d", "i", "e"]);
    expect(copy.lines.map((l) => l.msg)).toEqual(["i", "e"]);

    const quieter = capture();
    const errorsOnly = createLogger("error", quieter);
    errorsOnly.warn("w");
    errorsOnly.error("e");
    expect(quieter.lines.map((l) => l.msg)).toEqual(["e"]);
  });

  it("writes nothing when silent", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const copy = capture();
    createLogger("silent", copy).error("e");
    expect(write).not.toHaveBeenCalled();
    expect(copy.lines).toEqual([]);
  });

  it("serialises errors with their message and stack, and survives fields JSON cannot hold", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const copy = capture();
    const logger = createLogger("info", copy);
    logger.error({ err: new TypeError("boom") }, "failed");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    logger.warn({ circular }, "odd");

    expect(copy.lines[0]).toMatchObject({ err: { type: "TypeError", message: "boom" }, msg: "failed" });
    expect(String((copy.lines[0]!.err as { stack: string }).stack)).toContain("TypeError: boom");
    expect(copy.lines[1]).toMatchObject({ level: 40, msg: "odd", logError: expect.stringContaining("circular") });
  });
});
