import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { applyKey, emptyState, type EditorAction, type EditorState, type Key } from "../../src/sandbox/editor.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";

/**
 * The line editor over random key sequences. Its unit of editing is the code point: a
 * character outside the BMP (emoji, rare CJK) is two UTF-16 units and must never be cut
 * in half. (Clusters of several code points, such as 👩‍👩‍👧 or e + U+0301, are edited
 * one code point at a time, as Node's readline does.)
 */
const cps = (s: string): string[] => Array.from(s);
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const TEXT = ["a", "b", "k", "G", "E", "T", " ", " ", "1", ":", '"', "é", "e\u0301", "日", "漢字", "😀", "👍🏽", "👩‍👩‍👧", "𝄞", "\u{20000}", "ab 😀 c"];
const typed = fc.constantFrom(...TEXT).map((text): Key => ({ sequence: text, name: /^[a-z]$/.test(text) ? text : undefined }));
const named = (name: string): Key => ({ name, sequence: "" });
const ctrl = (name: string): Key => ({ name, ctrl: true, sequence: String.fromCharCode(name.charCodeAt(0) - 96) });

const EDITING = ["backspace", "delete", "ctrl-d", "ctrl-h", "ctrl-u", "ctrl-k", "ctrl-w"];
const MOVING = ["left", "right", "home", "end", "ctrl-a", "ctrl-e", "ctrl-b", "ctrl-f"];
const HISTORY_KEYS = ["up", "down", "ctrl-p", "ctrl-n"];
/** Keys that do nothing to the line: Tab asks for completion, Ctrl-L clears the screen, the rest are ignored. */
const INERT = ["tab", "escape", "ctrl-l", "ctrl-x", "ctrl-z", "meta-b", "control-sequence", "paste-with-newline"];

function keyOf(name: string): Key {
  if (name.startsWith("ctrl-")) return ctrl(name.slice(5));
  if (name === "meta-b") return { name: "b", meta: true, sequence: "\x1bb" };
  if (name === "control-sequence") return { sequence: "\x1b[1;5A" };
  if (name === "paste-with-newline") return { sequence: "GET a\r\nGET b" };
  return named(name);
}

type Step = { kind: "typed"; key: Key } | { kind: string; key: Key; name: string };
const step = (names: string[]): fc.Arbitrary<Step> => fc.constantFrom(...names).map((name) => ({ kind: name, name, key: keyOf(name) }));
const keySequence = (withSearch: boolean): fc.Arbitrary<Step[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: typed.map((key): Step => ({ kind: "typed", key })) },
      { weight: 3, arbitrary: step(EDITING) },
      { weight: 3, arbitrary: step(MOVING) },
      { weight: 2, arbitrary: step(HISTORY_KEYS) },
      { weight: 1, arbitrary: step(INERT) },
      { weight: withSearch ? 2 : 0, arbitrary: step(["ctrl-r", "ctrl-r", "ctrl-g", "escape", "ctrl-c", "return"]) },
    ),
    { maxLength: 60, size: "large" },
  );
const history = fc.array(fc.array(fc.constantFrom(...TEXT), { maxLength: 5 }).map((parts) => parts.join("")), { maxLength: 6 });

const tally = new PropertyTally();
afterAll(() => console.log(tally.report("line editor")));

/** What each key must do to the line and the cursor, written from the keys' descriptions. */
function expectEdit(name: string, before: EditorState, after: EditorState, action: EditorAction, key: Key): void {
  const line = cps(before.line);
  const at = before.cursor;
  const now = cps(after.line);
  const same = (): void => expect(after.line).toBe(before.line);
  switch (name) {
    case "typed": {
      const text = cps(key.sequence ?? "");
      expect(after.line).toBe([...line.slice(0, at), ...text, ...line.slice(at)].join(""));
      expect(after.cursor).toBe(at + text.length);
      return;
    }
    case "backspace":
    case "ctrl-h":
      expect(after.line).toBe(at === 0 ? before.line : [...line.slice(0, at - 1), ...line.slice(at)].join(""));
      expect(after.cursor).toBe(Math.max(0, at - 1));
      return;
    case "delete":
      expect(after.line).toBe([...line.slice(0, at), ...line.slice(at + 1)].join(""));
      expect(after.cursor).toBe(at);
      return;
    case "ctrl-d":
      // On an empty line it ends the session; otherwise it deletes under the cursor.
      if (line.length === 0) expect(action.type).toBe("eof");
      else expect(after.line).toBe([...line.slice(0, at), ...line.slice(at + 1)].join(""));
      return;
    case "ctrl-u":
      expect(after.line).toBe(line.slice(at).join(""));
      expect(after.cursor).toBe(0);
      return;
    case "ctrl-k":
      expect(after.line).toBe(line.slice(0, at).join(""));
      expect(after.cursor).toBe(at);
      return;
    case "ctrl-w": {
      // What follows the cursor stays; what goes is one word and the spaces after it, back from the cursor.
      expect(now.slice(after.cursor).join("")).toBe(line.slice(at).join(""));
      const kept = now.slice(0, after.cursor).join("");
      const gone = line.slice(after.cursor, at).join("");
      expect(line.slice(0, after.cursor).join("")).toBe(kept);
      expect(gone).toMatch(/^[^ ]* *$/);
      if (kept !== "") expect(kept.endsWith(" ") || gone === "").toBe(true);
      if (/[^ ]/.test(line.slice(0, at).join(""))) expect(/[^ ]/.test(gone)).toBe(true);
      return;
    }
    case "left":
    case "ctrl-b":
      same();
      expect(after.cursor).toBe(Math.max(0, at - 1));
      return;
    case "right":
    case "ctrl-f":
      same();
      expect(after.cursor).toBe(Math.min(line.length, at + 1));
      return;
    case "home":
    case "ctrl-a":
      same();
      expect(after.cursor).toBe(0);
      return;
    case "end":
    case "ctrl-e":
      same();
      expect(after.cursor).toBe(line.length);
      return;
    default:
      if (INERT.includes(name)) {
        expect(after).toEqual(before);
        expect(["none", "complete", "clear-screen"]).toContain(action.type);
      }
  }
}

describe("the line editor over random key sequences (property)", () => {
  it("each key does what it says, the cursor stays on the line, and no character is ever cut in half", () => {
    fc.assert(
      fc.property(history, keySequence(false), (past, steps) => {
        tally.add("key sequences");
        let state = emptyState(past);
        // The line being typed before walking into history, as the learner left it.
        let draft: string | undefined;
        for (const { kind, key } of steps) {
          tally.add("keys");
          const before = state;
          const [after, action] = applyKey(state, key, past);
          state = after;
          expect(after.cursor >= 0 && after.cursor <= cps(after.line).length).toBe(true);
          expect(wellFormed(after.line)).toBe(true);
          if (HISTORY_KEYS.includes(kind)) {
            if (before.historyIndex === past.length && after.historyIndex < past.length) draft = before.line;
            if (after.historyIndex === past.length && before.historyIndex < past.length) {
              tally.add("returns to the line being typed");
              expect(after.line).toBe(draft);
            }
            if (after.historyIndex === before.historyIndex) {
              // At either end of the history: nothing moves.
              expect(after).toEqual(before);
              continue;
            }
            tally.add("moves through history");
            if (after.historyIndex < past.length) expect(after.line).toBe(past[after.historyIndex]);
            expect(after.cursor).toBe(cps(after.line).length);
          } else {
            expect(after.historyIndex).toBe(before.historyIndex);
            expectEdit(kind, before, after, action, key);
          }
        }
        const [, submitted] = applyKey(state, named("return"), past);
        expect(submitted).toEqual({ type: "submit", line: state.line });
      }),
      propertySettings(1000),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("with Ctrl-R searches, Ctrl-C and Enter mixed in: the cursor stays on the line, characters stay whole, Enter sends the line shown", () => {
    fc.assert(
      fc.property(history, keySequence(true), (past, steps) => {
        tally.add("key sequences with searches");
        let state = emptyState(past);
        let beforeSearch: string | undefined;
        for (const { kind, key } of steps) {
          const [after, action] = applyKey(state, key, past);
          expect(after.cursor >= 0 && after.cursor <= cps(after.line).length).toBe(true);
          expect(wellFormed(after.line)).toBe(true);
          if (!state.search && after.search) beforeSearch = state.line;
          // Ctrl-G or Escape leaves a search with the line as it was before it.
          if (state.search && !after.search && (kind === "ctrl-g" || kind === "escape")) {
            tally.add("searches abandoned");
            expect(after.line).toBe(beforeSearch);
          }
          if (action.type === "submit") {
            tally.add("lines submitted");
            expect(action.line).toBe(state.line);
          }
          state = after;
        }
      }),
      propertySettings(500),
    );
  }, PROPERTY_TIMEOUT_MS);
});
