import { describe, expect, it } from "vitest";
import { durationText, parseDuration } from "../../src/engine/time-skip.js";
import { waitText, WAIT_LIST } from "../../src/sandbox/time-meta.js";
import { undoText, UNDO_MAX_KEY_BYTES } from "../../src/sandbox/undo.js";

const b = (s: string): Buffer => Buffer.from(s);

describe("parseDuration reads a wait", () => {
  it.each<[string, number | undefined]>([
    ["500ms", 500],
    ["30s", 30_000],
    ["1.2s", 1200],
    ["10m", 600_000],
    ["1h", 3_600_000],
    [" 2M ", 120_000],
    ["30", undefined],
    ["1d", undefined],
    ["-5s", undefined],
    ["s", undefined],
    ["1e3s", undefined],
    ["", undefined],
  ])("%j → %j", (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe("durationText says it short", () => {
  it.each<[number, string]>([
    [500, "500ms"],
    [1000, "1s"],
    [59_600, "1m"],
    [90_000, "1m 30s"],
    [3_600_000, "1h"],
    [3_661_000, "1h 1m 1s"],
    [86_400_000, "1d"],
  ])("%d → %s", (ms, text) => expect(durationText(ms)).toBe(text));
});

describe("waitText lists what expired and what is left", () => {
  it.each<[string, Parameters<typeof waitText>[1], string]>([
    ["nothing with a TTL", { expired: [], left: [] }, "Time moved on 1m for keys with a TTL.\nNo key expired.\nNo key in this database has a TTL.\n"],
    ["one of each, nearest end first", { expired: [b("a")], left: [{ key: b("late"), pttl: 120_000 }, { key: b("soon"), pttl: 1000 }] }, 'Time moved on 1m for keys with a TTL.\nExpired: "a"\nStill counting down: "soon" (1s left), "late" (2m left)\n'],
    [
      "many expired, cut short",
      { expired: Array.from({ length: WAIT_LIST + 3 }, (_, i) => b(`k${String(i).padStart(2, "0")}`)), left: [] },
      `Time moved on 1m for keys with a TTL.\nExpired: "k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07", and 3 more\n`,
    ],
  ])("%s", (_name, skip, text) => expect(waitText("1m", skip)).toBe(text));
});

describe("undoText", () => {
  it.each<[string, Parameters<typeof undoText>[0], string]>([
    ["refused", { ok: false, message: "Nothing to undo." }, "Nothing to undo.\n"],
    ["put back", { ok: true, command: "DEL k", restored: [b("k")], tooBig: [] }, 'Undid DEL k: "k" as before it.\n'],
    ["a keyless command", { ok: true, command: "FLUSHDB", restored: [], tooBig: [] }, "FLUSHDB named no key to put back.\n"],
    ["a key it could not read", { ok: true, command: "SET k v", restored: [], tooBig: [], unreadable: [{ key: b("k"), why: "NOPERM" }] }, 'Not undone: nothing of SET k v could be kept.\n"k" could not be kept (NOPERM): left as it is.\n'],
    [
      "too big",
      { ok: true, command: "APPEND big x", restored: [], tooBig: [{ key: b("big"), bytes: 2_000_000 }] },
      `Not undone: nothing of APPEND big x could be kept.\n"big" was too big to keep (about 2,000,000 bytes; :undo keeps keys up to ${UNDO_MAX_KEY_BYTES.toLocaleString("en-US")}): left as it is.\n`,
    ],
  ])("%s", (_name, outcome, text) => expect(undoText(outcome)).toBe(text));
});
