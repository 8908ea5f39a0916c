import { appendFile, mkdtemp, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileTail, type FileTailOptions, LINE_CUT_MARKER, type TailRead } from "./file-tail";

const tails: FileTail[] = [];

afterEach(async () => {
  await Promise.all(tails.splice(0).map((tail) => tail.close()));
});

async function logFile(content?: string | Buffer): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "file-tail-")), "app.log");
  if (content !== undefined) await writeFile(file, content);
  return file;
}

function tailOf(file: string, options?: FileTailOptions): FileTail {
  const tail = new FileTail(file, options);
  tails.push(tail);
  return tail;
}

/** Reads and commits, as the bridge does once the lines are stored. */
async function take(tail: FileTail): Promise<TailRead> {
  const read = await tail.read();
  if (read.position) tail.commit(read.position);
  return read;
}

/** Enough reads to drain the small files here; a read may come back empty while it works through a long line. */
async function takeAll(tail: FileTail, reads = 30): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < reads; i++) lines.push(...(await take(tail)).lines);
  return lines;
}

describe("FileTail", () => {
  it("reads an existing file from the beginning when no position is given", async () => {
    const file = await logFile("one\ntwo\n");
    const read = await take(tailOf(file));
    const { dev, ino } = await stat(file);
    expect(read).toEqual({
      lines: ["one", "two"],
      position: { dev, ino, offset: 8 },
      truncated: false,
      rotated: false,
    });
  });

  it("skips existing content with startAtEnd but reads the line being written whole", async () => {
    const file = await logFile("old 1\nold 2\npart");
    const tail = tailOf(file, { startAtEnd: true });
    expect((await take(tail)).lines).toEqual([]);
    await appendFile(file, "ial\nnew\n");
    expect((await take(tail)).lines).toEqual(["partial", "new"]);
  });

  it("returns appended lines and holds back a line until its newline arrives", async () => {
    const file = await logFile("");
    const tail = tailOf(file);
    await appendFile(file, "first\nsec");
    expect((await take(tail)).lines).toEqual(["first"]);
    expect((await take(tail)).lines).toEqual([]);
    await appendFile(file, "ond\nthird\n");
    expect((await take(tail)).lines).toEqual(["second", "third"]);
  });

  it("strips \\r\\n and keeps empty lines", async () => {
    const file = await logFile("a\r\n\r\n\nb\n");
    expect((await take(tailOf(file))).lines).toEqual(["a", "", "", "b"]);
  });

  it("reports positions as byte offsets, not characters", async () => {
    const file = await logFile("héllo wörld\n🎉\n");
    const read = await take(tailOf(file));
    expect(read.position?.offset).toBe(Buffer.byteLength("héllo wörld\n🎉\n"));
  });

  it("resumes exactly after a committed position in a new instance", async () => {
    const file = await logFile("1\n2\n3\n");
    const before = tailOf(file);
    const first = await take(before);
    await before.close();
    await appendFile(file, "4\n5\n");
    const after = tailOf(file, { position: first.position });
    expect(await takeAll(after)).toEqual(["4", "5"]);
  });

  it("returns the same lines again when the read is not committed", async () => {
    const file = await logFile("a\nb\n");
    const tail = tailOf(file);
    const first = await tail.read();
    await appendFile(file, "c\n");
    expect((await tail.read()).lines).toEqual(["a", "b", "c"]);
    expect(first.lines).toEqual(["a", "b"]);
  });

  it("drains the renamed file before switching to the new one", async () => {
    const file = await logFile("old 1\n");
    const tail = tailOf(file);
    expect((await take(tail)).lines).toEqual(["old 1"]);
    await appendFile(file, "old 2\nold 3\n");
    await rename(file, `${file}.1`);
    await writeFile(file, "new 1\n");
    const { dev, ino } = await stat(file);
    const switching = await take(tail);
    expect(switching).toEqual({
      lines: ["old 2", "old 3"],
      position: { dev, ino, offset: 0 },
      truncated: false,
      rotated: true,
    });
    expect(await take(tail)).toMatchObject({ lines: ["new 1"], rotated: false });
  });

  it("repeats an uncommitted switch even after the old file was deleted", async () => {
    const file = await logFile("a\n");
    const tail = tailOf(file);
    await take(tail);
    await appendFile(file, "b\n");
    await rename(file, `${file}.1`);
    await writeFile(file, "c\n");
    await rm(`${file}.1`);
    const first = await tail.read();
    expect(first).toMatchObject({ lines: ["b"], rotated: true });
    expect(await tail.read()).toEqual(first);
    tail.commit(first.position!);
    expect((await take(tail)).lines).toEqual(["c"]);
  });

  it("keeps reading the renamed file while the new one is still empty", async () => {
    const file = await logFile("a\n");
    const tail = tailOf(file);
    await take(tail);
    await rename(file, `${file}.1`);
    await writeFile(file, "");
    // The writer has not reopened its log yet, so it still appends to the renamed file.
    await appendFile(`${file}.1`, "late\n");
    expect(await take(tail)).toMatchObject({ lines: ["late"], rotated: false });
    await appendFile(file, "b\n");
    expect(await take(tail)).toMatchObject({ lines: ["b"], rotated: true });
  });

  it("hands out the unterminated last line of a rotated file when switching", async () => {
    const file = await logFile("a\nno newline");
    const tail = tailOf(file);
    expect((await take(tail)).lines).toEqual(["a"]);
    await rename(file, `${file}.1`);
    await writeFile(file, "b\n");
    expect(await take(tail)).toMatchObject({ lines: ["no newline"], rotated: true });
    expect((await take(tail)).lines).toEqual(["b"]);
  });

  it("drains a file rotated while the bridge was down, found among its siblings", async () => {
    const file = await logFile("1\n");
    const before = tailOf(file);
    const { position } = await take(before);
    await before.close();
    await appendFile(file, "2\n3\n");
    await rename(file, `${file}-20240101`);
    await writeFile(`${file}.1`, "unrelated\n");
    await writeFile(file, "4\n");
    const after = tailOf(file, { position });
    expect(await take(after)).toMatchObject({ lines: ["2", "3"], rotated: true });
    expect(await takeAll(after)).toEqual(["4"]);
  });

  it("starts the new file from 0 when the rotated file is gone", async () => {
    const file = await logFile("1\n");
    const before = tailOf(file);
    const { position } = await take(before);
    await before.close();
    // Moved out of the folder (as if compressed) and deleted only after the new file exists, so the
    // new file cannot reuse the freed inode number.
    const elsewhere = path.join(await mkdtemp(path.join(tmpdir(), "file-tail-")), "app.log.1");
    await rename(file, elsewhere);
    await writeFile(file, "2\n3\n");
    await rm(elsewhere);
    expect(await take(tailOf(file, { position }))).toMatchObject({ lines: ["2", "3"], rotated: true });
  });

  it("restarts from 0 after the file was truncated", async () => {
    const file = await logFile("long line one\nlong line two\n");
    const tail = tailOf(file);
    await take(tail);
    await writeFile(file, ""); // what `: > app.log` does: same inode, length 0
    await appendFile(file, "x\n");
    expect(await take(tail)).toMatchObject({ lines: ["x"], truncated: true, rotated: false });
    expect(await take(tail)).toMatchObject({ lines: [], truncated: false });
  });

  it("notices a truncation even after the file grew past the old offset", async () => {
    const file = await logFile("a\nb\n");
    const tail = tailOf(file);
    await take(tail);
    await truncate(file, 0); // copytruncate, then the writer appends more than we had read
    await appendFile(file, "fresh line\n");
    expect(await take(tail)).toMatchObject({ lines: ["fresh line"], truncated: true });
  });

  it("returns nothing while the file does not exist and picks it up when it appears", async () => {
    const file = await logFile();
    const tail = tailOf(file, { startAtEnd: true });
    expect(await take(tail)).toEqual({ lines: [], position: null, truncated: false, rotated: false });
    await writeFile(file, "hello\n");
    expect((await take(tail)).lines).toEqual(["hello"]);
  });

  it("survives the file disappearing and follows the one that replaces it", async () => {
    const file = await logFile("a\n");
    const tail = tailOf(file);
    await take(tail);
    await appendFile(file, "b\n");
    await rm(file);
    expect((await take(tail)).lines).toEqual(["b"]);
    expect((await take(tail)).lines).toEqual([]);
    await writeFile(file, "c\n");
    expect(await take(tail)).toMatchObject({ lines: ["c"], rotated: true });
  });

  it("cuts a line longer than maxLineBytes and continues with the next line", async () => {
    const file = await logFile(`${"x".repeat(100)}\nnext\n`);
    const read = await take(tailOf(file, { maxLineBytes: 16 }));
    expect(read.lines).toEqual([`${"x".repeat(16)}${LINE_CUT_MARKER}`, "next"]);
    expect(read.position?.offset).toBe(106);
  });

  it("keeps a line of exactly maxLineBytes whole, \\r\\n included", async () => {
    const file = await logFile(`${"y".repeat(8)}\r\n`);
    expect((await take(tailOf(file, { maxLineBytes: 8 }))).lines).toEqual(["y".repeat(8)]);
  });

  it("cuts a long line before a character that would not fit", async () => {
    const file = await logFile("abcd€\n");
    expect((await take(tailOf(file, { maxLineBytes: 5 }))).lines).toEqual([`abcd${LINE_CUT_MARKER}`]);
  });

  it("cuts a long line that arrives over several reads without losing the next one", async () => {
    const file = await logFile("before\n");
    const tail = tailOf(file, { maxLineBytes: 10, maxBytesPerRead: 8 });
    expect((await take(tail)).lines).toEqual(["before"]);
    await appendFile(file, "z".repeat(40));
    expect((await take(tail)).lines).toEqual([]);
    await appendFile(file, `${"z".repeat(40)}\nafter\n`);
    expect(await takeAll(tail)).toEqual([`${"z".repeat(10)}${LINE_CUT_MARKER}`, "after"]);
    // A restart in the middle of such a line rescans it from its start.
    const { dev, ino } = await stat(file);
    const restarted = tailOf(file, { maxLineBytes: 10, position: { dev, ino, offset: 7 } });
    expect(await takeAll(restarted)).toEqual([`${"z".repeat(10)}${LINE_CUT_MARKER}`, "after"]);
  });

  it("bounds one read by maxBytesPerRead and leaves the rest for the next", async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line-${String(i).padStart(3, "0")}`);
    const file = await logFile(`${lines.join("\n")}\n`);
    const tail = tailOf(file, { maxBytesPerRead: 25 });
    const first = await take(tail);
    expect(first.lines).toEqual(lines.slice(0, 2));
    expect(await takeAll(tail)).toEqual(lines.slice(2));
  });

  it("decodes invalid UTF-8 with replacement characters", async () => {
    const file = await logFile(Buffer.from([0x66, 0xff, 0xfe, 0x6f, 0x0a, 0x6f, 0x6b, 0x0a]));
    expect((await take(tailOf(file))).lines).toEqual(["f\uFFFD\uFFFDo", "ok"]);
  });

  it("keeps a multi-byte character split across reads intact", async () => {
    const euro = Buffer.from("€");
    const file = await logFile(Buffer.concat([Buffer.from("price "), euro.subarray(0, 2)]));
    const tail = tailOf(file);
    expect((await take(tail)).lines).toEqual([]);
    await appendFile(file, Buffer.concat([euro.subarray(2), Buffer.from("5\n")]));
    expect((await take(tail)).lines).toEqual(["price €5"]);
    // Reads of 4 bytes split every one of these characters somewhere.
    await appendFile(file, "é🎉ü✓\nnext\n");
    expect(await takeAll(tailOf(file, { maxBytesPerRead: 4 }))).toEqual(["price €5", "é🎉ü✓", "next"]);
  });
});
