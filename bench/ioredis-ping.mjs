// The reference for `echo PING | redis-learn sandbox`: a bare ioredis client that
// connects, sends PING, prints the reply and quits.
//   node bench/ioredis-ping.mjs PORT
import Redis from "ioredis";

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) {
  process.stderr.write("usage: node bench/ioredis-ping.mjs PORT\n");
  process.exit(2);
}
// Bounded: never wait for more than 10 s.
setTimeout(() => {
  process.stderr.write("ioredis-ping: no answer within 10 s\n");
  process.exit(1);
}, 10_000).unref();

const redis = new Redis({ host: "127.0.0.1", port, retryStrategy: () => null, maxRetriesPerRequest: 0 });
process.stdout.write((await redis.ping()) + "\n");
await redis.quit();
