export * from './control-event.js';
export * from './control-lane.js';
