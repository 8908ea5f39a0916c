// Collects the bytes of one line and decodes it once whole, so a UTF-8 character split across two
// reads is never mangled, and a runaway line holds at most maxLineBytes + 1 bytes in memory.

/** Appended to a line that was cut at maxLineBytes; the rest of that line, up to its '\n', is dropped. */
export const LINE_CUT_MARKER = "…[truncated]";

const CARRIAGE_RETURN = 0x0d;

export class LineAssembler {
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private lastByte = -1;

  constructor(private readonly maxLineBytes: number) {}

  /** True once the line holds more bytes than a line may keep (only the head is kept from then on). */
  get overflowed(): boolean {
    return this.size > this.maxLineBytes;
  }

  get hasBytes(): boolean {
    return this.size > 0;
  }

  /** Adds bytes of the current line; they must not contain '\n'. */
  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // One byte past the limit is kept so a cut can tell whether it lands inside a character.
    const room = this.maxLineBytes + 1 - this.kept;
    if (room > 0) {
      // Copied because the caller reuses its read buffer.
      const head = Buffer.from(bytes.subarray(0, room));
      this.parts.push(head);
      this.kept += head.length;
    }
    this.size += bytes.length;
    this.lastByte = bytes[bytes.length - 1] ?? -1;
  }

  /** Ends the current line: its text without a trailing '\r', cut and marked if it was too long. */
  finish(): string {
    const { text, cut } = this.take();
    return cut ? text + LINE_CUT_MARKER : text;
  }

  /** Ends the current line: its text without a trailing '\r' and whether it was cut to maxLineBytes. */
  take(): { text: string; cut: boolean } {
    const bytes = Buffer.concat(this.parts, this.kept);
    const contentBytes = this.lastByte === CARRIAGE_RETURN ? this.size - 1 : this.size;
    const cut = contentBytes > this.maxLineBytes;
    const text = bytes.toString("utf8", 0, cut ? characterStart(bytes, this.maxLineBytes) : contentBytes);
    this.parts = [];
    this.kept = 0;
    this.size = 0;
    this.lastByte = -1;
    return { text, cut };
  }
}

/** Moves a cut at `index` back to the start of the UTF-8 character it would split (at most 3 bytes). */
function characterStart(bytes: Buffer, index: number): number {
  let start = index;
  while (start > index - 3 && start > 0 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  return start;
}
