// The hand-off between the composition root (server.ts) and Next's route handlers and pages.
// Next bundles those separately from server.ts, so the one shared instance travels on globalThis
// under a registered symbol; this file is the only place that touches it.
import type { AuthConfig } from "../env";
import type { ArchiveService } from "./archive/archive-service";
import type { StorageSettings } from "./archive/storage-settings";
import type { AuthService } from "./auth/auth-service";
import type { EnrollmentService } from "./fleet/enrollment-service";
import type { FleetService } from "./fleet/fleet-service";
import type { RateLimiter } from "./http/rate-limiter";

export type ControlPlane = {
  auth: AuthService;
  fleet: FleetService;
  archive: ArchiveService;
  storage: StorageSettings;
  enrollment: EnrollmentService;
  checks: { database(): Promise<void>; auth(): Promise<void> };
  limits: { enroll: RateLimiter; session: RateLimiter };
  authConfig: AuthConfig;
  session: { maxAgeMs: number; secure: boolean };
  /** The control plane's own base URL as bridges should dial it. */
  publicUrl(requestHost: string | null): string;
  bridgeBundlePath: string;
  installScriptPath: string;
};

const KEY = Symbol.for("nervesys.control-plane");
type Holder = { [KEY]?: ControlPlane };

export function provideControlPlane(controlPlane: ControlPlane): void {
  (globalThis as Holder)[KEY] = controlPlane;
}

export function controlPlane(): ControlPlane {
  const value = (globalThis as Holder)[KEY];
  if (!value) throw new Error("the control plane is not initialised: start it through server.ts");
  return value;
}
