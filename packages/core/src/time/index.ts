export * from "./iso-timestamp";
