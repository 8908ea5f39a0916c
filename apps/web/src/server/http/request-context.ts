// What the gate in server.ts learned about a request, read back inside Next. The gate deletes
// these headers from every incoming request before setting them, so a client cannot forge them.
import { headers } from "next/headers";
import type { SessionUser } from "../auth/auth-service";
import { CLIENT_IP_HEADER, decodeUserHeader, USER_HEADER } from "./gate-headers";

export { SESSION_COOKIE } from "./gate-headers";

/** The signed-in user of this request, or null on a public route without a session. */
export async function sessionUser(): Promise<SessionUser | null> {
  const raw = (await headers()).get(USER_HEADER);
  return raw ? decodeUserHeader(raw) : null;
}

export async function clientIp(): Promise<string> {
  return (await headers()).get(CLIENT_IP_HEADER) ?? "unknown";
}
