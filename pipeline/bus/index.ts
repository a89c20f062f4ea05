export * from './audio-bus.js';
export * from './audio-frame.js';
export * from './clock.js';
export * from './ring-buffer.js';
