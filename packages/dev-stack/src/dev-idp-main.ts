// Entry of the detached development identity provider: `dev-idp-main.ts <dir> <port>`.
import { startJwksServer } from '@vigil/auth';

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error('usage: dev-idp-main.ts <key dir> <port>');
  process.exit(2);
}
const server = await startJwksServer({ dir, port: Number(port) });
console.log(`dev identity provider: JWKS at ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
