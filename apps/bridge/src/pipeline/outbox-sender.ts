// Delivers the outbox over the live connection: a few entries at a time (the control plane cuts off
// a bridge with too many messages in flight), each removed only when the control plane acknowledges
// it. After a reconnect everything unacknowledged is sent again; the control plane's handling is
// idempotent, so a resend after a lost acknowledgement changes nothing.
import type { ArchiveUploaded, Heartbeat, HeartbeatBackfill } from "@nervesys/core/protocol";
import type { Outbox, OutboxEntry } from "../buffer/outbox";

export type OutboxMessage =
  | { type: "archive.uploaded"; data: ArchiveUploaded }
  | { type: "heartbeat.backfill"; data: HeartbeatBackfill };

const WINDOW = 8;

export function toMessage(entry: OutboxEntry): OutboxMessage {
  // The outbox holds what this bridge wrote itself, in these shapes.
  return entry.type === "heartbeat"
    ? { type: "heartbeat.backfill", data: { id: entry.id, samples: [entry.data as Heartbeat] } }
    : { type: "archive.uploaded", data: { id: entry.id, ...(entry.data as Omit<ArchiveUploaded, "id">) } };
}

export class OutboxSender {
  private connected = false;
  private lastSent = 0;
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly outbox: Outbox,
    private readonly send: (message: OutboxMessage) => boolean,
  ) {}

  onConnected(): void {
    this.connected = true;
    this.lastSent = 0;
    this.inFlight.clear();
    this.pump();
  }

  onDisconnected(): void {
    this.connected = false;
  }

  onAck(id: number): void {
    if (!this.inFlight.delete(id)) return;
    this.outbox.acknowledge(id);
    this.pump();
  }

  /** Something was added to the outbox. */
  pump(): void {
    while (this.connected && this.inFlight.size < WINDOW) {
      const entries = this.outbox.after(this.lastSent, WINDOW - this.inFlight.size);
      if (entries.length === 0) return;
      for (const entry of entries) {
        if (!this.send(toMessage(entry))) {
          this.connected = false;
          return;
        }
        this.inFlight.add(entry.id);
        this.lastSent = entry.id;
      }
    }
  }
}
