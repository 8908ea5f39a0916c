// Splits a byte stream (a socket, stdin) into numbered lines as chunks arrive. Lines are split only
// at '\n' bytes and decoded once whole, so a character split across chunks stays intact, and a
// runaway line holds at most maxLineBytes + 1 bytes in memory however long it grows.

/** One line without its '\n' (or "\r\n"); `cut` says it was longer than maxLineBytes and `text` is only its head. */
export type SplitLine = { number: number; text: string; cut: boolean };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private lastByte = -1;
  private lineNumber = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** The lines this chunk completes; its unfinished tail waits for the next chunk. */
  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let from = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, from)) {
      this.append(chunk.subarray(from, newline));
      lines.push(this.finish());
      from = newline + 1;
    }
    this.append(chunk.subarray(from));
    return lines;
  }

  /** The last line when the stream ended without a '\n' after it. */
  end(): SplitLine | null {
    return this.size > 0 ? this.finish() : null;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // One byte past the limit is kept: it may be the '\r' of "\r\n", which does not count.
    const room = this.maxLineBytes + 1 - this.kept;
    if (room > 0) {
      // Copied so a kept head does not pin the whole chunk it came in.
      const head = Buffer.from(bytes.subarray(0, room));
      this.parts.push(head);
      this.kept += head.length;
    }
    this.size += bytes.length;
    this.lastByte = bytes[bytes.length - 1] ?? -1;
  }

  private finish(): SplitLine {
    const bytes = Buffer.concat(this.parts, this.kept);
    const contentBytes = this.lastByte === CARRIAGE_RETURN ? this.size - 1 : this.size;
    const cut = contentBytes > this.maxLineBytes;
    const end = cut ? characterStart(bytes, this.maxLineBytes) : contentBytes;
    const line = { number: ++this.lineNumber, text: bytes.toString("utf8", 0, end), cut };
    this.parts = [];
    this.kept = 0;
    this.size = 0;
    this.lastByte = -1;
    return line;
  }
}

/** Moves a cut at `index` back to the start of the UTF-8 character it would split (at most 3 bytes). */
function characterStart(bytes: Buffer, index: number): number {
  let start = index;
  while (start > index - 3 && start > 0 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  return start;
}
