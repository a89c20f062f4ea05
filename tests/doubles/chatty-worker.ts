/**
 * TEST DOUBLE worker entry. Sends the host a few malformed messages, then a valid READY,
 * then answers pings, so tests can see the host reject what does not parse.
 */
import { parentPort } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('chatty-worker must run in a worker thread');
port.postMessage('not an object');
port.postMessage({ type: 'launch-missiles' });
port.postMessage({ type: 'ready' });
port.postMessage({ type: 'flushed', reason: 'because', clearedSamples: -1 });
port.postMessage({ type: 'ready', stage: 'chatty' });
port.on('message', (message: { type?: string; id?: number }) => {
  if (message.type === 'ping') port.postMessage({ type: 'pong', id: message.id });
  if (message.type === 'shutdown') port.close();
});
