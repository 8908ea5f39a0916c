import { controlPlane } from "@/server/context";

const CHECK_TIMEOUT_MS = 3_000;

async function check(run: () => Promise<void>): Promise<string> {
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS)),
    ]);
    return "ok";
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

/** Readiness: the database and the auth back end answer; 503 when either does not. */
export async function GET(): Promise<Response> {
  const { checks } = controlPlane();
  const [database, auth] = await Promise.all([check(checks.database), check(checks.auth)]);
  const ready = database === "ok" && auth === "ok";
  return Response.json(
    { status: ready ? "ready" : "unavailable", checks: { database, auth } },
    { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
