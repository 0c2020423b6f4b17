import { cpSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, ROOT, runCli, runProcess } from "../helpers/cli.js";

const text = (r: { stdout: Buffer }): string => r.stdout.toString("utf8");

describe("redis-learn list", () => {
  it("lists the shipped lessons with their steps, quiz and needs", async () => {
    // Wide enough that no summary is wrapped (wrapping at 80 columns is width.test.ts's business).
    const r = await runCli(["list"], { env: { COLUMNS: "300" } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = text(r).split("\n");
    expect(lines[0]).toMatch(/^lesson\s+title\s+steps\s+quiz\s+needs\s+what you learn$/);
    expect(lines[2]).toMatch(/^strings\s+Strings\s+26\s+12\s+Redis 6\.2\+\s+\S/);
    expect(lines[3]).toMatch(/^lists\s+Lists\s+26\s+11\s+Redis 6\.2\+\s+\S/);
    expect(text(r)).toContain("Start one with: redis-learn lesson <lesson>\n");
  });

  // The launcher answers `list` from the build's record; a copy of the package whose
  // lessons are edited must be loaded in full instead, and say the same for unchanged ones.
  describe("in a copy of the package whose lessons change after the build", () => {
    let copy: string;
    let bin: string;
    beforeEach(() => {
      copy = mkdtempSync(path.join(os.tmpdir(), "rl-list-"));
      for (const dir of ["dist", "lessons"]) cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true });
      copyFileSync(path.join(ROOT, "package.json"), path.join(copy, "package.json"));
      bin = path.join(copy, path.relative(ROOT, BIN));
    });
    afterEach(() => rmSync(copy, { recursive: true, force: true }));
    const edit = (file: string, change: (yaml: string) => string): void => {
      const p = path.join(copy, "lessons", file);
      writeFileSync(p, change(readFileSync(p, "utf8")));
    };
    const list = () => runProcess(process.execPath, [bin, "list"], { env: { XDG_CACHE_HOME: copy } });

    it("prints the same table as the build's record when the change is only a comment", async () => {
      const before = await list();
      edit("02-lists.yaml", (y) => `# a learner's note\n${y}`);
      const after = await list();
      expect(after.code).toBe(0);
      expect(text(after)).toBe(text(before));
      expect(text(after)).toBe(text(await runCli(["list"])));
    });

    it("shows an edited title", async () => {
      edit("01-strings.yaml", (y) => y.replace(/^title: .*$/m, "title: Strings, edited"));
      const r = await list();
      expect(r.code).toBe(0);
      expect(text(r)).toMatch(/^strings\s+Strings, edited\s+26/m);
    });

    it("reports a broken lesson at file:line:column and exits 1", async () => {
      edit("02-lists.yaml", (y) => y.replace(/^title: .*$/m, "title: [unclosed"));
      const r = await list();
      expect(r.code).toBe(1);
      expect(r.stdout.length).toBe(0);
      expect(r.stderr).toMatch(/^redis-learn: lessons\/02-lists\.yaml:\d+:\d+: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("shows a lesson added after the build", async () => {
      writeFileSync(path.join(copy, "lessons", "03-mine.yaml"), "id: mine\ntitle: Mine\nsummary: My own.\nkeys: [k]\nsteps:\n  - {title: T, explain: E, run: PING}\n");
      const r = await list();
      expect(r.code).toBe(0);
      expect(text(r)).toMatch(/^mine\s+Mine\s+1\s+-\s+any\s+My own\.$/m);
    });
  });
});
