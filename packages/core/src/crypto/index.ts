export * from "./ed25519";
export * from "./tokens";
