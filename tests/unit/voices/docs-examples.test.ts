/** The manifests shown in docs/voice-packs.md are valid, so a designer can start from them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVoicePackManifest } from '../../../voices/pack-manifest.js';
import { ROOT } from '../../helpers/run-collar.js';

describe('docs/voice-packs.md', () => {
  const text = readFileSync(join(ROOT, 'docs', 'voice-packs.md'), 'utf8');
  const examples = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

  it('has an espeak-ng and a Piper example, both valid', () => {
    expect(examples).toHaveLength(2);
    const checked = examples.map((example) => checkVoicePackManifest(JSON.parse(example)));
    expect(checked).toMatchObject([
      { ok: true, pack: { engine: 'espeak-ng' } },
      { ok: true, pack: { engine: 'piper' } },
    ]);
  });
});
