// How a size cap for the whole buffer (database + WAL + shared memory) is split, so the sum can
// never pass it: SQLite's max_page_count bounds the database file hard, each transaction is kept
// small enough that the WAL stays inside its share.

export const PAGE_SIZE = 4096;
const SHM_BYTES = 64 * 1024;

export type Capacity = {
  capBytes: number;
  walLimitBytes: number;
  /** Largest size the database file may reach. */
  dbMaxBytes: number;
  maxPageCount: number;
  /** Bytes of row data one transaction may write (a fraction of the WAL share). */
  txBytes: number;
  /** Above this the oldest records are dropped… */
  highWaterBytes: number;
  /** …until usage is back under this. */
  lowWaterBytes: number;
};

export function capacityFor(capBytes: number): Capacity {
  if (capBytes < 1024 * 1024) throw new Error("the buffer cap must be at least 1 MiB");
  const walLimitBytes = Math.min(8 * 1024 * 1024, Math.floor(capBytes / 8));
  const dbMaxBytes = capBytes - walLimitBytes - SHM_BYTES;
  return {
    capBytes,
    walLimitBytes,
    dbMaxBytes,
    maxPageCount: Math.floor(dbMaxBytes / PAGE_SIZE),
    txBytes: Math.floor(walLimitBytes / 4),
    highWaterBytes: Math.floor(dbMaxBytes * 0.92),
    lowWaterBytes: Math.floor(dbMaxBytes * 0.8),
  };
}

/** A generous estimate of what a record costs on disk and in the WAL: its text and the row around it. */
export function recordCost(message: string, context: string | null, agent: string): number {
  return 2 * (message.length + (context?.length ?? 0)) + 3 * agent.length + 160;
}
