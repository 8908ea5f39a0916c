// Exponential backoff with full jitter (a uniformly random delay up to the capped exponential),
// so a fleet that lost the control plane at once does not come back at once.

export type BackoffOptions = { baseMs: number; capMs: number; random?: () => number };

export function fullJitterDelay(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 30_000 };
/** A connection that lasted this long resets the attempt count. */
export const STABLE_CONNECTION_MS = 60_000;
