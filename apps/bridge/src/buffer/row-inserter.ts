// Inserts records into `logs` in one transaction, many rows per INSERT statement: a statement step
// carries a fixed cost (binding, VDBE start-up, the call from JavaScript) that one row per step pays
// in full. Measured with `npm run bench -- buffer-ingest`.
import type { LogRecord } from "@nervesys/core/logs";
import type Database from "better-sqlite3";

const ROWS_PER_INSERT = 20;
const COLUMNS = 6;

export class RowInserter {
  private readonly one: Database.Statement;
  private readonly many: Database.Statement;
  private readonly args: unknown[] = new Array(ROWS_PER_INSERT * COLUMNS);
  /** Inserts `records[start..end)`, all or nothing (a savepoint when already inside a transaction). */
  readonly insert: (records: readonly LogRecord[], start: number, end: number) => void;

  constructor(db: Database.Database) {
    const insert = "INSERT INTO logs (timestamp, level, agent_id, action, message, context) VALUES ";
    const values = "(?, ?, ?, ?, ?, ?)";
    this.one = db.prepare(insert + values);
    this.many = db.prepare(insert + Array(ROWS_PER_INSERT).fill(values).join(", "));
    this.insert = db.transaction((records: readonly LogRecord[], start: number, end: number) => {
      let i = start;
      for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) this.insertMany(records, i);
      for (; i < end; i++) {
        const r = records[i]!;
        this.one.run(r.timestamp, r.level, r.agent, r.action, r.message, r.context);
      }
    });
  }

  private insertMany(records: readonly LogRecord[], from: number): void {
    const args = this.args;
    for (let j = 0; j < ROWS_PER_INSERT; j++) {
      const r = records[from + j]!;
      const at = j * COLUMNS;
      args[at] = r.timestamp;
      args[at + 1] = r.level;
      args[at + 2] = r.agent;
      args[at + 3] = r.action;
      args[at + 4] = r.message;
      args[at + 5] = r.context;
    }
    this.many.run(args);
  }
}
