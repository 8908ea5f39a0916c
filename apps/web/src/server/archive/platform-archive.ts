// The platform's own archive, where bridges without a bucket of their own ship through the control
// plane: Storj when STORJ_* is set, otherwise a local directory (the embedded default of `npm start`).
import { type ArchiveStore, DirectoryArchiveStore, S3ArchiveStore, type S3Config } from "@nervesys/archive";

export type PlatformArchiveConfig = { kind: "s3"; s3: S3Config } | { kind: "directory"; dir: string };

export function createPlatformArchive(config: PlatformArchiveConfig): ArchiveStore {
  return config.kind === "s3" ? new S3ArchiveStore(config.s3) : new DirectoryArchiveStore(config.dir);
}
