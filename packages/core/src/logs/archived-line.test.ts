import { describe, expect, it } from "vitest";
import { ArchivedLineReader, type ArchivedLogLine, formatArchivedLine } from "./archived-line";
import type { LogRecord } from "./log-record";

const record = (message: string, context: string | null = null): LogRecord => ({
  timestamp: "2026-01-01T00:00:00.000Z",
  level: "INFO",
  agent: "bridge",
  action: null,
  message,
  context,
});

/** Writes `seqs` as one batch's lines, each after the one before. */
const batch = (seqs: number[]) => seqs.map((seq, i) => formatArchivedLine(record(`m${seq}`), seq, seqs[i - 1] ?? null));

const readAll = (lines: string[]) => {
  const reader = new ArchivedLineReader();
  return lines.map((line) => reader.read(line));
};

describe("formatArchivedLine", () => {
  it("writes one JSON object per record, its seq first and its context as an object", () => {
    const line = formatArchivedLine(record('quote " and \n newline', '{"k":"v"}'), 7, null);
    expect(line).not.toContain("\n");
    expect(line.startsWith('{"seq":7,')).toBe(true);
    expect(JSON.parse(line) as ArchivedLogLine).toEqual({
      seq: 7,
      timestamp: "2026-01-01T00:00:00.000Z",
      level: "INFO",
      agent: "bridge",
      action: null,
      message: 'quote " and \n newline',
      context: { k: "v" },
    });
  });

  it("leaves out the seq of a line that follows the one before, and writes it after a gap", () => {
    const lines = batch([41, 42, 43, 50, 51, 1_000_000]).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.seq)).toEqual([41, undefined, undefined, 50, undefined, 1_000_000]);
  });
});

describe("ArchivedLineReader", () => {
  it("restores every line's seq, across gaps", () => {
    const seqs = [1, 2, 3, 7, 8, 20, 21, 22];
    const lines = readAll(batch(seqs));
    expect(lines.map((line) => line.seq)).toEqual(seqs);
    expect(lines.map((line) => line.message)).toEqual(seqs.map((seq) => `m${seq}`));
    expect(lines[0]).toEqual({ seq: 1, ...record("m1"), context: null });
  });

  it("reads batches written with a seq on every line", () => {
    const lines = ['{"seq":5,"message":"a"}', '{"seq":6,"message":"b"}', '{"seq":9,"message":"c"}'];
    expect(readAll(lines).map((line) => line.seq)).toEqual([5, 6, 9]);
  });

  it.each([
    ["a line that is not JSON", ['{"seq":1,'], /not JSON/],
    ["a line that is an array", ["[1]"], /not a JSON object/],
    ["a line that is null", ["null"], /not a JSON object/],
    ["a first line without its seq", ['{"message":"a"}'], /first line.*seq/],
    ["a seq that is a string", ['{"seq":"1"}'], /non-negative integer/],
    ["a negative seq", ['{"seq":-1}'], /non-negative integer/],
    ["a fractional seq", ['{"seq":1.5}'], /non-negative integer/],
    ["an unsafe seq", ['{"seq":9007199254740993}'], /non-negative integer/],
    ["a seq that goes back", ['{"seq":5}', '{"seq":5}'], /seq 5 does not follow 5/],
  ])("refuses %s", (_name, lines, error) => {
    expect(() => readAll(lines)).toThrow(error);
  });
});
