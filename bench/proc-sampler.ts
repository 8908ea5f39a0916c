// What a child process costs, read from /proc as `ps` and `top` would: resident memory (VmRSS,
// VmHWM) and CPU time (utime + stime of all its threads, in clock ticks). Linux only.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const KiB = 1024;
const MiB = 1024 * 1024;

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
export function clockTicksPerSecond(): number {
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  if (!Number.isInteger(ticks) || ticks <= 0) throw new Error(`getconf CLK_TCK gave "${ticks}"`);
  return ticks;
}

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  if (kib === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return (Number(kib) * KiB) / MiB;
}

/** Resident set size now, in MiB. */
export const rssMiB = (pid: number) => statusField(pid, "VmRSS");

/** The highest resident set size since the process started, in MiB (the kernel's exact peak). */
export const peakRssMiB = (pid: number) => statusField(pid, "VmHWM");

/** User + system CPU time of the process (every thread), in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after the name.
  return Number(fields[11]) + Number(fields[12]);
}

export type Footprint = { avgRssMiB: number; maxRssMiB: number; cpuPercent: number; seconds: number };

/**
 * Samples several processes together over one window: RSS every `everyMs`, CPU as the ticks used
 * over the window's wall time (100 % = one core busy throughout).
 */
export async function sampleFootprints(
  pids: readonly number[],
  windowMs: number,
  everyMs: number,
  ticksPerSecond: number,
): Promise<Footprint[]> {
  const start = process.hrtime.bigint();
  const ticksAtStart = pids.map(cpuTicks);
  const samples: number[][] = pids.map(() => []);
  for (;;) {
    for (const [i, pid] of pids.entries()) samples[i]!.push(rssMiB(pid));
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsedMs >= windowMs) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(everyMs, windowMs - elapsedMs)));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return pids.map((pid, i) => {
    const rss = samples[i]!;
    const ticks = cpuTicks(pid) - ticksAtStart[i]!;
    return {
      avgRssMiB: rss.reduce((sum, value) => sum + value, 0) / rss.length,
      maxRssMiB: Math.max(...rss),
      cpuPercent: (ticks / ticksPerSecond / seconds) * 100,
      seconds,
    };
  });
}
