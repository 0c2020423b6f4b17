/**
 * What a snippet is given, in the order its function takes them. The syntax check and
 * the runner wrap a snippet with the same list, so that what one accepts the other runs
 * (`const redis = ...` is refused by both: the name is taken).
 */
export const SNIPPET_PARAMETERS = ["redis", "Redis", "connection", "bullmq", "console"] as const;

/** The runner imports BullMQ (a few hundred ms) only for snippets that name it. */
export function mentionsBullmq(code: string): boolean {
  return code.includes("bullmq");
}
