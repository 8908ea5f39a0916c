// How far each tailed file has been read. A position is saved in the same transaction as the
// lines it produced, so after a crash a file resumes exactly where its stored lines end.
import type Database from "better-sqlite3";
import type { TailPosition } from "../sources/file-tail";

export class TailPositions {
  private readonly sql: Record<"get" | "put" | "remove", Database.Statement>;

  constructor(private readonly db: Database.Database) {
    this.sql = {
      get: db.prepare("SELECT dev, ino, offset FROM tail_positions WHERE path = ?"),
      put: db.prepare(
        "INSERT INTO tail_positions (path, dev, ino, offset) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset",
      ),
      remove: db.prepare("DELETE FROM tail_positions WHERE path = ?"),
    };
  }

  get(path: string): TailPosition | null {
    return (this.sql.get.get(path) as TailPosition | undefined) ?? null;
  }

  /** Runs `store` (which appends the lines) and saves the position, all or nothing. */
  commit(path: string, position: TailPosition | null, store: () => void): void {
    this.db.transaction(() => {
      store();
      if (position) this.sql.put.run(path, position.dev, position.ino, position.offset);
      else this.sql.remove.run(path);
    })();
  }
}
