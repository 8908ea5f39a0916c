// Secrets must not leave the server inside archived logs. Applied to each NDJSON line (JSON text,
// so newlines inside values are already escaped and a private key block is on one line).

/** [pattern, replacement, a string every match contains (lets a text without it skip the pattern)] */
const BUILT_IN: ReadonlyArray<[RegExp, string, string?]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----/g, "[REDACTED PRIVATE KEY]", "-----BEGIN "],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, "[REDACTED ACCESS KEY]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [REDACTED]"],
  // The costliest search (it starts at every word); "://" rules most texts out at once.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]+):[^\s@/"]+@/gi, "$1:[REDACTED]@", "://"],
  [
    /((?:password|passwd|secret|api[_-]?key|access[_-]?token|secret[_-]?key)\\?"?\s*[:=]\s*\\?"?)([^\s"\\,&}]+)/gi,
    "$1[REDACTED]",
  ],
  [/\bnvs_enr_[A-Za-z0-9_-]{43}\b/g, "[REDACTED TOKEN]", "nvs_enr_"],
];

/** Redacts a text of NDJSON lines (separated by "\n"), each line as if alone. */
export type Redactor = (text: string) => string;

type Rule = { pattern: RegExp; replacement: string; hint: string | null; testWholeText: boolean };

/** Built-in patterns plus any from configuration (regular expression sources, matched globally). */
export function createRedactor(extraPatterns: readonly string[] = []): Redactor {
  const rules = [
    ...BUILT_IN.map(([pattern, replacement, hint]) => rule(pattern, replacement, hint)),
    ...extraPatterns.map((source) => rule(new RegExp(source, "g"), "[REDACTED]")),
  ];
  return (text) => redactLines(text, rules);
}

/** The built-in patterns, for tests. */
export const BUILT_IN_PATTERNS: readonly RegExp[] = BUILT_IN.map(([pattern]) => pattern);

function rule(pattern: RegExp, replacement: string, hint?: string): Rule {
  return { pattern, replacement, hint: hint ?? null, testWholeText: searchableAsWholeText(pattern) };
}

/**
 * Without anchors or look-arounds, a pattern that matches in a line also matches in the text
 * holding that line (a line's edges and "\n" are alike to \b), so one search of the whole text can
 * rule the pattern out for every line. Scanned outside character classes, escapes skipped.
 */
export function searchableAsWholeText({ source, flags }: RegExp): boolean {
  if (flags.includes("y")) return false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "^" || c === "$") return false;
    else if (c === "(" && source[i + 1] === "?" && /^\(\?<?[=!]/.test(source.slice(i))) return false;
  }
  return true;
}

/** Applies every rule to every line of `text` (lines separated by "\n"), rule after rule. */
function redactLines(text: string, rules: readonly Rule[]): string {
  let out = text;
  for (const rule of rules) {
    if (rule.hint !== null && !out.includes(rule.hint)) continue;
    if (rule.testWholeText) {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(out)) continue;
    }
    if (!out.includes("\n")) {
      out = out.replace(rule.pattern, rule.replacement);
      continue;
    }
    const lines = out.split("\n");
    for (let i = 0; i < lines.length; i++) lines[i] = (lines[i] as string).replace(rule.pattern, rule.replacement);
    out = lines.join("\n");
  }
  return out;
}
