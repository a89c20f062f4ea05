import { describe, expect, it } from 'vitest';
import { parseHostToWorker, parseWorkerToHost } from '../../../pipeline/workers/protocol.js';

describe('worker protocol parsing', () => {
  it('accepts each well-formed message', () => {
    for (const message of [
      { type: 'ping', id: 1 },
      { type: 'config', config: { volumeDb: -3 } },
      { type: 'event', event: { type: 'setVolume', volumeDb: -6 } },
      { type: 'shutdown' },
    ]) {
      expect(parseHostToWorker(message)).toEqual({ ok: true, message });
    }
    for (const message of [
      { type: 'ready', stage: 'gain' },
      { type: 'pong', id: 3 },
      { type: 'event', name: 'speechStart', data: { ptsSamples: 16000 } },
      { type: 'error', kind: 'stage', message: 'boom', fatal: true },
      { type: 'flushed', reason: 'interrupt', clearedSamples: 640 },
    ]) {
      expect(parseWorkerToHost(message)).toEqual({ ok: true, message });
    }
  });

  it.each([
    ['a string', 'hello', /message without a "type"/],
    ['null', null, /message without a "type"/],
    ['an unknown type', { type: 'reboot' }, /message of type "reboot"/],
    ['a missing field', { type: 'ping' }, /id/],
    ['a wrong field type', { type: 'ping', id: 'one' }, /id: .*got "one"/],
    ['an extra key', { type: 'ping', id: 1, extra: true }, /extra: unknown key/],
    ['an invalid control event', { type: 'event', event: { type: 'setVolume', volumeDb: 99 } }, /event\.volumeDb/],
    ['a message meant for the host', { type: 'ready', stage: 'x' }, /message of type "ready"/],
  ])('host→worker rejects %s', (_label, input, problem) => {
    const result = parseHostToWorker(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it.each([
    ['a pong without id', { type: 'pong' }],
    ['a negative cleared count', { type: 'flushed', reason: 'flush', clearedSamples: -1 }],
    ['an unknown error kind', { type: 'error', kind: 'oops', message: 'x', fatal: false }],
    ['a ping (host-only)', { type: 'ping', id: 1 }],
  ])('worker→host rejects %s', (_label, input) => {
    expect(parseWorkerToHost(input).ok).toBe(false);
  });
});
