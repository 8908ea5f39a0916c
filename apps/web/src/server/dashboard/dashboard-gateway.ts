// /ws/dashboard: pushes the signed-in user's fleet changes to their open dashboards.
import { controlPlaneToDashboard, encodeMessage } from "@nervesys/core/protocol";
import { type WebSocket, WebSocketServer } from "ws";
import type { SessionUser } from "../auth/auth-service";
import type { FleetEvents } from "../fleet/fleet-events";
import { keepAlive } from "../http/keep-alive";

export class DashboardGateway {
  /** Dashboards only listen; anything they send beyond a small frame is refused by ws itself. */
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  constructor(
    private readonly events: FleetEvents,
    private readonly pingIntervalMs: number,
  ) {}

  attach(socket: WebSocket, user: SessionUser): void {
    const stopKeepAlive = keepAlive(socket, this.pingIntervalMs);
    const unsubscribe = this.events.subscribe(user.userId, (event) => {
      if (socket.readyState !== socket.OPEN) return;
      const { type, ...data } = event;
      socket.send(encodeMessage(controlPlaneToDashboard, type, data as never));
    });
    socket.on("close", () => {
      unsubscribe();
      stopKeepAlive();
    });
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.close(1001, "control plane shutting down");
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
