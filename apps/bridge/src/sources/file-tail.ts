// Follows one log file by byte offset across rotation, truncation and restarts. It stores nothing:
// the caller saves each read's lines and position in one transaction, then calls commit().
import { fileKey, findRenamed, type OpenFile, openFile, sameFile, statIfExists } from "./file-identity";
import { LineAssembler } from "./line-assembler";
import { type LineBatch, lastLineStart, readLines, wasTruncated } from "./read-lines";

export { LINE_CUT_MARKER } from "./line-assembler";

/** Where reading stopped: the file's identity and the byte offset after the last complete line handed out. */
export type TailPosition = { dev: number; ino: number; offset: number };
export type TailRead = { lines: string[]; position: TailPosition | null; truncated: boolean; rotated: boolean };

export type FileTailOptions = {
  /** A position committed earlier, e.g. before a restart. */
  position?: TailPosition | null;
  /** Without a position, skip what the file already holds (it still starts at the beginning of the last line). */
  startAtEnd?: boolean;
  /** Bytes one read() takes in; it may go past this only to finish its first line. */
  maxBytesPerRead?: number;
  /** Longer lines are cut to this many bytes plus LINE_CUT_MARKER, and the rest of the line is dropped. */
  maxLineBytes?: number;
};

const DEFAULT_MAX_BYTES_PER_READ = 1024 * 1024;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;

/** Progress through a line too long to finish in one read, kept so the next read does not rescan it. */
type LongLine = { file: OpenFile; lineStart: number; scanned: number; assembler: LineAssembler };

export class FileTail {
  private position: TailPosition | null;
  private startAtEnd: boolean;
  private readonly maxBytesPerRead: number;
  private readonly maxLineBytes: number;
  private readonly buffer: Buffer;
  /** The file at the position, kept open so it can be drained after a rotation, plus the one that replaced it. */
  private readonly open = new Map<string, OpenFile>();
  private longLine: LongLine | null = null;
  private inFlight: Promise<TailRead> | null = null;
  private closed = false;

  constructor(
    private readonly path: string,
    options: FileTailOptions = {},
  ) {
    this.position = options.position ? { ...options.position } : null;
    this.startAtEnd = options.startAtEnd ?? false;
    this.maxBytesPerRead = positiveInteger("maxBytesPerRead", options.maxBytesPerRead ?? DEFAULT_MAX_BYTES_PER_READ);
    this.maxLineBytes = positiveInteger("maxLineBytes", options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.buffer = Buffer.alloc(Math.min(READ_CHUNK_BYTES, this.maxBytesPerRead));
  }

  /** Reads the complete lines appended since the current position. Partial last lines wait for their newline. */
  async read(): Promise<TailRead> {
    if (this.closed) throw new Error(`FileTail for ${this.path} is closed; create a new one to read again`);
    if (this.inFlight) throw new Error(`FileTail for ${this.path} is already reading; await the previous read()`);
    this.inFlight = this.readOnce();
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  /** Moves the position forward; call it only once the lines of the read are stored. */
  commit(position: TailPosition): void {
    this.position = { ...position };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight?.catch(() => undefined);
    const files = [...this.open.values()];
    this.open.clear();
    this.longLine = null;
    await Promise.all(files.map((file) => file.handle.close()));
  }

  private async readOnce(): Promise<TailRead> {
    const position = this.position ?? (await this.initialPosition());
    if (!position) return { lines: [], position: null, truncated: false, rotated: false };
    await this.closeAllBut(position);
    const file = await this.openAt(position);
    // The file was deleted (or compressed) while we were not holding it: what it still held is gone.
    if (!file) return this.switchTo(await this.openReplacement(position), [], position);
    const truncated = await wasTruncated(file.handle, position.offset);
    const batch = await this.readBatch(file, truncated ? 0 : position.offset);
    const done = { lines: batch.lines, position: { dev: file.dev, ino: file.ino, offset: batch.end }, truncated };
    if (!batch.eof) return { ...done, rotated: false };
    const next = await this.openReplacement(file, { requireData: true });
    if (!next) return { ...done, rotated: false };
    // The writer has moved on to the new file, so an unterminated last line here will never be finished.
    this.longLine = null;
    const lines = batch.assembler.hasBytes ? [...batch.lines, batch.assembler.finish()] : batch.lines;
    return { ...(await this.switchTo(next, lines, position)), truncated };
  }

  /** Without a committed position: the file as it is now, from its start or (startAtEnd) its last line. */
  private async initialPosition(): Promise<TailPosition | null> {
    const file = await this.openPath();
    // startAtEnd is for what exists at start-up; a file that appears later is new and read whole.
    const fromEnd = this.startAtEnd;
    this.startAtEnd = false;
    if (!file) return null;
    const offset = fromEnd ? await lastLineStart(file.handle, this.buffer) : 0;
    // Remembered so that an uncommitted read is repeated from the same place.
    this.position = { dev: file.dev, ino: file.ino, offset };
    return this.position;
  }

  /** Continues in `next` from its start; reads it right away when the old file had nothing left to hand out. */
  private async switchTo(next: OpenFile | null, lines: string[], position: TailPosition): Promise<TailRead> {
    if (!next) return { lines, position, truncated: false, rotated: false };
    if (lines.length > 0)
      return { lines, position: { dev: next.dev, ino: next.ino, offset: 0 }, truncated: false, rotated: true };
    const batch = await this.readBatch(next, 0);
    return {
      lines: batch.lines,
      position: { dev: next.dev, ino: next.ino, offset: batch.end },
      truncated: false,
      rotated: true,
    };
  }

  private async readBatch(file: OpenFile, offset: number): Promise<LineBatch> {
    const resume = await this.takeLongLine(file, offset);
    const assembler = resume?.assembler ?? new LineAssembler(this.maxLineBytes);
    const scan = { lineStart: offset, scanFrom: resume?.scanned ?? offset, assembler };
    const batch = await readLines(file.handle, scan, this.buffer, this.maxBytesPerRead);
    if (batch.assembler.overflowed) {
      this.longLine = { file, lineStart: batch.end, scanned: batch.scanned, assembler: batch.assembler };
    }
    return batch;
  }

  /** The saved progress through a long line if this read starts at that line; it is used up either way. */
  private async takeLongLine(file: OpenFile, offset: number): Promise<LongLine | null> {
    const saved = this.longLine;
    this.longLine = null;
    if (!saved || !sameFile(saved.file, file) || saved.lineStart !== offset) return null;
    return (await file.handle.stat()).size >= saved.scanned ? saved : null;
  }

  /** The file the position refers to: already open, still at the path, or renamed next to it. */
  private async openAt(position: TailPosition): Promise<OpenFile | null> {
    const known = this.open.get(fileKey(position));
    if (known) return known;
    const current = await statIfExists(this.path);
    if (current && sameFile(current, position)) {
      const file = await openFile(this.path, position);
      if (file) return this.remember(file);
    }
    const renamed = await findRenamed(this.path, position);
    const file = renamed ? await openFile(renamed, position) : null;
    return file ? this.remember(file) : null;
  }

  /** The file now at the path if it is not `old`; with requireData, only once something was written to it. */
  private async openReplacement(
    old: TailPosition | OpenFile,
    options = { requireData: false },
  ): Promise<OpenFile | null> {
    const current = await statIfExists(this.path);
    if (!current || sameFile(current, old)) return null;
    // Until the new file gets data, the writer may still be appending to the old one (before its reopen).
    if (options.requireData && current.size === 0) return null;
    const file = await this.openPath();
    return file && !sameFile(file, old) ? file : null;
  }

  private async openPath(): Promise<OpenFile | null> {
    const file = await openFile(this.path);
    return file ? this.remember(file) : null;
  }

  private async remember(file: OpenFile): Promise<OpenFile> {
    const known = this.open.get(fileKey(file));
    if (!known) {
      this.open.set(fileKey(file), file);
      return file;
    }
    await file.handle.close();
    return known;
  }

  /** Files other than the position's are no longer needed once the position moved past them. */
  private async closeAllBut(position: TailPosition): Promise<void> {
    const keep = fileKey(position);
    for (const [key, file] of this.open) {
      if (key === keep) continue;
      this.open.delete(key);
      await file.handle.close();
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`FileTail ${name} must be a positive integer, got ${value}`);
  return value;
}
