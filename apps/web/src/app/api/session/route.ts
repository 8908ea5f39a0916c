// Sign-in and sign-out: a fresh Firebase ID token becomes an httpOnly session cookie.
import { cookies } from "next/headers";
import { z } from "zod";
import { controlPlane } from "@/server/context";
import { apiError, readJson } from "@/server/http/api-response";
import { clientIp, SESSION_COOKIE, sessionUser } from "@/server/http/request-context";

const SessionRequest = z.object({ idToken: z.string().min(1).max(8192) });

export async function POST(request: Request): Promise<Response> {
  const cp = controlPlane();
  if (!cp.limits.session.take(await clientIp())) {
    return apiError(429, "rate_limited", "too many sign-in attempts; wait a minute and try again");
  }
  const body = await readJson(request, SessionRequest);
  if (!body.ok) return body.response;
  const session = await cp.auth.createSession(body.data.idToken);
  if (!session) return apiError(401, "unauthenticated", "the sign-in token is invalid or too old; sign in again");
  (await cookies()).set(SESSION_COOKIE, session.cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: cp.session.secure,
    path: "/",
    maxAge: Math.floor(cp.session.maxAgeMs / 1000),
  });
  return Response.json({ user: { email: session.user.email } });
}

/** Signs out everywhere: the cookie is cleared and the account's sessions are revoked. */
export async function DELETE(): Promise<Response> {
  const user = await sessionUser();
  if (user) await controlPlane().auth.revoke(user);
  (await cookies()).delete(SESSION_COOKIE);
  return new Response(null, { status: 204 });
}
