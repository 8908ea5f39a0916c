// The seeded randomness every log source draws from, so every run offers the same logs.

export type Random = {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** Any item, all equally likely. */
  pick<T>(items: readonly T[]): T;
  /** An item, the first ones far likelier than the last: a few clients, routes and users make most of any traffic. */
  pickSkewed<T>(items: readonly T[]): T;
};

/** A linear congruential generator: small, fast and the same on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const below = (n: number) => Math.floor(next() * n);
  return {
    next,
    below,
    pick: (items) => items[below(items.length)]!,
    pickSkewed: (items) => items[Math.floor(items.length * next() ** 3)]!,
  };
}

/** A public-looking IPv4 address. */
export function randomIpv4(random: Random): string {
  return `${random.pick([5, 23, 45, 61, 89, 103, 141, 178, 185, 193, 212])}.${random.below(256)}.${random.below(256)}.${1 + random.below(254)}`;
}
