export * from "./agent-status";
export * from "./bridge-keys";
export * from "./enrollment-tokens";
export * from "./servers";
export * from "./users";
