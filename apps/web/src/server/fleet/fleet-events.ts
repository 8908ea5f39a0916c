// Live fleet changes, fanned out to the dashboards of the server's owner. In-process for one
// instance; several instances will relay these through Postgres LISTEN/NOTIFY behind this interface.
import { EventEmitter } from "node:events";
import type { MetricSample, ServerSummary } from "@nervesys/core/protocol";

export type FleetEvent =
  | { type: "server.updated"; server: ServerSummary }
  | { type: "server.sample"; serverId: string; sample: MetricSample }
  | { type: "server.removed"; serverId: string };

export class FleetEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(ownerId: string, event: FleetEvent): void {
    this.emitter.emit(ownerId, event);
  }

  /** Returns the unsubscribe function. */
  subscribe(ownerId: string, listener: (event: FleetEvent) => void): () => void {
    this.emitter.on(ownerId, listener);
    return () => this.emitter.off(ownerId, listener);
  }
}
