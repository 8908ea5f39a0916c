export * from "./bridge";
export * from "./dashboard";
export * from "./enrollment";
export * from "./envelope";
