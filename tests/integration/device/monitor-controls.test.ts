/** Mute and volume from the control lane act on what the monitor session plays. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WavCapture } from '../../../device/audio/wav-capture.js';
import { readWav, writeWav16 } from '../../../device/audio/wav-file.js';
import { WavPlayback } from '../../../device/audio/wav-playback.js';
import { runPassthrough } from '../../../device/session/passthrough-session.js';
import { CollarConfigSchema } from '../../../pipeline/config/schema.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { rms, sine } from '../../doubles/wav-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'collar-monitor-'));

async function run(send: (lane: ControlLane) => void): Promise<Float32Array> {
  const input = join(dir, `in-${Math.random().toString(36).slice(2)}.wav`);
  const output = join(dir, `out-${Math.random().toString(36).slice(2)}.wav`);
  writeWav16(input, sine(440, 16_000, 3), 16_000);
  const { logger } = captureLogger('silent');
  const lane = new ControlLane(logger);
  await runPassthrough({
    capture: new WavCapture({ path: input }),
    playback: new WavPlayback({ path: output }),
    config: CollarConfigSchema.parse({ logging: { level: 'silent' } }),
    logger,
    lane,
    onStarted: () => send(lane),
  });
  return readWav(output).samples;
}

describe('monitor session controls', () => {
  it('plays the input at 0 dB with no control events', async () => {
    const out = await run(() => {});
    expect(rms(out, 16_000, 40_000)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('mute silences the output from the next frame on', async () => {
    const out = await run((lane) => lane.send({ type: 'mute' }));
    // Audio that was already through the stage before the event may remain at the start.
    expect(rms(out, 16_000, out.length)).toBe(0);
  });

  it('setVolume -20 dB scales the output by a tenth', async () => {
    const out = await run((lane) => lane.send({ type: 'setVolume', volumeDb: -20 }));
    expect(rms(out, 16_000, 40_000)).toBeCloseTo(0.05 / Math.SQRT2, 3);
  });
});
