import { readFile } from "node:fs/promises";
import { controlPlane } from "@/server/context";

/** The install script behind the dashboard's one-line `curl … | sudo bash` command. */
export async function GET(): Promise<Response> {
  const script = await readFile(controlPlane().installScriptPath);
  return new Response(script, {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "cache-control": "no-store" },
  });
}
