import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  transpilePackages: ["@nervesys/core"],
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "firebase-admin", "pino", "ws"],
};

export default config;
