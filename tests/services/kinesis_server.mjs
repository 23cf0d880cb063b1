// kinesis_server.mjs - starts kinesalite (a local Kinesis stand-in) on 127.0.0.1 only, with an
// in-memory store and short CREATING/UPDATING/DELETING phases so that tests do not wait on them.
//
// Usage: node kinesis_server.mjs --port P [--create-stream-ms MS] [--update-stream-ms MS]
//                                [--delete-stream-ms MS] [--shard-limit N]
//   Each phase lasts 50 ms unless told (kinesalite's own default is 500 ms). The shard limit (open
//   shards over all streams) comes from --shard-limit, else from KINESALITE_SHARD_LIMIT, else is
//   kinesalite's 10. Port 0 picks a free port. Prints "kinesalite listening on 127.0.0.1:PORT".
// Its CLI cannot do this itself: it listens on every interface. Plain node 18+ and kinesalite.
import kinesalite from 'kinesalite';

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

// A non-negative integer option, or exit with a message.
function num(name, def) {
  const v = arg(name, def);
  if (!/^\d+$/.test(String(v))) {
    process.stderr.write(`kinesis_server: --${name} wants a number, got '${v}'\n`);
    process.exit(2);
  }
  return Number(v);
}

const server = kinesalite({
  createStreamMs: num('create-stream-ms', '50'),
  updateStreamMs: num('update-stream-ms', '50'),
  deleteStreamMs: num('delete-stream-ms', '50'),
  shardLimit: num('shard-limit', process.env.KINESALITE_SHARD_LIMIT || '10'),
  // No "path": the store is in memory (memdown) and goes away with the process.
});
server.keepAliveTimeout = 30000;
server.listen(num('port', '0'), '127.0.0.1', () => {
  process.stdout.write(`kinesalite listening on 127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
