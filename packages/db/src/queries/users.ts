import { sql } from "drizzle-orm";
import type { Database } from "../client";
import { users } from "../schema";

export type User = typeof users.$inferSelect;

/** Finds or creates the user row for a Firebase account, recording the sign-in. */
export async function upsertUser(db: Database, input: { firebaseUid: string; email: string | null }): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ firebaseUid: input.firebaseUid, email: input.email })
    .onConflictDoUpdate({
      target: users.firebaseUid,
      set: { email: input.email, lastSignInAt: sql`now()` },
    })
    .returning();
  if (!user) throw new Error("upsert returned no user");
  return user;
}
