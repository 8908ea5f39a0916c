// The HTTP side of local ingest, for programs that cannot write to a UNIX socket: POST /v1/logs on
// 127.0.0.1 only, with the bearer token of ingest-token.ts. Web pages must not reach it, so requests
// with an Origin or a foreign Host are refused before the token is even looked at.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type IngestDeps, parseRecordBody, storeRecords } from "./ingest-records";
import { bearerMatches, INGEST_TOKEN_FILE } from "./ingest-token";

export const INGEST_HTTP_PATH = "/v1/logs";
export const MAX_INGEST_BODY_BYTES = 1024 * 1024;
/** Errors listed in one response; the rejected count covers all of them. */
export const MAX_LISTED_ERRORS = 20;

type ErrorCode =
  | "forbidden"
  | "unauthorized"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "invalid_json"
  | "no_valid_records"
  | "unavailable"
  | "internal";

export type HttpListener = { port: number; close(): Promise<void> };

/** Where to listen (0 picks a free port) and the token every request must carry. */
export type HttpIngestOptions = { port: number; token: string };

export async function listenOnHttp({ port, token }: HttpIngestOptions, deps: IngestDeps): Promise<HttpListener> {
  let boundPort = port;
  const server = http.createServer((request, response) => {
    handleRequest(request, response, { port: boundPort, token }, deps).catch((error: unknown) => {
      const err = error instanceof Error ? error.message : String(error);
      // A client that hung up mid-body is its own problem; anything else is ours.
      if (request.destroyed) return deps.logger.debug({ err }, "ingest request aborted");
      deps.logger.error({ err }, "ingest request failed");
      if (!response.headersSent) sendError(response, 500, "internal", "the bridge failed to handle the request");
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new Error(`cannot serve log ingest on 127.0.0.1:${port}: ${error.message}`)),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  boundPort = (server.address() as AddressInfo).port;
  return {
    port: boundPort,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handleRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: HttpIngestOptions,
  deps: IngestDeps,
): Promise<void> {
  const refusal = refusalOf(request, options);
  if (refusal) {
    // Its body is never read: closing the connection keeps a client from streaming one in anyway.
    response.setHeader("connection", "close");
    for (const [name, value] of Object.entries(refusal.headers ?? {})) response.setHeader(name, value);
    return sendError(response, refusal.status, refusal.code, refusal.message);
  }
  const body = await readBody(request, MAX_INGEST_BODY_BYTES);
  if (body === null) {
    response.setHeader("connection", "close");
    return sendError(response, 413, "payload_too_large", `send at most ${MAX_INGEST_BODY_BYTES} bytes per request`);
  }
  const parsed = parseRecordBody(body, deps.now);
  if (!parsed.ok) return sendError(response, 400, "invalid_json", parsed.error);
  const { records, errors } = parsed;
  const summary = { stored: 0, rejected: errors.length, errors: errors.slice(0, MAX_LISTED_ERRORS) };
  if (records.length === 0) {
    const message = "no valid record in the body: see errors";
    return sendJson(response, 400, { ...summary, error: { code: "no_valid_records", message } });
  }
  const failure = storeRecords(records, deps);
  if (failure !== null) return sendError(response, 503, "unavailable", failure);
  sendJson(response, 200, { ...summary, stored: records.length });
}

type Refusal = { status: number; code: ErrorCode; message: string; headers?: Record<string, string> };

/** Why a request is answered without reading its body, or null: who sends, then the token, then the route. */
function refusalOf(request: http.IncomingMessage, { port, token }: HttpIngestOptions): Refusal | null {
  const outsider = outsiderRefusal(request, port);
  if (outsider) return { status: 403, code: "forbidden", message: outsider };
  if (!bearerMatches(request.headers.authorization, token)) {
    const message = `send Authorization: Bearer with the token in the bridge's ${INGEST_TOKEN_FILE} file`;
    return {
      status: 401,
      code: "unauthorized",
      message,
      headers: { "www-authenticate": 'Bearer realm="nervesys-ingest"' },
    };
  }
  if (request.url?.split("?")[0] !== INGEST_HTTP_PATH) {
    return { status: 404, code: "not_found", message: `the only endpoint is POST ${INGEST_HTTP_PATH}` };
  }
  if (request.method !== "POST") {
    return {
      status: 405,
      code: "method_not_allowed",
      message: `use POST ${INGEST_HTTP_PATH}`,
      headers: { allow: "POST" },
    };
  }
  return null;
}

/** Why the sender may not log here at all, or null. Only local programs may, never a web page in a browser. */
function outsiderRefusal(request: http.IncomingMessage, port: number): string | null {
  if (!isLoopback(request.socket.remoteAddress)) return "only local programs may send logs";
  if (request.headers.origin !== undefined) return "requests from web pages (with an Origin header) are refused";
  // A DNS-rebinding page reaches 127.0.0.1 under its own host name, which it cannot hide from Host.
  const host = request.headers.host?.toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return `the Host header must be 127.0.0.1:${port} or localhost:${port}`;
  }
  return null;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address.startsWith("127.") || address.startsWith("::ffff:127.") || address === "::1";
}

/** The body as text, or null once it is larger than `limit` bytes (the rest is not read). */
function readBody(request: http.IncomingMessage, limit: number): Promise<string | null> {
  if (Number(request.headers["content-length"] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Not destroyed: the socket must stay open to carry the 413.
      request.off("data", onData);
      request.pause();
      resolve(null);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, size).toString("utf8")));
    request.once("error", reject);
  });
}

function sendError(response: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(response, status, { error: { code, message } });
}

function sendJson(response: http.ServerResponse, status: number, body: object): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}
