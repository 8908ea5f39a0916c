// Splits a byte stream (a socket, stdin) into numbered lines as chunks arrive. Lines are split only
// at '\n' bytes and decoded once whole, so a character split across chunks stays intact, and a
// runaway line holds at most maxLineBytes + 1 bytes in memory however long it grows (LineAssembler).
import { LineAssembler } from "./line-assembler";

/** One line without its '\n' (or "\r\n"); `cut` says it was longer than maxLineBytes and `text` is only its head. */
export type SplitLine = { number: number; text: string; cut: boolean };

const NEWLINE = 0x0a;

export class LineSplitter {
  private readonly line: LineAssembler;
  private lineNumber = 0;

  constructor(maxLineBytes: number) {
    this.line = new LineAssembler(maxLineBytes);
  }

  /** The lines this chunk completes; its unfinished tail waits for the next chunk. */
  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let from = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, from)) {
      this.line.append(chunk.subarray(from, newline));
      lines.push(this.finish());
      from = newline + 1;
    }
    this.line.append(chunk.subarray(from));
    return lines;
  }

  /** The last line when the stream ended without a '\n' after it. */
  end(): SplitLine | null {
    return this.line.hasBytes ? this.finish() : null;
  }

  private finish(): SplitLine {
    return { number: ++this.lineNumber, ...this.line.take() };
  }
}
