import { describe, expect, it } from "vitest";
import { applyKey, emptyState, replaceWord, type EditorState, type Key } from "../../src/sandbox/editor.js";

const HISTORY = ["SET a 1", "GET a", "LPUSH q x", "GET b"];
const type = (text: string): Key[] => Array.from(text).map((c) => ({ sequence: c, name: /[a-z]/.test(c) ? c : undefined }));
const ctrl = (name: string): Key => ({ ctrl: true, name });
const key = (name: string): Key => ({ name });

function run(keys: Key[], start: EditorState = emptyState(HISTORY)): { state: EditorState; last: string } {
  let state = start;
  let last = "none";
  for (const k of keys) {
    const [next, action] = applyKey(state, k, HISTORY);
    state = next;
    last = action.type === "submit" ? `submit:${action.line}` : action.type;
  }
  return { state, last };
}

describe("the line editor", () => {
  it.each<[string, Key[], string, number]>([
    ["types text", type("GET k"), "GET k", 5],
    ["moves left and inserts", [...type("GE k"), key("left"), key("left"), ...type("T")], "GET k", 3],
    ["deletes backwards", [...type("GETT"), key("backspace")], "GET", 3],
    ["Ctrl-A and Ctrl-E go to the ends", [...type("ET"), ctrl("a"), ...type("G"), ctrl("e"), ...type(" k")], "GET k", 5],
    ["Ctrl-U clears before the cursor", [...type("GET k"), ctrl("u")], "", 0],
    ["Ctrl-K clears after the cursor", [...type("GET k"), key("home"), key("right"), ctrl("k")], "G", 1],
    ["Ctrl-W deletes a word", [...type("SET key value"), ctrl("w")], "SET key ", 8],
    ["Up recalls the newest history line", [key("up")], "GET b", 5],
    ["Up twice goes further back", [key("up"), key("up")], "LPUSH q x", 9],
    ["Down returns to the draft", [...type("DRA"), key("up"), key("down")], "DRA", 3],
    ["Ctrl-R finds the newest match", [ctrl("r"), ...type("GET")], "GET b", 5],
    ["Ctrl-R again finds an older one", [ctrl("r"), ...type("GET"), ctrl("r")], "GET a", 5],
    ["Escape leaves the search with the line as it was", [...type("x"), ctrl("r"), ...type("LP"), key("escape")], "x", 1],
    ["a movement key accepts the match", [ctrl("r"), ...type("LP"), key("end"), ...type(" y")], "LPUSH q x y", 11],
    ["keeps multi-byte characters whole", [...type("SET k é日"), key("backspace")], "SET k é", 7],
  ])("%s", (_name, keys, line, cursor) => {
    const { state } = run(keys);
    expect(state.line).toBe(line);
    expect(state.cursor).toBe(cursor);
  });

  it.each<[string, Key[], string]>([
    ["Enter submits", [...type("PING"), key("return")], "submit:PING"],
    ["Enter during a search submits the match", [ctrl("r"), ...type("LP"), key("return")], "submit:LPUSH q x"],
    ["Ctrl-D on an empty line ends input", [ctrl("d")], "eof"],
    ["Ctrl-D with text deletes instead", [...type("ab"), key("left"), ctrl("d")], "render"],
    ["Ctrl-C interrupts", [...type("ab"), ctrl("c")], "interrupt"],
    ["Tab asks for completion", [...type("LMO"), key("tab")], "complete"],
    ["Ctrl-L clears the screen", [ctrl("l")], "clear-screen"],
  ])("%s", (_name, keys, last) => {
    expect(run(keys).last).toBe(last);
  });

  it("replaces the word before the cursor with a completion", () => {
    const { state } = run(type("lmo"));
    expect(replaceWord(state, 0, "LMOVE ")).toMatchObject({ line: "LMOVE ", cursor: 6 });
  });
});
