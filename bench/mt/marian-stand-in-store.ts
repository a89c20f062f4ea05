/**
 * A Marian stand-in for the MT bench when opus-mt-zh-en is not installed: graphs with the
 * real signature whose decoder spells a fixed 12-word line for each bench sentence,
 * installed into a temporary model store (tokenizer files from ../shared) and loaded
 * through the production path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadMarianEngine, OPUS_MT_ZH_EN } from '../../pipeline/engines/mt/marian-engine.js';
import type { MarianTokenizer } from '../../pipeline/engines/mt/marian-tokenizer.js';
import type { MtEngine } from '../../pipeline/engines/mt/mt-engine.js';
import { openModelStore } from '../../pipeline/models/index.js';
import { SHARED_PATHS } from '../frontend/shared-data.js';
import {
  chainRules,
  marianDecoderGraph,
  marianEncoderGraph,
  writeMarianTestModel,
} from '../stand-ins/marian-stand-ins.js';

/** What the stand-in "translates" every sentence to: a typical child-directed length. */
const STAND_IN_LINE = 'This line is what the stand-in says, about twelve words long.';

export async function standInMarianStore(
  tokenizer: MarianTokenizer,
  sentences: readonly string[],
  logger: Logger,
): Promise<{ engine: MtEngine; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'collar-bench-mt-'));
  const target = tokenizer.encodeTarget(STAND_IN_LINE).slice(0, -1);
  const rules = sentences.flatMap((sentence) => chainRules(tokenizer.encode(sentence), target));
  const catalog = await writeMarianTestModel(join(dir, 'mirror'), {
    encoder: marianEncoderGraph(),
    decoder: marianDecoderGraph(rules),
  });
  const store = openModelStore({
    env: {},
    cacheDir: join(dir, 'cache'),
    mirrors: [join(dir, 'mirror'), SHARED_PATHS.modelsDir],
    catalog,
    logger,
  });
  await store.fetch(OPUS_MT_ZH_EN);
  const engine = await loadMarianEngine(store, { logger, cache: 0 });
  return {
    engine,
    dispose: async () => {
      await engine.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
