import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../pipeline/config/load-config.js';

const emptyEnv = { HOME: '/nonexistent-home' };

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'collar-config-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every default when there is no file and no override', () => {
    const { config, file } = loadConfig({ env: emptyEnv });
    expect(file).toBeUndefined();
    expect(config.audio.frameMs).toBe(20);
    expect(config.workers.pingTimeoutMs).toBe(3000);
    expect(config.logging.level).toBe('info');
    expect(config.controller.mode).toBe('translate');
  });

  it('reads a file and lets COLLAR__SECTION__KEY override it, parsing JSON values', () => {
    const file = tempFile('c.json', JSON.stringify({ audio: { frameMs: 20, ringCapacityMs: 800 } }));
    const { config, envOverrides } = loadConfig({
      file,
      env: { ...emptyEnv, COLLAR__AUDIO__FRAME_MS: '10', COLLAR__CONTROLLER__VOICE: 'en-GB-scotland' },
    });
    expect(config.audio.frameMs).toBe(10);
    expect(config.audio.ringCapacityMs).toBe(800);
    expect(config.controller.voice).toBe('en-GB-scotland');
    expect(envOverrides).toEqual({
      'audio.frameMs': 'COLLAR__AUDIO__FRAME_MS',
      'controller.voice': 'COLLAR__CONTROLLER__VOICE',
    });
  });

  it('names the key, the source, what was expected and what was given', () => {
    const problems = problemsOf(() => loadConfig({ env: { ...emptyEnv, COLLAR__AUDIO__FRAME_MS: '15' } }));
    expect(problems).toEqual([
      'audio.frameMs (from COLLAR__AUDIO__FRAME_MS): expected 10 or 20 (milliseconds), got 15',
    ]);

    const file = tempFile('c.json', JSON.stringify({ workers: { pingTimeoutMs: 'soon' }, logging: { level: 'loud' } }));
    const fileProblems = problemsOf(() => loadConfig({ file, env: emptyEnv }));
    expect(fileProblems).toHaveLength(2);
    expect(fileProblems[0]).toMatch(new RegExp(`^workers\\.pingTimeoutMs \\(in ${file}\\): .*number.*got "soon"$`));
    expect(fileProblems[1]).toMatch(/^logging\.level \(in .*\): .*"info".*got "loud"$/);
  });

  it('refuses unknown keys in the file and in the environment, saying which', () => {
    const file = tempFile('c.json', JSON.stringify({ audio: { frameMS: 20 }, extras: {} }));
    const problems = problemsOf(() => loadConfig({ file, env: emptyEnv }));
    expect(problems.join('\n')).toMatch(/extras .*unknown key/);
    expect(problems.join('\n')).toMatch(/audio\.frameMS .*unknown key/);

    expect(problemsOf(() => loadConfig({ env: { ...emptyEnv, COLLAR__AUDIO__FRAMES: '10' } }))[0]).toMatch(
      /COLLAR__AUDIO__FRAMES: unknown key "audio.frames"; keys of audio are frameMs, ringCapacityMs/,
    );
    expect(problemsOf(() => loadConfig({ env: { ...emptyEnv, COLLAR__SOUND__LEVEL: '1' } }))[0]).toMatch(
      /unknown section "sound"/,
    );
  });

  it('explains a file that is missing, not JSON, or not an object', () => {
    expect(problemsOf(() => loadConfig({ file: '/nonexistent/collar.json', env: emptyEnv }))[0]).toMatch(
      /\/nonexistent\/collar\.json: cannot read the config file \(ENOENT\)/,
    );
    expect(problemsOf(() => loadConfig({ file: tempFile('bad.json', '{ audio: '), env: emptyEnv }))[0]).toMatch(
      /not valid JSON .*fix the syntax/,
    );
    expect(problemsOf(() => loadConfig({ file: tempFile('arr.json', '[1]'), env: emptyEnv }))[0]).toMatch(
      /top level must be a JSON object, got \[1\]/,
    );
  });

  it('finds the file through COLLAR_CONFIG and through XDG_CONFIG_HOME', () => {
    const file = tempFile('x.json', JSON.stringify({ controller: { volumeDb: -6 } }));
    expect(loadConfig({ env: { ...emptyEnv, COLLAR_CONFIG: file } }).config.controller.volumeDb).toBe(-6);
    const xdg = mkdtempSync(join(tmpdir(), 'collar-xdg-'));
    mkdirSync(join(xdg, 'collar'));
    writeFileSync(join(xdg, 'collar', 'config.json'), JSON.stringify({ controller: { volumeDb: -9 } }));
    expect(loadConfig({ env: { ...emptyEnv, XDG_CONFIG_HOME: xdg } }).config.controller.volumeDb).toBe(-9);
  });
});

describe('cross-field rules', () => {
  it('refuses a ping timeout that is not longer than the ping interval, naming both keys', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: { ...emptyEnv, COLLAR__WORKERS__PING_INTERVAL_MS: '300', COLLAR__WORKERS__PING_TIMEOUT_MS: '200' },
      }),
    );
    expect(problems).toEqual([
      'workers.pingTimeoutMs (from COLLAR__WORKERS__PING_TIMEOUT_MS): must be greater than workers.pingIntervalMs (300), got 200',
    ]);
  });
});
