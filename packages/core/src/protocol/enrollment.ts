// The HTTP exchange of `nervesys-bridge enroll` with POST /api/enroll.
import * as z from "zod/mini";

export const ENROLLMENT_TOKEN_PREFIX = "nvs_enr_";
export const ENROLLMENT_TOKEN_TTL_MS = 15 * 60 * 1000;

export const EnrollmentToken = z
  .string()
  .check(z.regex(/^nvs_enr_[A-Za-z0-9_-]{43}$/, "is not a Nervesys enrollment token"));

export const EnrollRequest = z.object({
  token: EnrollmentToken,
  /** Raw Ed25519 public key, base64url (32 bytes). */
  publicKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url Ed25519 public key")),
  fingerprint: z.object({
    hostname: z.string().check(z.minLength(1), z.maxLength(255)),
    machineId: z.optional(z.string().check(z.maxLength(128))),
    platform: z.string().check(z.maxLength(32)),
    arch: z.string().check(z.maxLength(32)),
  }),
  version: z.string().check(z.minLength(1), z.maxLength(40)),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  serverId: z.uuid(),
  serverName: z.string(),
  controlPlanePublicKey: z.string(),
  heartbeatIntervalSeconds: z.int().check(z.minimum(5)),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const EnrollErrorCode = z.enum([
  "invalid_request",
  "token_unknown",
  "token_expired",
  "token_used",
  "rate_limited",
]);
export type EnrollErrorCode = z.infer<typeof EnrollErrorCode>;
