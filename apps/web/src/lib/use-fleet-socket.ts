"use client";

import { controlPlaneToDashboard, type MessageOf, parseMessage } from "@nervesys/core/protocol";
import { useEffect, useRef, useState } from "react";

export type DashboardMessage = MessageOf<typeof controlPlaneToDashboard>;

/** Subscribes to the live fleet feed, reconnecting with capped backoff; returns whether it is live. */
export function useFleetSocket(onMessage: (message: DashboardMessage) => void): boolean {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const [live, setLive] = useState(false);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    const connect = () => {
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(`${scheme}//${window.location.host}/ws/dashboard`);
      socket.onopen = () => {
        attempt = 0;
        setLive(true);
      };
      socket.onmessage = (event) => {
        if (typeof event.data !== "string") return;
        const parsed = parseMessage(controlPlaneToDashboard, event.data);
        if (parsed.ok) handler.current(parsed.message);
      };
      socket.onclose = () => {
        setLive(false);
        if (stopped) return;
        retry = setTimeout(connect, Math.random() * Math.min(30_000, 1_000 * 2 ** attempt++));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, []);
  return live;
}
