/**
 * `collar listen` on real Mandarin recordings: denoise (GTCRN from the ../shared mirror),
 * VAD and ASR (the SenseVoice stand-in) in worker threads, then translation on the main
 * thread. The stand-in's words are made up, so the checks are on what the pipeline decides:
 * how many utterances, where they are, and that each was recognised and handed to MT.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { readWav } from '../../../device/audio/wav-file.js';
import { installListenStandIns } from '../../helpers/listen-stand-ins.js';
import { tempDir } from '../../helpers/model-cache.js';
import { runCollar } from '../../helpers/run-collar.js';

const CLIP = join(SHARED_PATHS.mandarinDir, 'llamacpp_sample.wav');
const missing = firstMissing([CLIP, SHARED_PATHS.gtcrnModel]);
if (missing) console.warn(`skipping collar listen tests: ${missing} is missing (../shared not present)`);

const work = tempDir('listen-cli');
afterAll(() => work.remove());
let env: Record<string, string> = {};

interface HeardLine {
  utteranceId: string;
  startS: number;
  endS: number;
  chinese: string;
  audioMs: number;
  endpointToTextMs: number;
  translationError?: string;
}

describe.skipIf(missing !== undefined)('collar listen', () => {
  beforeAll(() => {
    env = installListenStandIns(work.path);
  });

  it('prints each utterance the VAD finds, recognised, in order, as JSON lines', () => {
    const result = runCollar(['listen', '--in', CLIP, '--json', '--no-translate'], env, 60_000);
    expect(result.code).toBe(0);
    const heard = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as HeardLine);
    // The recording holds two phrases with a pause between them (the endpointing bench finds the same).
    expect(heard.map((h) => h.utteranceId)).toEqual(['utt-1', 'utt-2']);
    for (const h of heard) {
      expect(h.chinese.length).toBeGreaterThan(0);
      expect(h.endS).toBeGreaterThan(h.startS);
      // The recogniser got all of the speech (plus pre-roll and the pause that ended it).
      expect(h.audioMs).toBeGreaterThanOrEqual((h.endS - h.startS) * 1000);
      expect(h.audioMs).toBeLessThanOrEqual((h.endS - h.startS) * 1000 + 200 + 600);
      expect(h.endpointToTextMs).toBeGreaterThanOrEqual(0);
    }
    expect((heard[1]?.startS ?? 0) > (heard[0]?.endS ?? 0)).toBe(true);
    expect(result.stderr).toMatch(/listened to 6\.00 s of WAV file .* 2 utterance\(s\)/);
  });

  it('hands each transcript to translation, and says how to install MT when it is missing', () => {
    const result = runCollar(['listen', '--in', CLIP], env, 60_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^utt-1 {2}\d+\.\d\d–\d+\.\d\d s {2}\S+/m);
    expect(result.stdout.match(/not translated: .*collar models fetch opus-mt-zh-en/g)).toHaveLength(2);
  });

  it('--out speaks the English in the chosen voice pack and writes it as a 16 kHz WAV', () => {
    // The stand-in's words are made up: give them a family phrasebook so each has English.
    const heard = runCollar(['listen', '--in', CLIP, '--json', '--no-translate'], env, 60_000)
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as HeardLine);
    const family = join(work.path, 'family.json');
    writeFileSync(
      family,
      JSON.stringify({
        version: 1,
        entries: heard.map((h, i) => ({
          id: `said-${i}`,
          category: 'everyday',
          zh: [h.chinese],
          en: `Line number ${i + 1}, sweetie.`,
        })),
      }),
    );
    const out = join(work.path, 'english.wav');
    const result = runCollar(
      ['listen', '--in', CLIP, '--phrasebook', family, '--out', out, '--voice', 'en-gb-scotland'],
      env,
      60_000,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.match(/♪ first English audio \d+ ms after the end of speech/g)).toHaveLength(heard.length);
    const wav = readWav(out);
    expect([wav.sampleRate, wav.channels]).toEqual([16_000, 1]);
    // Two short lines at the child-directed rate: a second or more each, and audible.
    expect(wav.frames / 16_000).toBeGreaterThan(heard.length * 1);
    expect(wav.frames / 16_000).toBeLessThan(heard.length * 5);
    expect(Math.max(...Array.from(wav.samples, Math.abs))).toBeGreaterThan(0.1);
    const unknown = runCollar(['listen', '--in', CLIP, '--out', join(work.path, 'x.wav'), '--voice', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown voice pack "nope"; installed: en-us, /);
  });

  it('refuses a bad WAV, an unknown engine and a bad duration with exit 2', () => {
    for (const args of [
      ['listen', '--in', join(work.path, 'absent.wav')],
      ['listen', '--in', CLIP, '--engine', 'magic'],
      ['listen', '--in', CLIP, '--denoise', 'magic'],
      ['listen', '--in', CLIP, '--duration', '-3'],
      ['listen', '--in', CLIP, '--voice', 'en-us'],
      ['listen', '--in', CLIP, '--out', join(work.path, 'no', 'such', 'x.wav')],
    ]) {
      const result = runCollar(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/collar: /);
    }
  });
});
