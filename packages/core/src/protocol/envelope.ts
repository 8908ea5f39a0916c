// The wire envelope shared by every WebSocket endpoint: `{ v, type, data }`. Parsing never throws;
// a bad frame becomes a `ParseFailure` the caller answers with an error or a close.
//
// Protocol schemas use zod/mini, whose schemas are plain objects: classic zod gives every schema
// instance its own set of method closures, which an idle bridge, holding them all for its whole
// life, paid for in resident memory (see `npm run bench -- bridge-footprint`). Its English
// messages are loaded here, as classic zod does by itself.
import * as z from "zod/mini";
import { en } from "zod/v4/locales";

z.config(en());

export const PROTOCOL_VERSION = 1;
/** Frames larger than this are refused before JSON parsing. */
export const MAX_FRAME_BYTES = 64 * 1024;

export type Catalog = Record<string, z.ZodMiniType>;

export type MessageOf<C extends Catalog> = {
  [K in keyof C & string]: { v: typeof PROTOCOL_VERSION; type: K; data: z.output<C[K]> };
}[keyof C & string];

export type ParseErrorCode =
  | "frame_too_large"
  | "malformed_json"
  | "bad_envelope"
  | "unsupported_version"
  | "unknown_type"
  | "invalid_payload";

export type ParseFailure = { ok: false; error: { code: ParseErrorCode; message: string } };
export type ParseResult<C extends Catalog> = { ok: true; message: MessageOf<C> } | ParseFailure;

const Envelope = z.object({
  v: z.int(),
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  data: z.unknown(),
});

/** UTF-8 size, without Buffer so the dashboard can parse frames in the browser too. */
function byteLength(text: string): number {
  return text.length * 3 <= MAX_FRAME_BYTES ? text.length : new TextEncoder().encode(text).byteLength;
}

function fail(code: ParseErrorCode, message: string): ParseFailure {
  return { ok: false, error: { code, message } };
}

/** Parses one text frame against a catalog of message types. */
export function parseMessage<C extends Catalog>(catalog: C, frame: string): ParseResult<C> {
  if (byteLength(frame) > MAX_FRAME_BYTES) {
    return fail("frame_too_large", `frame exceeds ${MAX_FRAME_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return fail("malformed_json", "frame is not valid JSON");
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) {
    return fail("bad_envelope", "frame must be an object { v, type, data }");
  }
  const { v, type, data } = envelope.data;
  if (v !== PROTOCOL_VERSION) {
    return fail("unsupported_version", `protocol version ${v} is not supported (expected ${PROTOCOL_VERSION})`);
  }
  const schema = Object.hasOwn(catalog, type) ? catalog[type] : undefined;
  if (!schema) {
    return fail("unknown_type", `unknown message type "${type}"`);
  }
  const payload = schema.safeParse(data);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "data";
    return fail("invalid_payload", `invalid ${type}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return { ok: true, message: { v: PROTOCOL_VERSION, type, data: payload.data } as MessageOf<C> };
}

/** Serialises a message of a catalog; the type parameter keeps `data` honest at compile time. */
export function encodeMessage<C extends Catalog, K extends keyof C & string>(
  _catalog: C,
  type: K,
  data: z.input<C[K]>,
): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, type, data });
}
