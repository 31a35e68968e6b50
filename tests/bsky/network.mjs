// A real local AT Protocol network for Palabre's tests: PLC directory, PDS, Bluesky
// AppView (+ bsync) and Ozone, from @atproto/dev-env (what Bluesky's own code is tested
// with). Started and stopped by scripts/bsky.sh; everything comes from the environment:
//   BSKY_PLC_PORT, BSKY_PDS_PORT, BSKY_APPVIEW_PORT, BSKY_OZONE_PORT  explicit ports
//   DB_POSTGRES_URL      postgresql://user@host:port/db (the AppView, bsync and Ozone data)
//   DB_POSTGRES_SCHEMA   suffix of the schemas they create (appview_X, bsync_X, ozone_X)
//   REDIS_HOST           host:port of a Redis server
//   BSKY_READY_FILE      where to write {"pds", "appview", "plc", "ozone"} URLs once ready
// Services listen on all interfaces; URLs use `localhost` (handles end in `.test`).
import { rename, writeFile } from 'node:fs/promises';
import { TestNetwork } from '@atproto/dev-env';

function port(name) {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a port number`);
  return value;
}

for (const name of ['DB_POSTGRES_URL', 'REDIS_HOST', 'BSKY_READY_FILE']) {
  if (!process.env[name]) throw new Error(`${name} is not set`);
}
const schema = process.env.DB_POSTGRES_SCHEMA || 'palabre_bsky';
const appviewPort = port('BSKY_APPVIEW_PORT');

const started = Date.now();
const network = await TestNetwork.create({
  dbPostgresUrl: process.env.DB_POSTGRES_URL,
  dbPostgresSchema: schema,
  plc: { port: port('BSKY_PLC_PORT') },
  pds: { port: port('BSKY_PDS_PORT'), hostname: 'localhost', inviteRequired: false },
  bsky: { port: appviewPort, publicUrl: `http://localhost:${appviewPort}` },
  ozone: { port: port('BSKY_OZONE_PORT') },
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  console.log(`bsky network: ${signal}, closing`);
  const force = setTimeout(() => process.exit(1), 10_000); // a stuck close must not hang stop
  force.unref();
  try {
    await network.close();
  } catch (err) {
    console.error('bsky network: error while closing', err);
  }
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

const urls = {
  pds: network.pds.url,
  appview: network.bsky.url,
  plc: network.plc.url,
  ozone: network.ozone.url,
};
const file = process.env.BSKY_READY_FILE;
await writeFile(`${file}.tmp`, `${JSON.stringify(urls, null, 2)}\n`);
await rename(`${file}.tmp`, file); // readers never see half a file
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`bsky network ready in ${seconds}s: pds ${urls.pds} appview ${urls.appview} plc ${urls.plc}`);
