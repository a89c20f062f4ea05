/** A Piper voice's .onnx.json read with zod: Piper's defaults, and every problem named by its key. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PIPER_DEFAULT_SCALES,
  PiperConfigError,
  parsePiperConfig,
  readPiperConfig,
} from '../../../pipeline/engines/tts/piper/piper-config.js';
import { tempDir } from '../../helpers/model-cache.js';

const minimal = () => ({
  audio: { sample_rate: 22050 },
  espeak: { voice: 'en-us' },
  phoneme_id_map: { _: [0], '^': [1], $: [2], a: [14] },
});

describe('Piper voice config', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('piper-config');
  });
  afterEach(() => dir.remove());

  it("gives a config without inference, phoneme_type or speakers Piper's defaults", () => {
    const config = parsePiperConfig(minimal(), 'voice.onnx.json');
    expect(config.inference).toMatchObject(PIPER_DEFAULT_SCALES);
    expect(config.phoneme_type).toBe('espeak');
    expect(config.num_speakers).toBe(1);
    expect(config.phoneme_map).toEqual({});
  });

  it('names every bad key at once', () => {
    const bad = {
      ...minimal(),
      audio: { sample_rate: 'fast' },
      espeak: {},
      inference: { noise_scale: 0.667, length_scale: -1, noise_w: 0.8 },
      phoneme_type: 'openjtalk',
    };
    let error: unknown;
    try {
      parsePiperConfig(bad, 'voice.onnx.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PiperConfigError);
    const message = (error as Error).message;
    expect(message).toContain('voice.onnx.json is not a usable Piper voice config');
    for (const key of ['audio.sample_rate', 'espeak.voice', 'inference.length_scale', 'phoneme_type'])
      expect(message).toContain(`${key}:`);
  });

  it('refuses a phoneme_id_map key that is not one codepoint', () => {
    expect(() =>
      parsePiperConfig({ ...minimal(), phoneme_id_map: { ...minimal().phoneme_id_map, ab: [5] } }, 'v'),
    ).toThrow(/phoneme_id_map\.ab: expected a single-codepoint phoneme/);
  });

  it('reads a file, and says when it is not JSON', async () => {
    const good = join(dir.path, 'good.onnx.json');
    writeFileSync(
      good,
      JSON.stringify({ ...minimal(), inference: { noise_scale: 0.5, length_scale: 1.1, noise_w: 0.6 } }),
    );
    expect((await readPiperConfig(good)).inference).toMatchObject({
      noise_scale: 0.5,
      length_scale: 1.1,
      noise_w: 0.6,
    });
    const broken = join(dir.path, 'broken.onnx.json');
    writeFileSync(broken, '{ "audio": ');
    await expect(readPiperConfig(broken)).rejects.toThrow(/broken\.onnx\.json is not JSON/);
  });
});
