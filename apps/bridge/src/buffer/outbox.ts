// Messages for the control plane that must not be lost: upload reports and heartbeats taken while
// offline. They live in the buffer file, so a report can be queued in the same transaction that
// marks its batch uploaded, and leave only when the control plane acknowledges them.
import type Database from "better-sqlite3";

export type OutboxType = "archive.uploaded" | "heartbeat";
export type OutboxEntry = { id: number; type: OutboxType; data: unknown };

/** Heartbeats kept for backfill beyond this are dropped oldest first (about 41 hours at 30 s). */
export const MAX_QUEUED_HEARTBEATS = 5_000;

export class Outbox {
  private readonly sql: Record<"insert" | "after" | "remove" | "count" | "trimHeartbeats", Database.Statement>;

  constructor(db: Database.Database) {
    this.sql = {
      insert: db.prepare("INSERT INTO outbox (type, data) VALUES (?, ?)"),
      after: db.prepare("SELECT id, type, data FROM outbox WHERE id > ? ORDER BY id LIMIT ?"),
      remove: db.prepare("DELETE FROM outbox WHERE id = ?"),
      count: db.prepare("SELECT count(*) FROM outbox").pluck(),
      trimHeartbeats: db.prepare(
        `DELETE FROM outbox WHERE type = 'heartbeat' AND id <= (
           SELECT id FROM outbox WHERE type = 'heartbeat' ORDER BY id DESC LIMIT 1 OFFSET ${MAX_QUEUED_HEARTBEATS})`,
      ),
    };
  }

  add(type: OutboxType, data: unknown): number {
    const id = Number(this.sql.insert.run(type, JSON.stringify(data)).lastInsertRowid);
    if (type === "heartbeat") this.sql.trimHeartbeats.run();
    return id;
  }

  /** Up to `limit` entries after `afterId`, oldest first. */
  after(afterId: number, limit: number): OutboxEntry[] {
    const rows = this.sql.after.all(afterId, limit) as Array<{ id: number; type: OutboxType; data: string }>;
    return rows.map((row) => ({ id: row.id, type: row.type, data: JSON.parse(row.data) as unknown }));
  }

  acknowledge(id: number): void {
    this.sql.remove.run(id);
  }

  size(): number {
    return this.sql.count.get() as number;
  }
}
