/**
 * `collar voices`: in-process (the command registered on a fresh program), and as a user
 * runs it once device/cli/collar.ts registers the command.
 */

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWav } from '../../../device/audio/wav-file.js';
import type { SynthesizePackPreview } from '../../../device/cli/commands/voices.js';
import { UnknownVoiceError } from '../../../pipeline/engines/tts/tts-engine.js';
import { ROOT, runCollar } from '../../helpers/run-collar.js';
import { espeakManifest, PIPER_VOICE, piperPack, tempDir, writePack } from './pack-fixtures.js';
import { runVoices } from './run-voices.js';

let work: string;
let env: NodeJS.ProcessEnv;
let voicesDir: string;

beforeEach(() => {
  work = tempDir();
  voicesDir = join(work, 'voices');
  // No config file is read: HOME and XDG_CONFIG_HOME point into the temp folder.
  env = {
    COLLAR_VOICES_DIR: voicesDir,
    HOME: work,
    XDG_CONFIG_HOME: join(work, 'config'),
    COLLAR_MODEL_CACHE: join(work, 'models'),
  };
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('collar voices (in-process)', () => {
  it('lists the packs with accent, engine, origin, the one in use and the model state', async () => {
    const { code, stdout } = await runVoices(['list'], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+id\s+name\s+accent\s+engine\s+origin\s+model$/m);
    expect(stdout).toMatch(/^\*\s+en-us\s+American\s+en-US\s+espeak-ng en-US\s+built-in\s+not-needed$/m);
    expect(stdout).toMatch(/^\s+en-gb-scotland\s+Scottish\s+en-GB-scotland\s+espeak-ng en-GB-scotland\s+built-in/m);
    expect(stdout).toMatch(
      /^\s+en-us-joe\s.*piper en_US-joe-medium\s+built-in\s+missing \(collar models fetch piper-en-us-joe-medium\)$/m,
    );
    expect(stdout).toMatch(/in use: en-us \(controller\.voice in the configuration\); user packs: .*voices$/m);
  });

  it('lists as JSON, following the configured voice', async () => {
    const { code, stdout } = await runVoices(['list', '--json'], { ...env, COLLAR__CONTROLLER__VOICE: 'en-029' });
    expect(code).toBe(0);
    const listing = JSON.parse(stdout);
    expect(listing.current).toEqual({ id: 'en-029', from: 'config' });
    expect(listing.packs.find((pack: { id: string }) => pack.id === 'en-029')).toMatchObject({
      inUse: true,
      origin: 'built-in',
      engine: 'espeak-ng',
      model: 'not-needed',
    });
    expect(listing.packs.filter((pack: { inUse: boolean }) => pack.inUse)).toHaveLength(1);
  });

  it('validate: exit 0 "valid" for a good pack; exit 2 with every problem, one per line', async () => {
    const { dir } = piperPack(join(work, 'piper'));
    const good = await runVoices(['validate', dir], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^valid: "piper-test" \(.*, 2 model file\(s\) verified\)$/m);

    writePack(join(work, 'bad'), espeakManifest({ rate: 3, previewLines: ['Hi', 'There', ''], lexicon: { Mei: '' } }));
    const bad = await runVoices(['validate', join(work, 'bad')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
      '  - rate: must be ≤ 2 (got 3)',
      '  - lexicon.Mei: must not be empty or start or end with spaces',
      '  - previewLines[2]: must not be empty (got "")',
    ]);
  });

  it('validate: a built-in id is a problem', async () => {
    const { code, stderr } = await runVoices(
      ['validate', writePack(join(work, 'us'), espeakManifest({ id: 'en-gb' }))],
      env,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/id: "en-gb" is a built-in pack's id/);
  });

  it('add (folder and .tgz), use, list shows them, remove falls back to the default', async () => {
    const mei = writePack(join(work, 'mei'), espeakManifest());
    expect(await runVoices(['add', mei], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^installed "scottish-mei"/),
    });
    expect((await runVoices(['add', mei], env)).code).toBe(2);
    expect(await runVoices(['add', mei, '--force'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^replaced/),
    });

    const { dir } = piperPack(join(work, 'piper'));
    const archive = join(work, 'piper-test.tgz');
    await tar.c({ gzip: true, file: archive, cwd: dir }, readdirSync(dir));
    expect((await runVoices(['add', archive], env)).code).toBe(0);

    expect(await runVoices(['use', 'scottish-mei'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^now using "scottish-mei"/),
    });
    const listing = JSON.parse((await runVoices(['list', '--json'], env)).stdout);
    expect(listing.current).toEqual({ id: 'scottish-mei', from: 'chosen' });
    expect(listing.packs.find((pack: { id: string }) => pack.id === 'piper-test')).toMatchObject({
      origin: 'user',
      model: 'installed',
      dir: join(voicesDir, 'piper-test'),
    });

    const removed = await runVoices(['remove', 'scottish-mei'], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(
      /removed "scottish-mei"; it was the voice in use, so the voice is now "en-us" \(the default\)/,
    );
    expect(existsSync(join(voicesDir, 'scottish-mei'))).toBe(false);
  });

  it('add refuses an invalid pack with exit 2 and installs nothing', async () => {
    const { dir } = piperPack(join(work, 'piper'));
    rmSync(join(dir, `${PIPER_VOICE}.onnx`));
    const { code, stderr } = await runVoices(['add', dir], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/model\.files\[0\] \("en_GB-testvoice-medium\.onnx"\): missing from the pack folder/);
    expect(existsSync(voicesDir) ? readdirSync(voicesDir) : []).toEqual([]);
  });

  it('remove and use: exit 2 for a built-in or unknown id, listing what is installed', async () => {
    expect(await runVoices(['remove', 'en-us'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/built in and cannot be removed/),
    });
    const unknown = await runVoices(['use', 'klingon'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown voice pack "klingon"; installed: en-us, en-gb, en-gb-scotland, /);
  });

  it('preview: writes the synthesised audio as a 16-bit WAV and prints where and how long', async () => {
    const calls: Array<{ id: string; text: string }> = [];
    const synthesize: SynthesizePackPreview = async (pack, text) => {
      calls.push({ id: pack.id, text });
      return { samples: new Float32Array(11025).fill(0.25), sampleRateHz: 22050 };
    };
    const out = join(work, 'preview.wav');
    const run = await runVoices(['preview', 'en-GB-scotland', 'Hello', 'there!', '--out', out], env, {
      loadPreviewSynthesizer: async () => synthesize,
    });
    expect(run.code).toBe(0);
    expect(calls).toEqual([{ id: 'en-gb-scotland', text: 'Hello there!' }]);
    expect(run.stdout).toBe(`wrote ${out} (0.50 s at 22050 Hz, voice "en-gb-scotland")\n`);
    const wav = readWav(out);
    expect(wav).toMatchObject({ sampleRate: 22050, channels: 1, bitDepth: '16', frames: 11025 });
    expect(wav.samples[100]).toBeCloseTo(0.25, 3);
    expect(readdirSync(work).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('preview: says the pack preview lines by default, into a temp file', async () => {
    let said = '';
    const run = await runVoices(['preview', 'en-us'], env, {
      loadPreviewSynthesizer: async () => async (_pack, text) => {
        said = text;
        return { samples: new Float32Array(2400), sampleRateHz: 24000 };
      },
    });
    expect(run.code).toBe(0);
    expect(said).toMatch(/^Good morning, sweetheart!/);
    const path = /^wrote (\S+) \(0\.10 s at 24000 Hz/.exec(run.stdout)?.[1];
    expect(path && existsSync(path)).toBeTruthy();
    if (path) rmSync(path);
  });

  it('preview: exit 2 for text with nothing speakable, and for a voice the engine does not have', async () => {
    const never = async (): Promise<SynthesizePackPreview> => {
      throw new Error('should not load');
    };
    const chinese = await runVoices(['preview', 'en-us', '你好'], env, { loadPreviewSynthesizer: never });
    expect(chinese.code).toBe(2);
    expect(chinese.stderr).toMatch(/nothing to say: "你好" has no English a voice can speak/);
    const unknownVoice = await runVoices(['preview', 'en-us', 'Hi'], env, {
      loadPreviewSynthesizer: async () => async () => {
        throw new UnknownVoiceError('no voice "en-XX"; the engine has: en-US');
      },
    });
    expect(unknownVoice.code).toBe(2);
    expect(unknownVoice.stderr).toMatch(/voice pack "en-us": no voice "en-XX"/);
  });

  it('preview: exit 2 for an unknown pack or a missing --out folder, before any synthesis', async () => {
    const loadPreviewSynthesizer = async (): Promise<SynthesizePackPreview> => {
      throw new Error('should not load');
    };
    expect((await runVoices(['preview', 'nope', 'Hi'], env, { loadPreviewSynthesizer })).code).toBe(2);
    const run = await runVoices(['preview', 'en-us', 'Hi', '--out', join(work, 'no', 'such', 'x.wav')], env, {
      loadPreviewSynthesizer,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the folder .* does not exist/);
  });
});

const registered = readFileSync(join(ROOT, 'device/cli/collar.ts'), 'utf8').includes('registerVoicesCommand');

describe.skipIf(!registered)('collar voices (as a user runs it)', () => {
  it('lists, validates, adds, uses and removes', () => {
    const collarEnv = { COLLAR_VOICES_DIR: voicesDir, COLLAR_MODEL_CACHE: join(work, 'models') };
    const list = runCollar(['voices', 'list'], collarEnv);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\*\s+en-us\s+American/m);
    const mei = writePack(join(work, 'mei'), espeakManifest());
    expect(runCollar(['voices', 'validate', mei], collarEnv)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^valid/),
    });
    writePack(join(work, 'bad'), espeakManifest({ rate: 3 }));
    const bad = runCollar(['voices', 'validate', join(work, 'bad')], collarEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ {2}- rate: must be ≤ 2 \(got 3\)/);
    expect(runCollar(['voices', 'add', mei], collarEnv).code).toBe(0);
    expect(runCollar(['voices', 'use', 'scottish-mei'], collarEnv).code).toBe(0);
    const removed = runCollar(['voices', 'remove', 'scottish-mei'], collarEnv);
    expect(removed.stdout).toMatch(/the voice is now "en-us" \(the default\)/);
    expect(runCollar(['voices', 'remove', 'en-us'], collarEnv).code).toBe(2);
  });
});
