// Node child processes a benchmark starts and must not leave behind: stopped with SIGTERM (SIGKILL
// after 10 s) when asked, and killed outright if the bench process exits first.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export type StartedChild = ChildProcess & { pid: number };

export class ChildProcesses {
  private readonly running = new Set<ChildProcess>();
  private readonly killAll = () => {
    for (const child of this.running) child.kill("SIGKILL");
  };

  constructor() {
    process.on("exit", this.killAll);
  }

  /**
   * Runs `node ARGS` with its output appended to `log`. None of the bench's NERVESYS_* variables or
   * NODE_OPTIONS reach it, so a bridge runs with its installed defaults (ping interval, buffer cap…).
   */
  start(args: string[], log: string, env: Record<string, string> = {}): StartedChild {
    const inherited = Object.entries(process.env).filter(([k]) => !k.startsWith("NERVESYS_") && k !== "NODE_OPTIONS");
    const fd = openSync(log, "a");
    try {
      const child = spawn(process.execPath, args, {
        env: { ...Object.fromEntries(inherited), ...env },
        stdio: ["ignore", fd, fd],
      });
      // A failed spawn has no pid (thrown below); its 'error' event must not crash the bench.
      child.on("error", () => {});
      if (child.pid === undefined) throw new Error(`could not start node ${args.join(" ")}`);
      this.running.add(child);
      child.once("exit", () => this.running.delete(child));
      return child as StartedChild;
    } finally {
      closeSync(fd);
    }
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => this.stop(child)));
    process.off("exit", this.killAll);
  }
}
