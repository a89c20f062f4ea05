export * from './blocked-categories.js';
export * from './child-safety-filter.js';
