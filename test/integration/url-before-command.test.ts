import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

let server: PrivateServer;
let nobody: string;

beforeAll(async () => {
  // A server of this test's own: the lesson below creates keys on it.
  server = await startPrivateServer();
  nobody = `redis://127.0.0.1:${await freePort()}`;
});
afterAll(() => server.shutdown());

const connected = (port: number): RegExp => new RegExp(`connected to redis [\\d.]+ at 127\\.0\\.0\\.1:${port}`);

describe("--url given before the command name", () => {
  it.each([
    ["sandbox", ["sandbox"], "PING\n"],
    ["lesson", ["lesson", "strings", "--no-pause"], ""],
  ])("reaches %s", async (_, args, input) => {
    const r = await runCli(["--url", `redis://127.0.0.1:${server.port}`, ...args], { input });
    expect(r.stderr).toMatch(connected(server.port));
    expect(r.stderr).not.toMatch(/private/);
  });

  it("beats REDIS_URL", async () => {
    const r = await runCli(["--url", `redis://127.0.0.1:${server.port}`, "sandbox"], { input: "PING\n", env: { REDIS_URL: nobody } });
    expect(r.stdout.toString()).toBe("PONG\n");
    expect(r.stderr).toMatch(connected(server.port));
  });

  it("gives way to the command's own --url", async () => {
    const r = await runCli(["--url", nobody, "sandbox", "--url", `redis://127.0.0.1:${server.port}`], { input: "PING\n" });
    expect(r.stdout.toString()).toBe("PONG\n");
    expect(r.stderr).toMatch(connected(server.port));
  });

  it("brings --tls-ca along", async () => {
    const r = await runCli(["--url", `rediss://127.0.0.1:${server.port}`, "--tls-ca", "/nonexistent/ca.pem", "sandbox"], { input: "PING\n" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("/nonexistent/ca.pem");
  });
});
