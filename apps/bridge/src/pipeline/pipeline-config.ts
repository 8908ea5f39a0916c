// The pipeline config the control plane sends at connect (and on change). It is kept on disk (0600:
// it may hold the owner's bucket credentials) so that after a restart the bridge ships to the same
// place even while the control plane is unreachable.
import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ArchiveStore } from "@nervesys/archive";
import { BridgeConfig } from "@nervesys/core/protocol";
import { writePrivateFile } from "../private-file";
import { ControlPlaneArchiveStore } from "./control-plane-archive-store";

const CONFIG_FILE = "pipeline.json";

export async function loadPipelineConfig(dataDir: string): Promise<BridgeConfig | null> {
  try {
    const parsed = BridgeConfig.safeParse(JSON.parse(await readFile(path.join(dataDir, CONFIG_FILE), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function savePipelineConfig(dataDir: string, config: BridgeConfig): Promise<void> {
  await writePrivateFile(path.join(dataDir, CONFIG_FILE), JSON.stringify(config));
}

export async function archiveStoreFor(
  config: BridgeConfig,
  bridge: { controlPlaneUrl: string; serverId: string; privateKey: KeyObject },
): Promise<ArchiveStore> {
  const { archive } = config;
  if (archive.kind === "s3") {
    const { kind: _kind, ...s3 } = archive;
    const { S3ArchiveStore } = await import("./s3-archive");
    return new S3ArchiveStore(s3);
  }
  return new ControlPlaneArchiveStore(bridge);
}

/** Where objects of this config end up, as the control plane's index records it. */
export const archiveLocation = (config: BridgeConfig) => (config.archive.kind === "s3" ? "owner" : "platform");

/** True when switching from `a` to `b` needs a new uploader (a different destination, cadence or compression). */
export function pipelineChanged(a: BridgeConfig | null, b: BridgeConfig): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
