import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli.js";

/** What the command would be run with: the options object handed over by the wiring. */
async function optionsFor(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ command: string; options: { url?: string; tlsCa?: string } }> {
  const saved = process.env.REDIS_URL;
  if (env.REDIS_URL === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = env.REDIS_URL;
  try {
    let seen: { command: string; options: { url?: string; tlsCa?: string } } | undefined;
    const program = buildProgram("0.0.0", async (command, args) => {
      const options = (args as unknown[]).find((a) => typeof a === "object" && a !== null) as { url?: string; tlsCa?: string };
      seen = { command, options };
    });
    await program.parseAsync(["node", "redis-learn", ...argv]);
    return seen as NonNullable<typeof seen>;
  } finally {
    if (saved === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved;
  }
}

describe("--url and --tls-ca before the command name", () => {
  it.each([
    ["sandbox", ["--url", "redis://a:1", "sandbox"], {}, { url: "redis://a:1" }],
    ["lesson", ["--url", "redis://a:1", "lesson", "strings"], {}, { url: "redis://a:1" }],
    ["quiz", ["--url", "redis://a:1", "--tls-ca", "ca.pem", "quiz", "strings"], {}, { url: "redis://a:1", tlsCa: "ca.pem" }],
    ["the command's own --url wins", ["--url", "redis://a:1", "sandbox", "--url", "redis://b:2"], {}, { url: "redis://b:2" }],
    ["the command's own --tls-ca wins", ["--tls-ca", "a.pem", "quiz", "x", "--tls-ca", "b.pem"], {}, { tlsCa: "b.pem" }],
    ["--url beats REDIS_URL", ["--url", "redis://a:1", "lesson", "strings"], { REDIS_URL: "redis://env:3" }, { url: "redis://a:1" }],
    ["REDIS_URL alone still counts", ["sandbox"], { REDIS_URL: "redis://env:3" }, { url: "redis://env:3" }],
    ["nothing given", ["sandbox"], {}, {}],
  ])("%s", async (_, argv, env, expected) => {
    const { options } = await optionsFor(argv, env);
    // toEqual treats a missing option and an undefined one alike.
    expect({ url: options.url, tlsCa: options.tlsCa }).toEqual(expected);
  });
});
