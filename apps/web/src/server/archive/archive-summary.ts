// The archive browser's view of an indexed object (dates as ISO strings, ready for JSON).
import type { ArchiveObjectSummary } from "@nervesys/core/protocol";
import type { ArchiveObject } from "@nervesys/db";

export function toArchiveSummary(object: ArchiveObject): ArchiveObjectSummary {
  return {
    id: object.id,
    key: object.key,
    location: object.location,
    bytes: object.bytes,
    rawBytes: object.rawBytes,
    records: object.records,
    firstTimestamp: object.firstTimestamp.toISOString(),
    lastTimestamp: object.lastTimestamp.toISOString(),
    sha256: object.sha256,
    uploadedAt: object.uploadedAt.toISOString(),
  };
}
