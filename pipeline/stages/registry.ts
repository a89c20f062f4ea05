/**
 * Built-in stages a worker can build by name. Each entry is the module that exports
 * `createStage`; the path is resolved next to this file so it works from the sources
 * (tests, tsx) and from the compiled `dist/` alike.
 */
import { siblingModuleUrl } from '../workers/module-url.js';

export const BUILTIN_STAGE_MODULES = {
  passthrough: siblingModuleUrl(import.meta.url, './passthrough/passthrough-stage'),
  gain: siblingModuleUrl(import.meta.url, './gain/gain-stage'),
  denoise: siblingModuleUrl(import.meta.url, './denoise/denoise-stage'),
  vad: siblingModuleUrl(import.meta.url, './vad/vad-stage'),
  asr: siblingModuleUrl(import.meta.url, './asr/asr-stage'),
  chain: siblingModuleUrl(import.meta.url, './chain/chain-stage'),
  'echo-cancel': siblingModuleUrl(import.meta.url, './echo/echo-cancel-stage'),
} as const;

export type BuiltinStageName = keyof typeof BUILTIN_STAGE_MODULES;
