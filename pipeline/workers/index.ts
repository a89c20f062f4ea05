export * from './backoff.js';
export * from './module-url.js';
export * from './protocol.js';
export * from './worker-host.js';
export * from './worker-stats.js';
