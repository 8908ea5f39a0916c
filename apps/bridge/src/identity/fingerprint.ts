import { readFileSync } from "node:fs";
import os from "node:os";
import { sha256Hex } from "@nervesys/core/crypto";
import type { EnrollRequest } from "@nervesys/core/protocol";

/** Identifies the host without revealing its machine id (only a hash of it leaves the machine). */
export function hostFingerprint(): EnrollRequest["fingerprint"] {
  let machineId: string | undefined;
  try {
    const id = readFileSync("/etc/machine-id", "utf8").trim();
    if (id) machineId = sha256Hex(id).slice(0, 32);
  } catch {
    // containers often have no machine id; the hostname still identifies the host
  }
  return { hostname: os.hostname(), machineId, platform: process.platform, arch: process.arch };
}
