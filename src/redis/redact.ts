import { printedForms, redactForms, urlSecrets } from "./redaction.js";
import { typedSecrets } from "./secret-args.js";

/**
 * Passwords must never reach the screen, a log or a history file. Every secret the
 * program learns (from --url, REDIS_URL, a password typed in the sandbox) is registered
 * here for the rest of the run, and every message on its way out passes through
 * redact(): errors (main.ts), notices, the sandbox's replies and its own output.
 * How text is redacted is redaction.ts's business.
 */
const secrets = new Set<string>();
/** Their printed forms (redaction.ts printedForms), sorted longest first when next needed. */
const forms = new Set<string>();
let sorted: string[] | undefined;

export function registerSecret(secret: string | undefined): void {
  if (!secret || secrets.has(secret)) return;
  secrets.add(secret);
  for (const form of printedForms(secret)) forms.add(form);
  sorted = undefined;
}

/** Registers whatever could be the password in a string given as a URL, before anyone parses it. */
export function registerUrlSecrets(raw: string | undefined): void {
  for (const s of urlSecrets(raw)) registerSecret(s);
}

/** Registers the passwords a typed command carries (AUTH, HELLO ... AUTH, CONFIG SET requirepass ...). */
export function registerTypedSecrets(args: readonly Buffer[]): void {
  for (const s of typedSecrets(args)) registerSecret(s);
}

/** Any text, with every known password and every URL's credentials replaced by ***. */
export function redact(text: string): string {
  sorted ??= [...forms].sort((a, b) => b.length - a.length);
  return redactForms(text, sorted);
}
