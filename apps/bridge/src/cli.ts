// nervesys-bridge: the command line of the bridge daemon (enroll | run | status).
import "./v8-flags"; // first: before anything else loads and the first garbage collection runs
import { parseArgs } from "node:util";
import { enroll } from "./commands/enroll";
import { log } from "./commands/log";
import { run } from "./commands/run";
import { status } from "./commands/status";
import { loadEnv } from "./env";
import { IdentityStore } from "./identity/identity-store";
import { createLogger } from "./logger";
import { OwnLogSink } from "./pipeline/own-logs";
import { ingestSocketPath } from "./sources/ingest-server";
import { BRIDGE_VERSION } from "./version";

const USAGE = `nervesys-bridge ${BRIDGE_VERSION}

Usage:
  nervesys-bridge enroll --url URL --token TOKEN [--force]   register this host with the control plane
  nervesys-bridge run                                        connect and report (the daemon)
  nervesys-bridge status                                     show identity and daemon state
  nervesys-bridge log [--level L] [--agent A] [--action X] [--context JSON] [MSG...]
                                                             send MSG, or each line of stdin, to the running daemon

Options:
  --data-dir DIR   where identity and key live (default: $NERVESYS_BRIDGE_HOME,
                   /var/lib/nervesys-bridge as root, ~/.nervesys-bridge otherwise)
  --help, --version`;

function fail(message: string, code = 1): number {
  process.stderr.write(`nervesys-bridge: ${message}\n`);
  return code;
}

// The lockfile pins an AWS SDK that supports Node 20, our floor; its notice that later releases
// will need Node 22 is for us (see the README), not for every start of every daemon.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv);
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = args;
  if (values.version) {
    process.stdout.write(`${BRIDGE_VERSION}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0 && command !== "log") return fail(`unexpected argument "${extra[0]}"\n\n${USAGE}`, 2);

  const env = loadEnv();
  const store = new IdentityStore(values["data-dir"] ?? env.dataDir);
  switch (command) {
    case "enroll": {
      if (!values.url || !values.token) return fail("enroll needs --url and --token", 2);
      const result = await enroll(store, { url: values.url, token: values.token, force: values.force ?? false });
      if (!result.ok) return fail(result.error);
      process.stdout.write(`${result.message}\n`);
      return 0;
    }
    case "status": {
      const result = await status(store);
      if (!result.ok) return fail(result.error);
      process.stdout.write(`${result.message}\n`);
      return 0;
    }
    case "run": {
      const ownLogs = new OwnLogSink();
      const logger = createLogger(env.logLevel, ownLogs);
      const daemon = await run(store, {
        logger,
        ownLogs,
        pingIntervalMs: env.pingIntervalMs,
        bufferCapBytes: env.bufferCapBytes,
        ingestHttpPort: env.ingestHttpPort,
        tails: env.tails,
      });
      if (!daemon.ok) return fail(daemon.error);
      await new Promise<void>((resolve) => {
        const shutdown = () => resolve();
        process.once("SIGINT", shutdown);
        process.once("SIGTERM", shutdown);
      });
      await daemon.stop();
      return 0;
    }
    case "log": {
      const { level, agent, action, context } = values;
      const message = extra.length > 0 ? extra.join(" ") : undefined;
      const socketPath = ingestSocketPath(values["data-dir"] ?? env.dataDir);
      const result = await log(socketPath, { level, agent, action, context, message }, process.stdin);
      return result.ok ? 0 : fail(result.error);
    }
    default:
      return fail(`unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      force: { type: "boolean" },
      level: { type: "string" },
      agent: { type: "string" },
      action: { type: "string" },
      context: { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => process.exit(fail(`unexpected error: ${(error as Error).stack ?? error}`)),
);
