// Firebase sign-in on the server: trades a fresh ID token for a session cookie, verifies session
// cookies, and maps a Firebase account to our user row.
import { type Database, upsertUser } from "@nervesys/db";
import { type App, deleteApp, initializeApp } from "firebase-admin/app";
import { type Auth, getAuth } from "firebase-admin/auth";
import type { AuthConfig } from "../../env";

export type SessionUser = { userId: string; firebaseUid: string; email: string | null };

/** An ID token older than this cannot open a session: sign-in must be recent. */
const MAX_ID_TOKEN_AGE_S = 5 * 60;
const SESSION_CHECK_MS = 60_000;
const MAX_CACHED_SESSIONS = 10_000;

export class AuthService {
  private readonly app: App;
  private readonly auth: Auth;
  private readonly sessions = new Map<string, { user: SessionUser; until: number }>();

  constructor(
    private readonly config: AuthConfig,
    private readonly db: Database,
    private readonly sessionMaxAgeMs: number,
  ) {
    // firebase-admin finds the emulator through FIREBASE_AUTH_EMULATOR_HOST, which env.ts vetted.
    this.app = initializeApp({ projectId: config.projectId }, `nervesys-${Date.now()}`);
    this.auth = getAuth(this.app);
  }

  /** Verifies an ID token and returns a session cookie value, or null for a bad or stale token. */
  async createSession(idToken: string): Promise<{ cookie: string; user: SessionUser } | null> {
    let decoded: Awaited<ReturnType<Auth["verifyIdToken"]>>;
    try {
      decoded = await this.auth.verifyIdToken(idToken);
    } catch {
      return null;
    }
    if (Date.now() / 1000 - decoded.auth_time > MAX_ID_TOKEN_AGE_S) return null;
    const cookie = await this.auth.createSessionCookie(idToken, { expiresIn: this.sessionMaxAgeMs });
    const row = await upsertUser(this.db, { firebaseUid: decoded.uid, email: decoded.email ?? null });
    const user = { userId: row.id, firebaseUid: decoded.uid, email: row.email };
    this.remember(cookie, user);
    return { cookie, user };
  }

  /**
   * The user behind a session cookie, or null when it is missing, forged, expired or revoked.
   * Revocation is checked against the auth back end at most once a minute per session.
   */
  async verifySession(cookie: string | undefined): Promise<SessionUser | null> {
    if (!cookie || cookie.length > 4096) return null;
    const cached = this.sessions.get(cookie);
    if (cached && cached.until > Date.now()) return cached.user;
    let decoded: Awaited<ReturnType<Auth["verifySessionCookie"]>>;
    try {
      decoded = await this.auth.verifySessionCookie(cookie, true);
    } catch {
      this.sessions.delete(cookie);
      return null;
    }
    const row = await upsertUser(this.db, { firebaseUid: decoded.uid, email: decoded.email ?? null });
    const user = { userId: row.id, firebaseUid: decoded.uid, email: row.email };
    this.remember(cookie, user);
    return user;
  }

  /** Signs the account out everywhere: its refresh tokens and session cookies stop working. */
  async revoke(user: SessionUser): Promise<void> {
    await this.auth.revokeRefreshTokens(user.firebaseUid);
    for (const [cookie, entry] of this.sessions) {
      if (entry.user.firebaseUid === user.firebaseUid) this.sessions.delete(cookie);
    }
  }

  /** Readiness of the auth back end: the emulator's or Google's token endpoint answers. */
  async ping(): Promise<void> {
    const url =
      this.config.mode === "emulator"
        ? `http://${this.config.emulatorHost}/emulator/v1/projects/${this.config.projectId}/config`
        : "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`auth back end answered HTTP ${response.status}`);
  }

  async close(): Promise<void> {
    await deleteApp(this.app);
  }

  private remember(cookie: string, user: SessionUser): void {
    if (this.sessions.size >= MAX_CACHED_SESSIONS) this.sessions.clear();
    this.sessions.set(cookie, { user, until: Date.now() + SESSION_CHECK_MS });
  }
}
