// Secrets must not leave the server inside archived logs. Applied to each NDJSON line (JSON text,
// so newlines inside values are already escaped and a private key block is on one line).

const BUILT_IN: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----/g, "[REDACTED PRIVATE KEY]"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, "[REDACTED ACCESS KEY]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [REDACTED]"],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]+):[^\s@/"]+@/gi, "$1:[REDACTED]@"],
  [
    /((?:password|passwd|secret|api[_-]?key|access[_-]?token|secret[_-]?key)\\?"?\s*[:=]\s*\\?"?)([^\s"\\,&}]+)/gi,
    "$1[REDACTED]",
  ],
  [/\bnvs_enr_[A-Za-z0-9_-]{43}\b/g, "[REDACTED TOKEN]"],
];

export type Redactor = (line: string) => string;

/** Built-in patterns plus any from configuration (regular expression sources, matched globally). */
export function createRedactor(extraPatterns: readonly string[] = []): Redactor {
  const rules: Array<[RegExp, string]> = [
    ...BUILT_IN,
    ...extraPatterns.map((source): [RegExp, string] => [new RegExp(source, "g"), "[REDACTED]"]),
  ];
  return (line) => {
    let out = line;
    for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement);
    return out;
  };
}
