/** The Whisper engine's checks of config.json, generation_config.json and preprocessor_config.json. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WHISPER_IDS, writeWhisperStandIn } from '../../../bench/stand-ins/whisper-stand-ins.js';
import { readWhisperConfig } from '../../../pipeline/engines/asr/whisper/whisper-config.js';
import { tempDir } from '../../helpers/model-cache.js';

const work = tempDir('whisper-config');
afterAll(() => work.remove());
let count = 0;
const standIn = (options: Parameters<typeof writeWhisperStandIn>[1] = {}) =>
  writeWhisperStandIn(join(work.path, `m${count++}`), options);

describe('readWhisperConfig', () => {
  it('reads the dimensions, the zh prompt and the window from the stand-in files', async () => {
    const { config, problems } = await readWhisperConfig(standIn(), 'zh');
    expect(problems).toEqual([]);
    expect(config).toEqual({
      dims: {
        hidden: 384,
        decoderLayers: 4,
        heads: 6,
        headDim: 64,
        vocabSize: 51865,
        melBins: 80,
        encoderFrames: 1500,
      },
      maxTargetPositions: 448,
      prompt: {
        startOfTranscript: WHISPER_IDS.startOfTranscript,
        language: WHISPER_IDS.zh,
        transcribe: WHISPER_IDS.transcribe,
        noTimestamps: WHISPER_IDS.noTimestamps,
        endOfText: WHISPER_IDS.endOfText,
      },
      windowSamples: 480000,
      windowFrames: 3000,
      hopLength: 160,
    });
  });

  it('lists every problem of every file at once', async () => {
    const paths = standIn({
      config: { d_model: 385 },
      generationConfig: { is_multilingual: false, lang_to_id: { '<|en|>': 50259 } },
      preprocessorConfig: { feature_size: 128, nb_max_frames: 2000 },
    });
    const { config, problems } = await readWhisperConfig(paths, 'zh');
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      `${paths.generationConfig}: is_multilingual: expected true (an English-only model cannot be prompted for Mandarin)`,
      `${paths.config}: d_model 385 is not a multiple of 6 heads`,
      `${paths.preprocessorConfig}: feature_size 128, but ${paths.config} has num_mel_bins 80`,
      `${paths.preprocessorConfig}: nb_max_frames 2000, but the encoder takes 3000 frames (2 × max_source_positions)`,
      `${paths.preprocessorConfig}: n_samples 480000 is not nb_max_frames × hop_length (2000 × 160)`,
    ]);
  });

  it('refuses a model without a zh token, or with prompt ids inside the text vocabulary', async () => {
    const noZh = standIn({ generationConfig: { lang_to_id: { '<|en|>': 50259 } } });
    expect((await readWhisperConfig(noZh, 'zh')).problems).toEqual([
      `${noZh.generationConfig}: lang_to_id has no "<|zh|>"`,
    ]);
    const lowIds = standIn({ generationConfig: { no_timestamps_token_id: 220 } });
    expect((await readWhisperConfig(lowIds, 'zh')).problems).toEqual([
      `${lowIds.generationConfig}: no_timestamps_token_id is 220, not a special token after <|endoftext|> (50257) as in every Whisper vocabulary`,
    ]);
  });

  it('names a file that is not JSON', async () => {
    const paths = standIn();
    const { problems } = await readWhisperConfig({ ...paths, config: paths.encoder }, 'zh');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(paths.encoder);
  });
});
