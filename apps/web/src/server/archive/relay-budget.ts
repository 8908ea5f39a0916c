// How much of the control plane's memory archive uploads may hold at once. A relayed body is read
// whole before its signature can be checked, so without a bound a few clients holding a valid
// server id could pin MAX_ARCHIVE_UPLOAD_BYTES each, as often as they like. A bridge uploads one
// batch at a time, so one upload per server and a total across servers costs honest bridges
// nothing: a refused one retries with its usual backoff.
export class RelayBudget {
  private reserved = 0;
  private readonly servers = new Set<string>();

  constructor(private readonly totalBytes: number) {}

  /** Holds `bytes` for `serverId`'s upload; null when that server has one in flight or the total is spent. */
  reserve(serverId: string, bytes: number): (() => void) | null {
    if (this.servers.has(serverId) || this.reserved + bytes > this.totalBytes) return null;
    this.servers.add(serverId);
    this.reserved += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.servers.delete(serverId);
      this.reserved -= bytes;
    };
  }

  /** Bytes held by uploads in flight. */
  inFlightBytes(): number {
    return this.reserved;
  }
}
