/**
 * The line editor's state and what each key does to it. Pure: keys in, a new state
 * and an action out; the terminal layer draws and does I/O.
 */
export interface Key {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
}

export interface Search {
  query: string;
  /** Index into history of the current match, or -1. */
  match: number;
  /** The line as it was before the search began. */
  original: string;
}

export interface EditorState {
  line: string;
  cursor: number;
  /** Position while walking through history; history.length means "the new line". */
  historyIndex: number;
  /** The line being typed before walking into history. */
  draft: string;
  search?: Search;
}

export type EditorAction =
  | { type: "render" }
  | { type: "submit"; line: string }
  | { type: "eof" }
  | { type: "interrupt" }
  | { type: "complete" }
  | { type: "clear-screen" }
  | { type: "none" };

export function emptyState(history: readonly string[]): EditorState {
  return { line: "", cursor: 0, historyIndex: history.length, draft: "" };
}

const chars = (s: string): string[] => Array.from(s);

export function applyKey(state: EditorState, key: Key, history: readonly string[]): [EditorState, EditorAction] {
  if (state.search) return searchKey(state, state.search, key, history);
  const line = chars(state.line);
  const at = state.cursor;
  const set = (text: string[], cursor: number): [EditorState, EditorAction] => [
    { ...state, line: text.join(""), cursor: Math.max(0, Math.min(cursor, text.length)) },
    { type: "render" },
  ];
  const name = key.name;

  if (key.ctrl) {
    switch (name) {
      case "c":
        return [state, { type: "interrupt" }];
      case "d":
        if (line.length === 0) return [state, { type: "eof" }];
        return set([...line.slice(0, at), ...line.slice(at + 1)], at);
      case "a":
        return set(line, 0);
      case "e":
        return set(line, line.length);
      case "b":
        return set(line, at - 1);
      case "f":
        return set(line, at + 1);
      case "u":
        return set(line.slice(at), 0);
      case "k":
        return set(line.slice(0, at), at);
      case "w": {
        let start = at;
        while (start > 0 && line[start - 1] === " ") start--;
        while (start > 0 && line[start - 1] !== " ") start--;
        return set([...line.slice(0, start), ...line.slice(at)], start);
      }
      case "l":
        return [state, { type: "clear-screen" }];
      case "p":
        return historyMove(state, -1, history);
      case "n":
        return historyMove(state, 1, history);
      case "r":
        return searchKey({ ...state, search: { query: "", match: -1, original: state.line } }, { query: "", match: -1, original: state.line }, key, history);
      case "h":
        return set([...line.slice(0, Math.max(0, at - 1)), ...line.slice(at)], at - 1);
      default:
        return [state, { type: "none" }];
    }
  }

  switch (name) {
    case "return":
    case "enter":
      return [state, { type: "submit", line: state.line }];
    case "backspace":
      return set([...line.slice(0, Math.max(0, at - 1)), ...line.slice(at)], at - 1);
    case "delete":
      return set([...line.slice(0, at), ...line.slice(at + 1)], at);
    case "left":
      return set(line, at - 1);
    case "right":
      return set(line, at + 1);
    case "home":
      return set(line, 0);
    case "end":
      return set(line, line.length);
    case "up":
      return historyMove(state, -1, history);
    case "down":
      return historyMove(state, 1, history);
    case "tab":
      return [state, { type: "complete" }];
    case "escape":
      return [state, { type: "none" }];
    default:
      break;
  }
  const text = key.sequence ?? "";
  if (!text || key.meta || /[\x00-\x1f\x7f]/.test(text)) return [state, { type: "none" }];
  return set([...line.slice(0, at), ...chars(text), ...line.slice(at)], at + chars(text).length);
}

function historyMove(state: EditorState, delta: number, history: readonly string[]): [EditorState, EditorAction] {
  const index = Math.max(0, Math.min(history.length, state.historyIndex + delta));
  if (index === state.historyIndex) return [state, { type: "none" }];
  const draft = state.historyIndex === history.length ? state.line : state.draft;
  const line = index === history.length ? draft : (history[index] ?? "");
  return [{ ...state, historyIndex: index, draft, line, cursor: chars(line).length }, { type: "render" }];
}

/** Ctrl-R: find the newest history line containing the query, older ones on each further Ctrl-R. */
function searchKey(state: EditorState, search: Search, key: Key, history: readonly string[]): [EditorState, EditorAction] {
  const find = (query: string, before: number): number => {
    for (let i = Math.min(before, history.length) - 1; i >= 0; i--) if ((history[i] ?? "").includes(query)) return i;
    return -1;
  };
  const show = (s: Search): [EditorState, EditorAction] => {
    const line = s.match >= 0 ? (history[s.match] ?? "") : s.original;
    return [{ ...state, search: s, line, cursor: chars(line).length }, { type: "render" }];
  };
  if (key.ctrl && key.name === "r") {
    const from = search.match >= 0 ? search.match : history.length;
    const match = search.query ? find(search.query, from) : -1;
    return show({ ...search, match: match >= 0 ? match : search.match });
  }
  if ((key.ctrl && key.name === "g") || key.name === "escape") {
    const line = search.original;
    return [{ ...state, search: undefined, line, cursor: chars(line).length }, { type: "render" }];
  }
  if (key.ctrl && key.name === "c") return [{ ...state, search: undefined }, { type: "interrupt" }];
  if (key.name === "backspace") {
    const query = chars(search.query).slice(0, -1).join("");
    return show({ ...search, query, match: query ? find(query, history.length) : -1 });
  }
  const text = key.sequence ?? "";
  if (!key.ctrl && !key.meta && text && !/[\x00-\x1f\x7f]/.test(text)) {
    const query = search.query + text;
    return show({ ...search, query, match: find(query, search.match >= 0 ? search.match + 1 : history.length) });
  }
  // Any other key ends the search on the line found and then does what it does.
  const accepted: EditorState = { ...state, search: undefined };
  return applyKey(accepted, key, history);
}

/** The completion's effect on the line: the word before the cursor replaced. */
export function replaceWord(state: EditorState, wordStart: number, replacement: string): EditorState {
  const line = chars(state.line);
  const next = [...line.slice(0, wordStart), ...chars(replacement), ...line.slice(state.cursor)];
  return { ...state, line: next.join(""), cursor: wordStart + chars(replacement).length };
}
