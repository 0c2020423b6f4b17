import type { RedisSource } from "../redis/connect.js";
import { dangerFor } from "../redis/guard.js";
import type { Timeline } from "../engine/timeline.js";
import type { KeyClaim } from "../safety/claim.js";
import type { Style } from "../render/style.js";
import type { QuizContext, QuizIO } from "./types.js";

/**
 * What a quiz or a review asks its questions with. On a server the learner brought, a task
 * refuses what the sandbox would ask about (its questions go on the tool's own connection,
 * never into the learner's MULTI), and what it writes is recorded after each write, never
 * before (safety/claim.ts).
 */
export async function quizContext(source: RedisSource, timeline: Timeline, keys: string[], claim: KeyClaim, style: Style, io: QuizIO): Promise<QuizContext> {
  const observer = (): ReturnType<Timeline["observer"]> => timeline.observer();
  return {
    conn: source.conn,
    client: await timeline.client("A"),
    ctx: timeline.ctx,
    keys,
    style,
    io,
    ...(!source.server && {
      guard: (args: Buffer[]) => dangerFor(args, observer),
      wrote: async (k: readonly (string | Buffer)[]) => claim.wrote(await observer(), k),
      writing: () => claim.writing(keys),
    }),
  };
}
