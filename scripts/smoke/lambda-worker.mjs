// One Lambda execution environment: the function's bundle, loaded as the runtime loads it (index.handler),
// with the environment the template gives it (the Worker's own process.env). Invocations arrive as messages.
import dns from 'node:dns';
import { parentPort, workerData } from 'node:worker_threads';

// The local stand-ins answer on 127.0.0.1; a virtual-hosted S3 name under localhost resolves there too.
const lookup = dns.lookup;
dns.lookup = (host, ...rest) => lookup(host.endsWith('.localhost') ? '127.0.0.1' : host, ...rest);

let handler;
let loadError;
try {
  ({ handler } = await import(workerData.file));
} catch (err) {
  loadError = err;
}

const context = (fn) => ({
  functionName: fn,
  awsRequestId: crypto.randomUUID(),
  getRemainingTimeInMillis: () => 30_000,
  callbackWaitsForEmptyEventLoop: false,
});

parentPort.on('message', async ({ id, event }) => {
  try {
    if (loadError) throw loadError;
    if (typeof handler !== 'function') throw new Error('the bundle exports no handler');
    const result = await handler(event, context(workerData.name));
    parentPort.postMessage({ id, ok: true, result: JSON.parse(JSON.stringify(result ?? null)) });
  } catch (err) {
    parentPort.postMessage({
      id,
      ok: false,
      error: String(err?.stack ?? err)
        .split('\n')
        .slice(0, 3)
        .join(' | '),
    });
  }
});
parentPort.postMessage({ ready: true });
