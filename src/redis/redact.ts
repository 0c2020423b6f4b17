/**
 * Passwords must never reach the screen, a log or a history file. Every secret the
 * program learns (from --url, REDIS_URL, AUTH typed in the sandbox) is registered
 * here, and every message on its way out passes through redact().
 */
const secrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  if (secret) {
    secrets.add(secret);
    // The percent-encoded form can show up when a URL is echoed back.
    secrets.add(encodeURIComponent(secret));
  }
}

export function redact(text: string): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join("***");
  }
  return out;
}

/** A URL fit to show: the password, if any, replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return redact(url).replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  }
}
