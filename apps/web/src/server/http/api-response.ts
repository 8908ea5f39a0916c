// JSON responses and request bodies for the REST API: errors carry a stable code and a sentence
// that says what to do; a bad body changes nothing.
import * as z from "zod";
import type { SessionUser } from "../auth/auth-service";
import { sessionUser } from "./request-context";

export type ErrorCode =
  | "unauthenticated"
  | "not_found"
  | "invalid_json"
  | "invalid_request"
  | "payload_too_large"
  | "rate_limited"
  | "token_unknown"
  | "token_expired"
  | "token_used"
  | "unavailable";

export function apiError(status: number, code: ErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

export const notFound = () => apiError(404, "not_found", "no such server");

const MAX_BODY_BYTES = 16 * 1024;

/** Reads and validates a JSON body (zod or zod/mini schema); on failure returns the error Response to send. */
export async function readJson<S extends z.core.$ZodType>(
  request: Request,
  schema: S,
): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  const text = declared > MAX_BODY_BYTES ? "" : await request.text();
  if (declared > MAX_BODY_BYTES || Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return {
      ok: false,
      response: apiError(413, "payload_too_large", `request body must be under ${MAX_BODY_BYTES} bytes`),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "request body must be JSON") };
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return { ok: false, response: apiError(400, "invalid_request", `${field}${issue?.message ?? "invalid request"}`) };
  }
  return { ok: true, data: parsed.data };
}

/** The session user, or the 401 to send (the gate normally answers before a handler runs). */
export async function requireUser(): Promise<{ ok: true; user: SessionUser } | { ok: false; response: Response }> {
  const user = await sessionUser();
  return user ? { ok: true, user } : { ok: false, response: apiError(401, "unauthenticated", "sign in first") };
}
