// Names shared by the gate (server.ts side) and the readers inside Next; no Next imports here,
// because server.ts is bundled outside Next.
import type { SessionUser } from "../auth/auth-service";

export const USER_HEADER = "x-nervesys-user";
export const CLIENT_IP_HEADER = "x-nervesys-client-ip";
export const SESSION_COOKIE = "__session";

export function encodeUserHeader(user: SessionUser): string {
  return encodeURIComponent(JSON.stringify(user));
}

export function decodeUserHeader(value: string): SessionUser {
  return JSON.parse(decodeURIComponent(value)) as SessionUser;
}
