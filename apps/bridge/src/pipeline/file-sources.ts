// Tails the log files named in the bridge's config into the buffer. Each read's lines and the
// file's new position are committed in one transaction, so a restart resumes exactly after the
// last stored line: nothing skipped, nothing stored twice.
import { type LogRecord, MAX_MESSAGE_LENGTH } from "@nervesys/core/logs";
import { isoTimestamp } from "@nervesys/core/time";
import type { TailPositions } from "../buffer/tail-positions";
import type { Logger } from "../logger";
import { FileTail, LINE_CUT_MARKER } from "../sources/file-tail";

/** Reads per file per poll (each up to 1 MiB), so one busy file cannot starve the others. */
const MAX_READS_PER_POLL = 16;

export type TailSpec = { path: string; agent: string };

export type FileSourcesOptions = {
  positions: TailPositions;
  append(records: LogRecord[]): void;
  logger: Logger;
  pollMs?: number;
};

export class FileSources {
  private readonly tails: Array<{ spec: TailSpec; tail: FileTail }>;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    specs: readonly TailSpec[],
    private readonly options: FileSourcesOptions,
  ) {
    this.tails = specs.map((spec) => ({
      spec,
      // A file seen for the first time is followed from its end: its history predates the bridge.
      tail: new FileTail(spec.path, {
        position: options.positions.get(spec.path),
        startAtEnd: true,
        maxLineBytes: MAX_MESSAGE_LENGTH - LINE_CUT_MARKER.length,
      }),
    }));
  }

  /** Reads every file once now (so a new file is followed from this moment), then every poll interval. */
  async start(): Promise<void> {
    if (this.tails.length === 0 || this.timer) return;
    await this.pollAll();
    this.timer = setInterval(() => {
      this.polling ??= this.pollAll().finally(() => {
        this.polling = null;
      });
    }, this.options.pollMs ?? 1_000);
  }

  /** Reads every file once (also what the timer does). */
  async pollAll(): Promise<void> {
    for (const { spec, tail } of this.tails) {
      try {
        await this.pollOne(spec, tail);
      } catch (error) {
        this.options.logger.warn({ file: spec.path, err: (error as Error).message }, "could not read a tailed file");
      }
    }
  }

  private async pollOne(spec: TailSpec, tail: FileTail): Promise<void> {
    for (let i = 0; i < MAX_READS_PER_POLL; i++) {
      const read = await tail.read();
      if (!read.position) return;
      const timestamp = isoTimestamp();
      const records: LogRecord[] = read.lines.map((message) => ({
        timestamp,
        level: "INFO",
        agent: spec.agent,
        action: "tail",
        message,
        context: null,
      }));
      this.options.positions.commit(spec.path, read.position, () => {
        if (records.length > 0) this.options.append(records);
      });
      tail.commit(read.position);
      if (read.lines.length === 0) return;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.all(this.tails.map(({ tail }) => tail.close()));
  }
}
