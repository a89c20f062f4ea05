/** The CLI as a user runs it (from the sources, through tsx): exit codes and messages. */
import { describe, expect, it } from 'vitest';
import { runCollar as collar } from '../../helpers/run-collar.js';

describe('collar CLI', () => {
  it('lists the benchmarks', () => {
    const { code, stdout } = collar(['bench', '--list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^bus\s+ring buffer vs postMessage/m);
  });

  it('exits 2 and lists what exists for an unknown benchmark', () => {
    const { code, stderr } = collar(['bench', 'warp']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown benchmark "warp"; available: bus/);
  });

  it('exits 2 for a bad --scale', () => {
    const { code, stderr } = collar(['bench', 'bus', '--scale', 'lots']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--scale must be a number > 0, got "lots"/);
  });

  it('config check names the bad key and exits 2', () => {
    const { code, stderr } = collar(['config', 'check'], { COLLAR__WORKERS__PING_TIMEOUT_MS: '-5' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/workers\.pingTimeoutMs \(from COLLAR__WORKERS__PING_TIMEOUT_MS\): .*got -5/);
  });

  it('config show prints the effective configuration as JSON', () => {
    const { code, stdout } = collar(['config', 'show'], { COLLAR__CONTROLLER__VOICE: 'en-029' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).controller.voice).toBe('en-029');
  });

  it('exits 2 for an unknown command', () => {
    const { code, stderr } = collar(['dance']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'dance'/);
  });
});
