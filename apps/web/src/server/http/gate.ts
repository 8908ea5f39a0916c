// The front gate of every HTTP request, run by server.ts before Next sees it: resolves the
// session, refuses pages and API routes that need one, blocks cross-site writes, and passes
// the user and client IP on in headers that only the gate may set.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthService, SessionUser } from "../auth/auth-service";
import { CLIENT_IP_HEADER, encodeUserHeader, SESSION_COOKIE, USER_HEADER } from "./gate-headers";

const PUBLIC_PATHS = [
  /^\/sign-in$/,
  /^\/api\/health(\/ready)?$/,
  /^\/api\/enroll$/,
  /^\/api\/session$/,
  /^\/install-bridge\.sh$/,
  /^\/downloads\/[A-Za-z0-9._-]+$/,
  /^\/_next\//,
  /^\/favicon\.ico$/,
];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || req.socket.remoteAddress || "unknown";
}

/** True when the request comes from a page of this origin (or from a non-browser client). */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers["sec-fetch-site"] !== "cross-site";
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: { code, message } }));
}

export type GateOptions = { auth: AuthService; trustProxy: boolean };

/** Returns true when Next should handle the request; otherwise the gate has answered it. */
export async function gate(req: IncomingMessage, res: ServerResponse, options: GateOptions): Promise<boolean> {
  delete req.headers[USER_HEADER];
  req.headers[CLIENT_IP_HEADER] = clientAddress(req, options.trustProxy);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("referrer-policy", "same-origin");

  const url = new URL(req.url ?? "/", "http://control-plane");
  const isPublic = PUBLIC_PATHS.some((pattern) => pattern.test(url.pathname));
  const isApi = url.pathname.startsWith("/api/");
  if (isApi && !SAFE_METHODS.has(req.method ?? "GET") && !isSameOrigin(req)) {
    sendJson(res, 403, "cross_origin", "cross-site requests are not allowed");
    return false;
  }
  if (url.pathname.startsWith("/_next/")) return true;

  const user: SessionUser | null = await options.auth.verifySession(readCookie(req.headers.cookie, SESSION_COOKIE));
  if (user) req.headers[USER_HEADER] = encodeUserHeader(user);
  if (user || isPublic) return true;
  if (isApi) {
    sendJson(res, 401, "unauthenticated", "sign in first: this endpoint needs a session");
  } else {
    const next = url.pathname === "/" ? "" : `?next=${encodeURIComponent(url.pathname + url.search)}`;
    res.writeHead(302, { location: `/sign-in${next}` });
    res.end();
  }
  return false;
}
