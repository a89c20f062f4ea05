/** The built-in packs: every espeak-ng accent, the Piper and Kokoro voices, a valid default. */
import { describe, expect, it } from 'vitest';
import { CollarConfigSchema } from '../../../pipeline/config/schema.js';
import { ESPEAK_ACCENTS } from '../../../pipeline/engines/tts/espeak/espeak-voices.js';
import { BUILTIN_CATALOG } from '../../../pipeline/models/catalog.js';
import { BUILTIN_VOICE_PACKS, DEFAULT_VOICE_PACK_ID } from '../../../voices/builtin/index.js';
import { checkVoicePackManifest } from '../../../voices/pack-manifest.js';

describe('built-in voice packs', () => {
  it('has one espeak-ng pack per accent the engine speaks', () => {
    const espeak = BUILTIN_VOICE_PACKS.filter((pack) => pack.engine === 'espeak-ng');
    expect(espeak.map((pack) => pack.accent).sort()).toEqual(
      ['en-US', 'en-GB', 'en-GB-scotland', 'en-GB-x-gbclan', 'en-GB-x-gbcwmd', 'en-029', 'en-US-nyc'].sort(),
    );
    expect(espeak.map((pack) => pack.engineVoice).sort()).toEqual(ESPEAK_ACCENTS.map((accent) => accent.name).sort());
    for (const pack of espeak) {
      expect(pack.id).toBe(pack.accent.toLowerCase());
      expect(pack.model).toBeUndefined();
    }
  });

  it('has the Piper Joe voice and the Kokoro voices, by catalog id', () => {
    const byId = new Map(BUILTIN_VOICE_PACKS.map((pack) => [pack.id, pack]));
    expect(byId.get('en-us-joe')).toMatchObject({
      engine: 'piper',
      engineVoice: 'en_US-joe-medium',
      model: { catalogId: 'piper-en-us-joe-medium' },
    });
    expect(byId.get('en-us-heart')).toMatchObject({
      engine: 'kokoro',
      engineVoice: 'af_heart',
      model: { catalogId: 'kokoro-82m' },
    });
    expect(byId.get('en-gb-emma')).toMatchObject({ engine: 'kokoro', engineVoice: 'bf_emma', accent: 'en-GB' });
  });

  it('names catalog models that exist in the model catalog', () => {
    const catalogIds = new Set(BUILTIN_CATALOG.map((spec) => spec.id));
    for (const pack of BUILTIN_VOICE_PACKS) {
      if (pack.model?.catalogId) expect(catalogIds, pack.id).toContain(pack.model.catalogId);
    }
  });

  it('are all valid manifests with unique ids and child-directed delivery', () => {
    const ids = BUILTIN_VOICE_PACKS.map((pack) => pack.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const pack of BUILTIN_VOICE_PACKS) {
      expect(checkVoicePackManifest(JSON.parse(JSON.stringify(pack))), pack.id).toMatchObject({ ok: true });
      expect(pack.rate).toBeLessThan(1);
    }
  });

  it('defaults to a built-in pack that the configured default voice finds', () => {
    expect(BUILTIN_VOICE_PACKS.map((pack) => pack.id)).toContain(DEFAULT_VOICE_PACK_ID);
    const configured = CollarConfigSchema.parse({}).controller.voice;
    expect(configured.toLowerCase()).toBe(DEFAULT_VOICE_PACK_ID);
  });
});
