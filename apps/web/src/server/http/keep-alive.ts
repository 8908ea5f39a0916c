import type { WebSocket } from "ws";

/**
 * Pings the peer every interval and terminates it when the previous ping got no pong, so a silent
 * peer is dropped within two intervals. Returns the function that stops it.
 */
export function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let alive = true;
  const onPong = () => {
    alive = true;
  };
  socket.on("pong", onPong);
  const timer = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, intervalMs);
  return () => {
    clearInterval(timer);
    socket.off("pong", onPong);
  };
}
