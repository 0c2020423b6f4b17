import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findServerBinary } from "../../src/redis/find-server.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

const PASSWORD = "tls-pass-5512";
let dir: string;
let port: number;
let server: ChildProcess;

/** A throwaway CA and a certificate for 127.0.0.1, made with openssl for this run only. */
function makeCertificates(into: string): void {
  const run = (...args: string[]): void => void execFileSync("openssl", args, { cwd: into, stdio: "ignore" });
  run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=redis-learn test CA");
  run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(path.join(into, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf");
}


async function waitForTls(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the TLS test server did not start");
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rl-tls-"));
  makeCertificates(dir);
  port = await freePort();
  server = spawn(findServerBinary(), [
    "--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1",
    "--tls-cert-file", path.join(dir, "server.crt"), "--tls-key-file", path.join(dir, "server.key"),
    "--tls-ca-cert-file", path.join(dir, "ca.crt"), "--tls-auth-clients", "no",
    "--requirepass", PASSWORD, "--save", "", "--appendonly", "no", "--dir", dir,
  ], { stdio: "ignore" });
  await waitForTls();
});

afterAll(async () => {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGKILL");
  await exited;
  rmSync(dir, { recursive: true, force: true });
});

describe("rediss:// with a private CA", () => {
  it("connects over TLS with --tls-ca", async () => {
    const r = await runCli(["sandbox", "--url", `rediss://default:${PASSWORD}@127.0.0.1:${port}`, "--tls-ca", path.join(dir, "ca.crt")], {
      input: "SET t 1\nGET t\n",
    });
    expect(r.stdout.toString()).toBe('OK\n"1"\n');
    expect(r.stderr).toContain("over TLS");
    expect(r.stderr + r.stdout.toString()).not.toContain(PASSWORD);
  });

  it("refuses a certificate it cannot verify, with one line and no password", async () => {
    const r = await runCli(["sandbox", "--url", `rediss://:${PASSWORD}@127.0.0.1:${port}`], { input: "PING\n" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot connect to Redis at 127\.0\.0\.1:\d+: .*certificate/i);
    expect(r.stderr).not.toContain(PASSWORD);
  });

  it("reports a CA file that cannot be read", async () => {
    const r = await runCli(["sandbox", "--url", `rediss://127.0.0.1:${port}`, "--tls-ca", path.join(dir, "missing.crt")], { input: "PING\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read the CA file .*missing\.crt: ENOENT/);
  });
});
