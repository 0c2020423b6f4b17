import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RefusedFile, readRegularFile, writeFileAtomic } from "../../src/local-file.js";
import { History, HISTORY_MAX_BYTES } from "../../src/sandbox/history.js";
import { CreatedKeys } from "../../src/safety/record.js";

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rl-local-file-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Ways a file can be put where redis-learn keeps its own; each returns the path. */
const HOSTILE: [string, (dir: string) => string, RegExp][] = [
  ["a symlink to /dev/zero", (dir) => (symlinkSync("/dev/zero", path.join(dir, "f")), path.join(dir, "f")), /is a symbolic link/],
  ["a symlink to a regular file", (dir) => (writeFileSync(path.join(dir, "real"), "x\n"), symlinkSync(path.join(dir, "real"), path.join(dir, "f")), path.join(dir, "f")), /is a symbolic link/],
  ["a FIFO with no writer", (dir) => (execFileSync("mkfifo", [path.join(dir, "f")]), path.join(dir, "f")), /is not a regular file/],
  ["a directory", (dir) => (mkdirSync(path.join(dir, "f")), path.join(dir, "f")), /is not a regular file/],
  ["too big", (dir) => (writeFileSync(path.join(dir, "f"), Buffer.alloc(HISTORY_MAX_BYTES + 1, 0x61)), path.join(dir, "f")), /is larger than 1 MB/],
];

describe("readRegularFile", () => {
  it.each(HOSTILE)("refuses %s", (_, make, reason) => {
    const file = make(freshDir());
    expect(() => readRegularFile(file, HISTORY_MAX_BYTES)).toThrow(RefusedFile);
    expect(() => readRegularFile(file, HISTORY_MAX_BYTES)).toThrow(reason);
  });

  it.each([
    ["a missing file", undefined],
    ["a regular file", "GET a\n"],
  ])("reads %s", (_, content) => {
    const file = path.join(freshDir(), "f");
    if (content !== undefined) writeFileSync(file, content);
    expect(readRegularFile(file, 100)?.toString()).toBe(content);
  });
});

describe("writeFileAtomic", () => {
  it("replaces a symlink instead of writing through it, and leaves no temporary file", () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, "victim"), "keep me");
    symlinkSync(path.join(dir, "victim"), path.join(dir, "f"));
    writeFileAtomic(path.join(dir, "f"), "new");
    expect(readFileSync(path.join(dir, "victim"), "utf8")).toBe("keep me");
    expect(lstatSync(path.join(dir, "f")).isFile()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["f", "victim"]);
  });

  it("removes its temporary file when the rename fails", () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, "f"));
    writeFileSync(path.join(dir, "f", "inside"), "");
    expect(() => writeFileAtomic(path.join(dir, "f"), "new")).toThrow();
    expect(readdirSync(dir)).toEqual(["f"]);
  });
});

describe("sandbox history", () => {
  it.each(HOSTILE)("as %s is neither read nor written, and says so once", (_, make, reason) => {
    const dir = freshDir();
    const file = make(dir);
    const before = lstatSync(file);
    const notices: string[] = [];
    const history = new History(file, (t) => notices.push(t));
    expect(history.entries).toEqual([]);
    history.add("SET a 1");
    history.add("GET a");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(reason);
    expect(notices[0]).toMatch(/neither read nor saved/);
    const after = lstatSync(file);
    expect([after.mode, after.size, after.mtimeMs]).toEqual([before.mode, before.size, before.mtimeMs]);
    if (existsSync(path.join(dir, "real"))) expect(readFileSync(path.join(dir, "real"), "utf8")).toBe("x\n");
  });

  it("keeps the last entries of a regular file and appends to it", () => {
    const file = path.join(freshDir(), "state", "history");
    mkdirSync(path.dirname(file));
    writeFileSync(file, "PING\nGET a\n");
    const notices: string[] = [];
    const history = new History(file, (t) => notices.push(t));
    expect(history.entries).toEqual(["PING", "GET a"]);
    history.add("SET a 1");
    expect(readFileSync(file, "utf8")).toBe("PING\nGET a\nSET a 1\n");
    expect(notices).toEqual([]);
  });

  it("that becomes a symlink while the sandbox runs is not written through, and says so once", () => {
    const dir = freshDir();
    const file = path.join(dir, "history");
    const notices: string[] = [];
    const history = new History(file, (t) => notices.push(t));
    writeFileSync(path.join(dir, "victim"), "keep me");
    symlinkSync(path.join(dir, "victim"), file);
    history.add("SET a 1");
    history.add("GET a");
    expect(readFileSync(path.join(dir, "victim"), "utf8")).toBe("keep me");
    expect(notices).toEqual([`History is not saved: ${file} is a symbolic link.`]);
  });
});

describe("the record of created keys", () => {
  const TOO_BIG: (typeof HOSTILE)[number] = ["too big", (dir) => (writeFileSync(path.join(dir, "f"), Buffer.alloc(4 * 1024 * 1024 + 1, 0x61)), path.join(dir, "f")), /is larger than 4 MB/];
  it.each([...HOSTILE.filter(([name]) => name !== "too big"), TOO_BIG])("as %s stops with one line instead of being followed or replaced", (_, make, reason) => {
    const dir = freshDir();
    const state = path.join(dir, "redis-learn");
    mkdirSync(state);
    const made = make(state);
    // The record has a fixed name: put the hostile file there.
    rmSync(path.join(state, "created-keys.json"), { force: true, recursive: true });
    execFileSync("mv", [made, path.join(state, "created-keys.json")]);
    const keys = new CreatedKeys("127.0.0.1:6379/0", { XDG_STATE_HOME: dir });
    expect(() => keys.list()).toThrow(reason);
    expect(() => keys.wrote("run", "id", new Map([["bike:1", "d1"]]))).toThrow(/created-keys\.json .*remove it/);
    expect(readdirSync(state).sort()).toEqual(["created-keys.json", ...(existsSync(path.join(state, "real")) ? ["real"] : [])]);
  });

  it("is written whole, and read back", () => {
    const dir = freshDir();
    const keys = new CreatedKeys("127.0.0.1:6379/0", { XDG_STATE_HOME: dir });
    keys.wrote("run", "id", new Map([["bike:2", "d2"], ["bike:1", "d1"]]));
    expect([...keys.list()].sort()).toEqual(["bike:1", "bike:2"]);
    keys.remove(["bike:1"]);
    expect([...keys.list()]).toEqual(["bike:2"]);
    expect(readdirSync(path.join(dir, "redis-learn"))).toEqual(["created-keys.json"]);
  });
});
