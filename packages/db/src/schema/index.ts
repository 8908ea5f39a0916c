export * from "./agent-status";
export * from "./archive-objects";
export * from "./bridge-keys";
export * from "./enrollment-tokens";
export * from "./servers";
export * from "./users";
export * from "./vault-secrets";
