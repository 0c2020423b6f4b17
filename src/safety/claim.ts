import type { Connection } from "../redis/connection.js";
import type { Target } from "../redis/target.js";
import { UserError } from "../errors.js";
import { restoreKeys, saveKeys, type Saved } from "../engine/key-restore.js";
import { onSignal } from "../lifecycle.js";
import type { Lesson } from "../lessons/schema.js";
import { digestKeys, type Digest } from "./digest.js";
import { changeRecord, newRunToken, processAliveRun, type KeyEntry, type RecordFile, type SavedCopy } from "./record.js";
import { createHash } from "node:crypto";

/**
 * The one rule for a server the learner brought (--url): redis-learn deletes a key only if
 * it wrote it, on this very server (same run_id), and the key still holds exactly what it
 * left there (the digest in the record, record.ts). Anything else is the learner's:
 *
 * - before the first write, a lesson key that exists and is not ours stops the lesson
 *   (or, with --force, is saved and put back when the run ends, however it ends);
 * - a key an unfinished run of ours left is deleted if it is unchanged; if it changed,
 *   the learner is asked (y/N, default keep) in a terminal, and it is kept otherwise;
 * - a key another run that is still going uses is never a leftover: that run is named;
 * - at the end, the keys this run wrote are deleted on the same terms.
 *
 * On the private server everything is ours and none of this applies.
 */
export interface KeyClaim {
  /** Keys that existed beforehand and are not ours (only with --force): put back at the end, never deleted. */
  foreign: Set<string>;
  /**
   * Call after each write of ours with the keys the command names: the lesson's keys among
   * them are recorded with what they now hold (read on `conn`, which must not be inside MULTI).
   */
  wrote(conn: Connection, keys: readonly (string | Buffer)[]): Promise<void>;
  /**
   * Call just before a write with the keys it names. Once the run is ending (a signal
   * arrived) it throws instead, so no write starts after the clean-up; and the clean-up
   * counts a write that was sent but not yet recorded as this run's.
   */
  writing(keys: readonly (string | Buffer)[]): void;
  /** Deletes what this run wrote and still holds what it left; puts back what --force changed. */
  release(conn: Connection): Promise<void>;
}

export interface ClaimOptions {
  private: boolean;
  force: boolean;
  /** INFO server's run_id. */
  runId?: string;
  env?: NodeJS.ProcessEnv;
  /** Asks whether to delete a key that changed since redis-learn wrote it; default: y/N in a terminal, keep otherwise. */
  ask?: (question: string) => Promise<boolean>;
  /** Where a kept key is reported; default stderr. */
  say?: (line: string) => void;
}

export function serverId(target: Target): string {
  return `${target.label}/${target.db}`;
}

const NOTHING: KeyClaim = { foreign: new Set(), wrote: async () => {}, writing: () => {}, release: async () => {} };

/** Thrown by KeyClaim.writing once the run is being cleaned up. */
export class RunEnding extends UserError {
  constructor() {
    super("stopped: the run is ending", 130);
  }
}

const names = (keys: readonly (string | Buffer)[]): string[] => [...new Set(keys.map((k) => (typeof k === "string" ? k : k.toString("utf8"))))];

/**
 * `keys` are the lesson's listed keys plus every key its commands name (worked out
 * from the key specs), so an unlisted key of the learner's is protected too. Writes the
 * record before anything is written to the server, so a state folder that cannot be
 * written stops the run first.
 */
export async function claimLessonKeys(conn: Connection, lesson: Lesson, keys: string[], target: Target, options: ClaimOptions): Promise<KeyClaim> {
  if (options.private) return NOTHING;
  const server = serverId(target);
  const env = options.env;
  const runId = options.runId;
  const ask = options.ask ?? askInTerminal;
  const say = options.say ?? ((line: string) => void process.stderr.write(`redis-learn: ${line}\n`));
  const token = newRunToken();
  const scope = new Set(keys);

  // 1. Register this run (and so check the record can be written at all) before any write.
  const seen = changeRecord(env, (record) => {
    const entry = record.servers[server];
    if (entry && entry.runId !== runId) delete record.servers[server];
    const busy = Object.entries(record.runs).find(([, r]) => r.server === server && processAliveRun(r) && r.keys.some((k) => scope.has(k)));
    if (busy) {
      const [, r] = busy;
      const key = r.keys.find((k) => scope.has(k)) as string;
      throw new UserError(
        `another redis-learn (pid ${r.pid}) is running a lesson with the key "${key}" on ${target.label} (db ${target.db}); nothing was changed. Wait for it to finish, or use another database (redis://${target.label}/15)`,
      );
    }
    const dead: { token: string; saved: SavedCopy[] }[] = [];
    for (const [t, r] of Object.entries(record.runs)) {
      if (processAliveRun(r)) continue;
      if (r.server === server && r.runId === runId && r.saved?.length) dead.push({ token: t, saved: r.saved });
      else if (!r.saved?.length || r.server === server) delete record.runs[t];
    }
    record.runs[token] = { pid: process.pid, server, ...(runId !== undefined && { runId }), keys: [...scope] };
    return { keys: { ...(record.servers[server]?.keys ?? {}) }, dead, runs: record.runs };
  });
  const endRun = (forget: Iterable<string> = []): void =>
    changeRecord(env, (record) => {
      delete record.runs[token];
      const entry = record.servers[server];
      if (!entry) return;
      for (const k of forget) delete entry.keys[k];
      if (!Object.keys(entry.keys).length) delete record.servers[server];
    });

  try {
    // 2. A --force run that was killed left copies of the learner's keys: put them back first.
    for (const d of seen.dead) {
      await putBack(conn, d.saved, { say, after: "an earlier run that did not finish" });
      changeRecord(env, (record) => void delete record.runs[d.token]);
    }

    // 3. Which of the lesson's keys exist, and whose they are.
    const exists = keys.length ? await conn.pipeline(keys.map((k) => ["EXISTS", k])) : [];
    const existing = keys.filter((_, i) => exists[i]?.type === "integer" && exists[i].value > 0n);
    const recorded = existing.filter((k) => seen.keys[k] !== undefined && !liveRun(seen.runs, (seen.keys[k] as KeyEntry).run));
    const now = await digestKeys(conn, recorded);
    const leftovers: string[] = [];
    const kept: string[] = [];
    for (const k of recorded) {
      const entry = seen.keys[k] as KeyEntry;
      const digest = now.get(k);
      if (digest === null) continue;
      if (entry.digest && digest === entry.digest) leftovers.push(k);
      else if (await ask(`"${k}" on ${target.label} (db ${target.db}) was written by an earlier redis-learn run that did not finish, and ${entry.digest ? "has changed since" : "its value was not recorded then, so it may have changed"}. Delete it?`)) leftovers.push(k);
      else kept.push(k);
    }
    for (const k of kept) say(`kept "${k}": it changed since redis-learn wrote it, so it is treated as yours`);
    if (leftovers.length) await conn.send(["DEL", ...leftovers]);
    const leftoverSet = new Set(leftovers);
    const foreign = existing.filter((k) => !leftoverSet.has(k));
    if (leftovers.length || kept.length) endRunKeys(env, server, [...leftovers, ...kept]);

    if (foreign.length && !options.force) {
      const key = foreign[0] as string;
      throw new UserError(
        `lesson "${lesson.id}" uses the key "${key}"${foreign.length > 1 ? ` (and ${foreign.length - 1} more)` : ""}, which already exists on ${target.label} ` +
          `(db ${target.db}) and was not created by redis-learn. Nothing was changed. Rename or delete it, use another database (redis://${target.label}/15), or pass --force`,
      );
    }
    const foreignSet = new Set(foreign);
    // 4. --force: the learner's keys are copied to the state folder before anything is written.
    let saved: Saved = { keys: [] };
    if (foreign.length) {
      saved = await saveKeys(conn, foreign.map((k) => Buffer.from(k, "utf8")), true);
      const copies: SavedCopy[] = saved.keys.map((s) => ({
        key: s.key.toString("utf8"),
        dump: (s.dump ?? Buffer.alloc(0)).toString("base64"),
        pttl: s.pttl,
        ...(s.expireAt !== undefined && { expireAt: s.expireAt }),
      }));
      if (copies.some((c) => !c.dump)) throw new UserError(`--force needs to copy the existing keys first, and the server would not DUMP "${foreign[0]}"; nothing was changed`);
      changeRecord(env, (record) => {
        const run = record.runs[token];
        if (run) run.saved = copies;
      });
    }

    const mine = new Map<string, string | null>();
    let released = false;
    /** Keys of a write that was sent and not yet recorded. */
    const inflight = new Set<string>();
    /** --force keys a write under way may change (see SavedCopy.pending). */
    const pending = new Set<string>();
    const claim: KeyClaim = {
      foreign: foreignSet,
      writing(touched) {
        if (released) throw new RunEnding();
        const keys = names(touched);
        for (const k of keys) if (scope.has(k) && !foreignSet.has(k)) inflight.add(k);
        // --force: a kill during this write must not leave the learner's key un-put-back.
        const forced = keys.filter((k) => foreignSet.has(k) && !pending.has(k));
        if (!forced.length) return;
        for (const k of forced) pending.add(k);
        changeRecord(env, (record) => {
          for (const copy of record.runs[token]?.saved ?? []) if (pending.has(copy.key)) copy.pending = true;
        });
      },
      async wrote(c, touched) {
        if (released) return;
        const ours = names(touched).filter((k) => scope.has(k));
        const digests = await digestKeys(c, ours);
        // The clean-up started meanwhile: it counted this write's keys (still in `inflight`).
        if (released) return;
        // Writes go one at a time: the one announced by writing() is done once its keys are
        // in `mine` (a clean-up that starts meanwhile still finds them in `inflight`).
        const settle = (): void => {
          if (!released) inflight.clear();
        };
        /** key → what it now holds (null: unreadable, never deleted unasked), or "gone". */
        const own = new Map<string, string | null | "gone">();
        const forced = new Map<string, string | null>();
        for (const [k, d] of digests) {
          if (foreignSet.has(k)) forced.set(k, d ?? null);
          else if (d === null) {
            // Gone (deleted by the lesson, or expired): it leaves the record.
            if (mine.delete(k)) own.set(k, "gone");
          } else {
            mine.set(k, d ?? null);
            own.set(k, d ?? null);
          }
        }
        settle();
        // Writes go one at a time: none is under way now.
        const wasPending = pending.size > 0;
        pending.clear();
        if (!own.size && !forced.size && !wasPending) return;
        changeRecord(env, (record) => {
          const entry = (record.servers[server] ??= { ...(runId !== undefined && { runId }), keys: {} });
          for (const [k, d] of own) {
            if (d === "gone") delete entry.keys[k];
            else entry.keys[k] = { digest: d, run: token };
          }
          if (!Object.keys(entry.keys).length) delete record.servers[server];
          for (const copy of record.runs[token]?.saved ?? []) {
            if (forced.has(copy.key)) copy.digest = forced.get(copy.key) ?? null;
            delete copy.pending;
          }
        });
      },
      release(c) {
        // One clean-up, however many ask for it (the signal handler, then the command's own
        // finally block): each waits for it to be done, so nothing exits half way through.
        releasing ??= cleanUp(c);
        return releasing;
      },
    };
    let releasing: Promise<void> | undefined;
    const cleanUp = async (c: Connection): Promise<void> => {
        released = true;
        stopSignal();
        const unrecorded = [...inflight].filter((k) => !mine.has(k));
        const written = [...mine.keys(), ...unrecorded];
        const now = await digestKeys(c, written);
        const remove: string[] = [];
        const kept: string[] = [];
        for (const k of written) {
          const d = now.get(k);
          if (d === null) continue;
          // A write of this run was under way as it was stopped: what the key holds now is ours
          // (it was ours already, or absent when the run began: the claim saw to that).
          if (inflight.has(k)) {
            remove.push(k);
            continue;
          }
          if (d !== undefined && mine.get(k) !== null && d === mine.get(k)) remove.push(k);
          else if (await ask(`"${k}" on ${target.label} (db ${target.db}) was written by this lesson and has changed since (by someone else?). Delete it?`)) remove.push(k);
          else kept.push(k);
        }
        for (const k of kept) say(`kept "${k}": it changed since redis-learn wrote it, so it is treated as yours`);
        if (remove.length) await c.send(["DEL", ...remove]);
        if (saved.keys.length) await restoreKeys(c, saved);
        endRun(written);
    };
    const stopSignal = onSignal(() => claim.release(conn));
    return claim;
  } catch (err) {
    endRun();
    throw err;
  }
}

function liveRun(runs: RecordFile["runs"], token: string): boolean {
  const run = runs[token];
  return run !== undefined && processAliveRun(run);
}

function endRunKeys(env: NodeJS.ProcessEnv | undefined, server: string, keys: string[]): void {
  changeRecord(env, (record) => {
    const entry = record.servers[server];
    if (!entry) return;
    for (const k of keys) delete entry.keys[k];
    if (!Object.keys(entry.keys).length) delete record.servers[server];
  });
}

/**
 * Puts back the copies a killed --force run kept, where the key still holds what that run
 * left (or is gone, as an expiry the lesson set makes it); a key changed since is kept.
 */
async function putBack(conn: Connection, copies: SavedCopy[], o: { say(line: string): void; after: string }): Promise<void> {
  const now = await digestKeys(conn, copies.map((c) => c.key));
  const back: Saved = { keys: [] };
  for (const copy of copies) {
    const dump = Buffer.from(copy.dump, "base64");
    const d = now.get(copy.key);
    const original = createHash("sha256").update(dump).digest("hex");
    if (copy.pending || d === null || d === original || (copy.digest && d === copy.digest)) {
      back.keys.push({ key: Buffer.from(copy.key, "utf8"), dump, pttl: copy.pttl, ...(copy.expireAt !== undefined && { expireAt: copy.expireAt }) });
    } else {
      o.say(`did not put back your "${copy.key}" as it was before ${o.after}: it has changed since, so it is kept as it is`);
    }
  }
  if (back.keys.length) await restoreKeys(conn, back);
}

/** y/N in a terminal, default keep; off a terminal, keep. */
async function askInTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const { confirm } = await import("@inquirer/prompts");
  try {
    return await confirm({ message: question, default: false });
  } catch {
    return false;
  }
}

export type { Digest };
