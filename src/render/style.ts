import { makeChalk } from "./theme.js";

/** Roles for everything the renderers colour; identity functions when colour is off. */
export interface Style {
  enabled: boolean;
  added(s: string): string;
  removed(s: string): string;
  changed(s: string): string;
  dim(s: string): string;
  strong(s: string): string;
  code(s: string): string;
  ok(s: string): string;
  bad(s: string): string;
  /** JavaScript in code steps (render/code.ts). */
  keyword(s: string): string;
  string(s: string): string;
  number(s: string): string;
  comment(s: string): string;
}

export function makeStyle(enabled: boolean): Style {
  const c = makeChalk(enabled);
  return {
    enabled,
    added: (s) => c.green(s),
    removed: (s) => c.red(s),
    changed: (s) => c.yellow(s),
    dim: (s) => c.dim(s),
    strong: (s) => c.bold(s),
    code: (s) => c.cyan(s),
    ok: (s) => c.green(s),
    bad: (s) => c.red(s),
    keyword: (s) => c.magenta(s),
    string: (s) => c.green(s),
    number: (s) => c.yellow(s),
    comment: (s) => c.dim(s),
  };
}
