// Splits a byte stream (a socket, stdin) into numbered lines as chunks arrive. Lines are split only
// at '\n' bytes and decoded once whole, so a character split across chunks stays intact, and a
// runaway line holds at most maxLineBytes + 1 bytes in memory however long it grows (LineAssembler).
// The lines that begin and end inside one chunk, nearly all of them, are decoded together and split
// by the engine, not assembled one by one: that was most of what ingest cost the bridge's
// interpreter (`npm run bench -- pipeline`).
import { LineAssembler } from "./line-assembler";

/** One line without its '\n' (or "\r\n"); `cut` says it was longer than maxLineBytes and `text` is only its head. */
export type SplitLine = { number: number; text: string; cut: boolean };

const NEWLINE = 0x0a;

export class LineSplitter {
  private readonly line: LineAssembler;
  private lineNumber = 0;

  constructor(private readonly maxLineBytes: number) {
    this.line = new LineAssembler(maxLineBytes);
  }

  /** The lines this chunk completes; its unfinished tail waits for the next chunk. */
  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let from = 0;
    if (this.line.hasBytes) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        this.line.append(chunk);
        return lines;
      }
      this.line.append(chunk.subarray(0, newline));
      lines.push(this.finish());
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) {
      this.pushWholeLines(chunk.subarray(from, last), lines);
      from = last + 1;
    }
    this.line.append(chunk.subarray(from));
    return lines;
  }

  /** The last line when the stream ended without a '\n' after it. */
  end(): SplitLine | null {
    return this.line.hasBytes ? this.finish() : null;
  }

  /**
   * `bytes`: lines joined by '\n', none of them carried over. A UTF-8 line takes one to three bytes
   * per UTF-16 unit of its text (invalid bytes decode to U+FFFD, one unit for up to three bytes), so
   * a text of at most maxLineBytes / 3 units cannot have been too long; should one be longer, these
   * lines go through the assembler, which measures their bytes.
   */
  private pushWholeLines(bytes: Buffer, lines: SplitLine[]): void {
    const texts = bytes.toString("utf8").split("\n");
    for (const text of texts) {
      if (text.length * 3 > this.maxLineBytes) {
        this.assembleLines(bytes, lines);
        return;
      }
    }
    for (const text of texts) {
      lines.push({ number: ++this.lineNumber, text: text.endsWith("\r") ? text.slice(0, -1) : text, cut: false });
    }
  }

  private assembleLines(bytes: Buffer, lines: SplitLine[]): void {
    let from = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, from)) {
      this.line.append(bytes.subarray(from, newline));
      lines.push(this.finish());
      from = newline + 1;
    }
    this.line.append(bytes.subarray(from));
    lines.push(this.finish());
  }

  private finish(): SplitLine {
    return { number: ++this.lineNumber, ...this.line.take() };
  }
}
