export {
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  defaultMigrationsFolder,
  openDatabase,
} from "./client";
export * from "./queries/archive";
export * from "./queries/enrollment";
export * from "./queries/servers";
export * from "./queries/telemetry";
export * from "./queries/users";
export * from "./queries/vault";
