// Where better-sqlite3's compiled addon is. Run from source (tests, tsx) the package finds its own;
// the bundled bridge loads the copy installed beside the bundle (see scripts/build.mjs).
import path from "node:path";

declare const __NERVESYS_BUNDLE__: boolean | undefined;

export const SQLITE_ADDON_FILE = "better_sqlite3.node";

export function sqliteNativeBinding(): string | undefined {
  return typeof __NERVESYS_BUNDLE__ !== "undefined" ? path.join(__dirname, SQLITE_ADDON_FILE) : undefined;
}
