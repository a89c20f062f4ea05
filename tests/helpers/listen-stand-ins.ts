/**
 * What `collar listen` tests need to run without real ASR weights: the SenseVoice
 * STAND-IN graph published to a mirror with a catalog override, GTCRN from ../shared,
 * both fetched into a fresh cache. Returns the environment for the CLI subprocesses.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SHARED_PATHS } from '../../bench/frontend/shared-data.js';
import { writeSenseVoiceStandIn } from '../../bench/stand-ins/asr-stand-ins.js';
import { runCollar } from './run-collar.js';
import { publishToMirror, writeCatalogFile } from './stand-in-catalog.js';

export function installListenStandIns(workPath: string): Record<string, string> {
  const built = join(workPath, 'built');
  mkdirSync(built);
  const model = writeSenseVoiceStandIn(built);
  const mirror = join(workPath, 'mirror');
  const env = {
    COLLAR_MODEL_CATALOG: writeCatalogFile(join(workPath, 'catalog.json'), [
      publishToMirror(mirror, 'sense-voice-small', 'asr', [model.model, model.tokens]),
    ]),
    COLLAR_MODEL_MIRROR: `${mirror}:${SHARED_PATHS.modelsDir}`,
    COLLAR_MODEL_CACHE: join(workPath, 'cache'),
    XDG_CONFIG_HOME: join(workPath, 'config'),
  };
  expect(runCollar(['models', 'fetch', 'sense-voice-small', 'gtcrn'], env).code).toBe(0);
  return env;
}
