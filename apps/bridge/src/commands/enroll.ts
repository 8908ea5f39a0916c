// `nervesys-bridge enroll --url URL --token TOKEN`: trade a one-time token for a server identity.
import { generateSigningKeyPair } from "@nervesys/core/crypto";
import { EnrollmentToken, EnrollResponse } from "@nervesys/core/protocol";
import { isoTimestamp } from "@nervesys/core/time";
import { hostFingerprint } from "../identity/fingerprint";
import type { IdentityStore } from "../identity/identity-store";
import { BRIDGE_VERSION } from "../version";

export type EnrollOptions = { url: string; token: string; force: boolean };
export type CommandResult = { ok: true; message: string } | { ok: false; error: string };

function normaliseUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

async function errorMessageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not our JSON error shape
  }
  return `control plane answered HTTP ${response.status}`;
}

export async function enroll(store: IdentityStore, options: EnrollOptions): Promise<CommandResult> {
  const url = normaliseUrl(options.url);
  if (!url) return { ok: false, error: `--url must be an http(s) URL of the control plane, got "${options.url}"` };
  if (!EnrollmentToken.safeParse(options.token).success) {
    return { ok: false, error: "--token is not a Nervesys enrollment token (it starts with nvs_enr_)" };
  }
  if (!options.force && (await store.exists())) {
    return { ok: false, error: `already enrolled (${store.identityPath}); pass --force to enroll again` };
  }

  const keys = generateSigningKeyPair();
  let response: Response;
  try {
    response = await fetch(new URL("/api/enroll", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: options.token,
        publicKey: keys.publicKey,
        fingerprint: hostFingerprint(),
        version: BRIDGE_VERSION,
      }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { ok: false, error: `cannot reach the control plane at ${url.origin}: ${cause}` };
  }
  if (!response.ok) return { ok: false, error: `enrollment refused: ${await errorMessageOf(response)}` };

  const body = EnrollResponse.safeParse(await response.json().catch(() => null));
  if (!body.success) return { ok: false, error: "the control plane sent an unexpected enrollment answer" };
  await store.save(
    {
      serverId: body.data.serverId,
      serverName: body.data.serverName,
      controlPlaneUrl: url.origin,
      controlPlanePublicKey: body.data.controlPlanePublicKey,
      heartbeatIntervalSeconds: body.data.heartbeatIntervalSeconds,
      enrolledAt: isoTimestamp(),
    },
    keys.privateKeyPem,
  );
  return {
    ok: true,
    message: `enrolled as "${body.data.serverName}" (${body.data.serverId}); start it with: nervesys-bridge run`,
  };
}
