// A bridge enrolls with a one-time token (no session: the token is the credential).
import { EnrollRequest } from "@nervesys/core/protocol";
import { controlPlane } from "@/server/context";
import { apiError, readJson } from "@/server/http/api-response";
import { clientIp } from "@/server/http/request-context";

export async function POST(request: Request): Promise<Response> {
  const cp = controlPlane();
  if (!cp.limits.enroll.take(await clientIp())) {
    return apiError(429, "rate_limited", "too many enrollment attempts from this address; wait a minute");
  }
  const body = await readJson(request, EnrollRequest);
  if (!body.ok) return body.response;
  const result = await cp.enrollment.enroll(body.data);
  if (!result.ok) return apiError(result.code === "token_unknown" ? 401 : 410, result.code, result.message);
  return Response.json(result.value);
}
