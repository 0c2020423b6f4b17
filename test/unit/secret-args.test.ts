import { describe, expect, it } from "vitest";
import { maskSecretArgs, typedSecrets } from "../../src/redis/secret-args.js";
import { redact, registerTypedSecrets } from "../../src/redis/redact.js";

const argv = (line: string): Buffer[] => line.split(" ").map((w) => Buffer.from(w));

describe("the passwords a typed command carries", () => {
  it.each<[string, string[]]>([
    ["AUTH pw1", ["pw1"]],
    ["auth alice pw1", ["pw1"]],
    ["HELLO 3 AUTH bob pw1", ["pw1"]],
    ["HELLO 3 SETNAME auth AUTH bob pw1", ["pw1"]],
    ["ACL SETUSER bob on >pw1 >pw2 <old ~* +@all", ["pw1", "pw2", "old"]],
    ["ACL SETUSER bob on nopass", []],
    ["ACL GETUSER bob", []],
    ["MIGRATE h 1 k 0 100 COPY AUTH pw1", ["pw1"]],
    ["MIGRATE h 1 k 0 100 AUTH2 user pw1 KEYS a b", ["pw1"]],
    ["MIGRATE h 1 auth 0 100 KEYS auth x", []],
    ["CONFIG SET requirepass pw1", ["pw1"]],
    ["config set MASTERAUTH pw1 maxmemory 1mb", ["pw1"]],
    ["CONFIG SET tls-key-file-pass pw1", ["pw1"]],
    ["CONFIG GET requirepass", []],
    ["SENTINEL SET mymaster auth-pass pw1", ["pw1"]],
    ["SET auth pw", []],
    ["GET k", []],
  ])("%s → %j", (line, expected) => {
    expect(typedSecrets(argv(line))).toEqual(expected);
  });

  it("masks them and nothing else", () => {
    expect(maskSecretArgs(argv("ACL SETUSER bob on >pw1 ~*")).map(String)).toEqual(["ACL", "SETUSER", "bob", "on", ">***", "~*"]);
  });

  it("are secrets from then on, even when one letter long (issue 11 item 9)", () => {
    registerTypedSecrets(argv("CONFIG SET requirepass typed-pw-5"));
    registerTypedSecrets(argv("HELLO 3 AUTH bob q"));
    expect(redact('1) "requirepass"\n2) "typed-pw-5"')).toBe('1) "requirepass"\n2) "***"');
    expect(redact("(error) WRONGPASS q is wrong; quite")).toBe("(error) WRONGPASS *** is wrong; quite");
  });
});
