// Reads complete lines from an open file, by byte offset. Lines are split only at '\n' bytes, so
// multi-byte characters and offsets stay exact whatever the read boundaries.
import type { FileHandle } from "node:fs/promises";
import type { LineAssembler } from "./line-assembler";

const NEWLINE = 0x0a;

/** Where to read: the line start the result's offsets count from, and where scanning resumes. */
export type LineScan = { lineStart: number; scanFrom: number; assembler: LineAssembler };

/**
 * `end` is the offset after the last complete line; bytes from `end` to `scanned` belong to an
 * unfinished line, held in `assembler`. `eof` says the file had nothing more to give.
 */
export type LineBatch = { lines: string[]; end: number; scanned: number; eof: boolean; assembler: LineAssembler };

/**
 * Reads about `budget` bytes. Past the budget it keeps reading only until it has one line (or the
 * line overflows), so a line longer than the budget still gets through.
 */
export async function readLines(
  handle: FileHandle,
  scan: LineScan,
  buffer: Buffer,
  budget: number,
): Promise<LineBatch> {
  const { assembler } = scan;
  const lines: string[] = [];
  let end = scan.lineStart;
  let position = scan.scanFrom;
  let spent = 0;
  while (spent < budget || (lines.length === 0 && !assembler.overflowed)) {
    const want = spent < budget ? Math.min(buffer.length, budget - spent) : buffer.length;
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    if (bytesRead === 0) return { lines, end, scanned: position, eof: true, assembler };
    const chunk = buffer.subarray(0, bytesRead);
    let from = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, from)) {
      assembler.append(chunk.subarray(from, newline));
      lines.push(assembler.finish());
      from = newline + 1;
      end = position + from;
    }
    assembler.append(chunk.subarray(from));
    position += bytesRead;
    spent += bytesRead;
  }
  return { lines, end, scanned: position, eof: false, assembler };
}

/** The offset after the file's last '\n' (0 if it has none), so a line being written is read whole. */
export async function lastLineStart(handle: FileHandle, buffer: Buffer): Promise<number> {
  let end = (await handle.stat()).size;
  while (end > 0) {
    const start = Math.max(0, end - buffer.length);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const newline = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}

/**
 * Positions always follow a '\n' (or are 0). A smaller file, or another byte before the offset,
 * means the file was truncated (e.g. copytruncate) and possibly rewritten past our offset since.
 */
export async function wasTruncated(handle: FileHandle, offset: number): Promise<boolean> {
  if (offset === 0) return false;
  if ((await handle.stat()).size < offset) return true;
  const probe = Buffer.alloc(1);
  const { bytesRead } = await handle.read(probe, 0, 1, offset - 1);
  return bytesRead === 1 && probe[0] !== NEWLINE;
}
