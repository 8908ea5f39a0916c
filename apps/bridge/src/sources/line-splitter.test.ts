import { describe, expect, it } from "vitest";
import { LineSplitter, type SplitLine } from "./line-splitter";

function split(input: Buffer, chunkSizes: () => number, maxLineBytes: number): SplitLine[] {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: SplitLine[] = [];
  for (let at = 0; at < input.length; ) {
    const size = Math.max(1, chunkSizes());
    lines.push(...splitter.push(input.subarray(at, at + size)));
    at += size;
  }
  const last = splitter.end();
  return last ? [...lines, last] : lines;
}

/** A seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

// Short lines, lines around the limit and far over it, "\r\n", empty lines, two-, three- and
// four-byte characters, and bytes that are not UTF-8.
const PIECES = ["a", "log line", "é", "€", "𝄞", "\r", "\n", "\r\n", "\n\n", "x".repeat(15), "y".repeat(40)];
const INVALID = [Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0xc3])];

function randomInput(random: () => number): Buffer {
  const parts: Buffer[] = [];
  const count = Math.floor(random() * 60);
  for (let i = 0; i < count; i++) {
    parts.push(
      random() < 0.08
        ? INVALID[Math.floor(random() * INVALID.length)]!
        : Buffer.from(PIECES[Math.floor(random() * PIECES.length)]!),
    );
  }
  return Buffer.concat(parts);
}

describe("LineSplitter", () => {
  it("splits any chunking of a stream into the lines a byte-at-a-time read gives", () => {
    const random = prng(11);
    for (let run = 0; run < 3_000; run++) {
      const input = randomInput(random);
      const maxLineBytes = 8 + Math.floor(random() * 40);
      const expected = split(input, () => 1, maxLineBytes);
      const chunked = split(input, () => Math.floor(random() * 70), maxLineBytes);
      const whole = split(input, () => input.length, maxLineBytes);
      expect(chunked, `run ${run}`).toEqual(expected);
      expect(whole, `run ${run}`).toEqual(expected);
    }
  });

  it("numbers lines, strips \\r\\n, keeps empty lines and cuts a long one at a character", () => {
    const input = Buffer.from(`first\r\n\nsecond é\n${"€".repeat(10)}\nlast`);
    expect(split(input, () => input.length, 16)).toEqual([
      { number: 1, text: "first", cut: false },
      { number: 2, text: "", cut: false },
      { number: 3, text: "second é", cut: false },
      { number: 4, text: "€".repeat(5), cut: true },
      { number: 5, text: "last", cut: false },
    ]);
  });
});
