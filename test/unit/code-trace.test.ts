import { describe, expect, it } from "vitest";
import type { MonitorLine } from "../../src/code/monitor.js";
import { buildTrace } from "../../src/code/trace.js";
import { describeLeftovers } from "../../src/code/leftovers.js";

const REDIS = "127.0.0.1:50001";
const OTHER = "127.0.0.1:50002";
const THIRD = "127.0.0.1:50003";
const OURS = "127.0.0.1:40000";

const line = (addr: string, text: string, db = 0): MonitorLine => ({ time: 0, db, addr, args: text.split(" ").map((w) => Buffer.from(w)) });
const shown = (lines: MonitorLine[]): string[] =>
  buildTrace(lines, { ignore: new Set([OURS]) }).map((c) => `${c.client}${c.setup ? " (setup)" : ""} [${c.db}] ${c.args.join(" ")}`);

/** What ioredis 6 sends on connecting to Redis 7.2+ (7.0 refuses CLIENT SETINFO, and MONITOR leaves refused commands out). */
const connect = (addr: string, name?: string, db = 0): MonitorLine[] => [
  line(addr, "hello 3"),
  ...(db ? [line(addr, `select ${db}`, db)] : []),
  ...(name ? [line(addr, `client setname ${name}`, db)] : []),
  line(addr, "client SETINFO LIB-VER 6.0.0", db),
  line(addr, "client SETINFO LIB-NAME ioredis", db),
  line(addr, "info", db),
];

describe("the trace: MONITOR's lines attributed to the snippet's connections", () => {
  it("names connections by CLIENT SETNAME, else by order of appearance; a script's commands are lua's", () => {
    const lines = [
      ...connect(REDIS, "redis"),
      line(REDIS, "eval return 1 0"),
      line("lua", "set k v"),
      ...connect(OTHER, undefined, 2),
      line(OTHER, "get k", 2),
      ...connect(THIRD, "bull:ZW1haWxz"),
      line(THIRD, "bzpopmin bull:emails:marker 5"),
    ];
    expect(shown(lines)).toEqual([
      "redis (setup) [0] hello 3",
      "redis (setup) [0] client setname redis",
      "redis (setup) [0] client SETINFO LIB-VER 6.0.0",
      "redis (setup) [0] client SETINFO LIB-NAME ioredis",
      "redis (setup) [0] info",
      "redis [0] eval return 1 0",
      "lua [0] set k v",
      "connection 2 (setup) [0] hello 3",
      "connection 2 (setup) [2] select 2",
      "connection 2 (setup) [2] client SETINFO LIB-VER 6.0.0",
      "connection 2 (setup) [2] client SETINFO LIB-NAME ioredis",
      "connection 2 (setup) [2] info",
      "connection 2 [2] get k",
      "bull:ZW1haWxz (setup) [0] hello 3",
      "bull:ZW1haWxz (setup) [0] client setname bull:ZW1haWxz",
      "bull:ZW1haWxz (setup) [0] client SETINFO LIB-VER 6.0.0",
      "bull:ZW1haWxz (setup) [0] client SETINFO LIB-NAME ioredis",
      "bull:ZW1haWxz (setup) [0] info",
      "bull:ZW1haWxz [0] bzpopmin bull:emails:marker 5",
    ]);
  });

  it.each<[string, string[], boolean[]]>([
    ["after a command of its own nothing is setup", ["hello 3", "info", "info", "set a 1", "info", "select 1", "client setname later"], [true, true, true, false, false, false, false]],
    ["SELECT in the handshake is setup", ["hello 3", "select 2", "info", "get a"], [true, true, true, false]],
    ["SELECT after the ready check is the program's", ["hello 3", "info", "select 2", "get a"], [true, true, false, false]],
    ["BullMQ names its connection after the ready check", ["hello 3", "info", "client setname bull:cQ==", "info", "bzpopmin m 5"], [true, true, true, true, false]],
    ["INFO with a section is asked by the program", ["hello 3", "info server"], [true, false]],
    ["AUTH on RESP2", ["auth secret", "info", "ping"], [true, true, false]],
  ])("%s", (_, commands, setup) => {
    expect(shown(commands.map((c) => line(REDIS, c))).map((l) => l.includes("(setup)"))).toEqual(setup);
  });

  it("takes the name a connection gives itself later for all its lines", () => {
    expect(shown([line(OTHER, "ping"), line(OTHER, "client setname late")])).toEqual(["late [0] ping", "late [0] client setname late"]);
  });

  it("leaves out redis-learn's own connections", () => {
    const lines = [line(OURS, "echo sentinel"), line(REDIS, "set a 1"), line(OURS, "client list"), line(OTHER, "quit")];
    expect(shown(lines)).toEqual(["connection 1 [0] set a 1", "connection 2 [0] quit"]);
  });
});

describe("what a snippet left running, said plainly", () => {
  it.each<[string, string[], string[], string[]]>([
    ["nothing", ["PipeWrap"], ["PipeWrap"], []],
    ["a timer", ["Timeout"], [], ["1 timer"]],
    ["timers and connections, counted", ["TCPSocketWrap", "Timeout", "TCPSocketWrap", "Timeout", "Timeout"], [], ["2 open connections", "3 timers"]],
    ["the runner's own taken away", ["Timeout", "PipeWrap", "Timeout"], ["Timeout", "PipeWrap"], ["1 timer"]],
    ["a name Node may add later, as it is", ["SomethingWrap"], [], ["1 SomethingWrap"]],
    ["servers and child processes", ["TCPServerWrap", "ProcessWrap", "ProcessWrap"], [], ["1 listening server", "2 child processes"]],
  ])("%s", (_, now, before, said) => {
    expect(describeLeftovers(now, before)).toEqual(said);
  });
});
