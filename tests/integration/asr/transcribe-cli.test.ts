/** `collar transcribe` as a tester runs it, on a stand-in SenseVoice installed through the store. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectedSenseVoiceText,
  lfrFramesFor,
  writeSenseVoiceStandIn,
} from '../../../bench/stand-ins/asr-stand-ins.js';
import { floatToInt16 } from '../../../device/audio/sample-convert.js';
import { writeWav16 } from '../../../device/audio/wav-file.js';
import { tempDir } from '../../helpers/model-cache.js';
import { runCollar } from '../../helpers/run-collar.js';
import { publishToMirror, writeCatalogFile } from '../../helpers/stand-in-catalog.js';

const work = tempDir('transcribe-cli');
afterAll(() => work.remove());
const modelDir = join(work.path, 'built');
mkdirSync(modelDir);
const mirror = join(work.path, 'mirror');
const model = writeSenseVoiceStandIn(modelDir);
const catalog = writeCatalogFile(join(work.path, 'catalog.json'), [
  publishToMirror(mirror, 'sense-voice-small', 'asr', [model.model, model.tokens]),
]);
const env = {
  COLLAR_MODEL_CACHE: join(work.path, 'cache'),
  COLLAR_MODEL_MIRROR: mirror,
  COLLAR_MODEL_CATALOG: catalog,
};

function writeTestWav(name: string, seconds: number, amplitude: number, sampleRate = 16000): string {
  const samples = new Float32Array(seconds * sampleRate);
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin(i * 0.37) * Math.sin(i * 0.011);
  const pcm = new Int16Array(samples.length);
  floatToInt16(samples, pcm);
  const path = join(work.path, name);
  writeWav16(path, pcm, sampleRate);
  return path;
}

describe('collar transcribe', () => {
  it('with the model not installed: exit 1 and the fetch command', () => {
    const wav = writeTestWav('speech.wav', 2, 0.5);
    const result = runCollar(['transcribe', '--in', wav], { ...env, COLLAR_MODEL_CACHE: join(work.path, 'empty') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/collar models fetch sense-voice-small/);
  });

  it('prints the recognised text, and the partials as they come with --partials', () => {
    expect(runCollar(['models', 'fetch', 'sense-voice-small'], env).code).toBe(0);
    const wav = writeTestWav('speech.wav', 2, 0.5);
    const result = runCollar(['transcribe', '--in', wav], env);
    expect(result.code).toBe(0);
    const expected = expectedSenseVoiceText(lfrFramesFor(32000));
    expect(result.stdout).toBe(`${expected}\n`);
    expect(result.stderr).toMatch(/sense-voice: 2\.00 s of audio decoded in \d+ ms, language zh/);

    const streamed = runCollar(['transcribe', '--in', wav, '--partials'], env);
    expect(streamed.code).toBe(0);
    const lines = streamed.stdout.trim().split('\n');
    expect(lines[0]).toBe(`[partial 0.40 s] ${expectedSenseVoiceText(lfrFramesFor(6400))}`);
    expect(lines.filter((line) => line.startsWith('[partial'))).toHaveLength(5);
    expect(lines.at(-1)).toBe(`[final 2.00 s] ${expected}`);
  });

  it('resamples a 44.1 kHz file and prints JSON with --json', () => {
    const wav = writeTestWav('speech-44k.wav', 1, 0.5, 44100);
    const result = runCollar(['transcribe', '--in', wav, '--json'], env);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { text: string; engine: string; audioMs: number; isFinal: boolean };
    expect(parsed).toMatchObject({ engine: 'sense-voice', audioMs: 1000, isFinal: true });
    expect(parsed.text).toBe(expectedSenseVoiceText(lfrFramesFor(16000)));
  });

  it('--partials with --json keeps stdout one JSON document (partials go to stderr)', () => {
    const wav = writeTestWav('speech-json.wav', 1, 0.5);
    const result = runCollar(['transcribe', '--in', wav, '--partials', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).isFinal).toBe(true);
    expect(result.stderr).toMatch(/^\[partial 0\.40 s\]/m);
  });

  it('refuses a recording longer than one utterance can be, pointing to collar listen', () => {
    const wav = writeTestWav('long.wav', 61, 0.1);
    const result = runCollar(['transcribe', '--in', wav], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/61 s long; .*collar listen --in .* --no-translate/);
  });

  it('silence gives empty text and says nothing was recognised', () => {
    const wav = writeTestWav('silence.wav', 1, 0);
    const result = runCollar(['transcribe', '--in', wav], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('\n');
    expect(result.stderr).toMatch(/no speech was recognised/);
  });

  it('refuses a corrupt WAV, a missing file, an unknown engine or language with exit 2', () => {
    const corrupt = join(work.path, 'corrupt.wav');
    writeFileSync(corrupt, 'RIFF\u0000\u0000\u0000\u0000WAVEjunk');
    const wav = writeTestWav('ok.wav', 1, 0.5);
    for (const args of [
      ['transcribe', '--in', corrupt],
      ['transcribe', '--in', join(work.path, 'absent.wav')],
      ['transcribe', '--in', wav, '--engine', 'magic'],
      ['transcribe', '--in', wav, '--language', 'xx'],
      ['transcribe', '--in', wav, '--partial-interval-ms', 'soon'],
    ]) {
      const result = runCollar(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/collar: /);
    }
    expect(existsSync(join(work.path, 'absent.wav'))).toBe(false);
  });
});
