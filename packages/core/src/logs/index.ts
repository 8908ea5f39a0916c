export * from "./log-record";
