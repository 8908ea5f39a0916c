// Samples the host: CPU over the interval since the previous sample, memory as the kernel's
// MemAvailable sees it, and the root filesystem as `df` reports it.
import { readFileSync, statfsSync } from "node:fs";
import os from "node:os";
import type { Metrics } from "@nervesys/core/protocol";

type CpuTimes = { idle: number; total: number };

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function clampPercent(value: number): number {
  return round(Math.min(100, Math.max(0, value)));
}

function memoryPercent(): number {
  try {
    const info = readFileSync("/proc/meminfo", "utf8");
    const total = Number(/^MemTotal:\s+(\d+)/m.exec(info)?.[1]);
    const available = Number(/^MemAvailable:\s+(\d+)/m.exec(info)?.[1]);
    if (total > 0 && Number.isFinite(available)) return clampPercent(100 * (1 - available / total));
  } catch {
    // not Linux: fall back to what Node knows
  }
  return clampPercent(100 * (1 - os.freemem() / os.totalmem()));
}

function diskPercent(mount: string): number {
  const s = statfsSync(mount);
  const used = s.blocks - s.bfree;
  const usable = used + s.bavail;
  return usable > 0 ? clampPercent((100 * used) / usable) : 0;
}

export class SystemMetrics {
  private previous: CpuTimes = cpuTimes();

  constructor(private readonly diskMount = "/") {}

  sample(): Metrics {
    const now = cpuTimes();
    const total = now.total - this.previous.total;
    const idle = now.idle - this.previous.idle;
    this.previous = now;
    const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
    return {
      cpu_percent: total > 0 ? clampPercent(100 * (1 - idle / total)) : 0,
      ram_percent: memoryPercent(),
      disk_percent: diskPercent(this.diskMount),
      load_1: round(load1),
      load_5: round(load5),
      load_15: round(load15),
    };
  }
}
