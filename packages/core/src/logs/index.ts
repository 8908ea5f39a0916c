export * from "./archived-line";
export * from "./log-record";
