// Keeps the heartbeat time series bounded: samples past the retention window are deleted hourly.
import { type Database, pruneSamples } from "@nervesys/db";
import type { Logger } from "../logger";

const DAY_MS = 24 * 3600 * 1000;
const SWEEP_INTERVAL_MS = 3600 * 1000;

/** Starts the sweep (once now, then hourly); returns the function that stops it. */
export function scheduleSampleRetention(db: Database, retentionDays: number, logger: Logger): () => void {
  const sweep = async () => {
    try {
      const deleted = await pruneSamples(db, new Date(Date.now() - retentionDays * DAY_MS));
      if (deleted > 0) logger.info({ deleted, retentionDays }, "pruned heartbeat samples");
    } catch (error) {
      logger.error({ err: (error as Error).message }, "pruning heartbeat samples failed");
    }
  };
  void sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
  return () => clearInterval(timer);
}
