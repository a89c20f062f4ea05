/**
 * The real audio path — naudiodon → PortAudio → ALSA — on a machine with no sound card,
 * through ALSA virtual devices backed by files (tests/fixtures/alsa). The ALSA `null`
 * PCM has no clock, so these devices run faster than real time; the content is what
 * is checked, sample for sample where no resampling is involved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav, writeWav16 } from '../../../device/audio/wav-file.js';
import { CAPTURE_DEVICE, createVirtualDevices, PLAYBACK_DEVICE } from '../../doubles/alsa-virtual-devices.js';
import { rms, sine, zeroCrossingFrequency } from '../../doubles/wav-bytes.js';
import { runCollar } from '../../helpers/run-collar.js';

/** Deterministic noise: every sample position matters when comparing. */
function noise(length: number, seed = 1): Int16Array {
  const out = new Int16Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = (((state >>> 16) & 0xffff) - 32768) >> 2;
  }
  return out;
}

describe('ALSA virtual devices through PortAudio', () => {
  it('lists the virtual devices', () => {
    const devices = createVirtualDevices(new Int16Array(16));
    const { code, stdout } = runCollar(['devices'], devices.env);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`capture devices:[\\s\\S]*${CAPTURE_DEVICE}`));
    expect(stdout).toMatch(new RegExp(`playback devices:[\\s\\S]*${PLAYBACK_DEVICE}`));
  });

  it('captures a known signal: the frames reaching the bus are the file’s samples, in order', () => {
    const signal = noise(16_000 * 2);
    const devices = createVirtualDevices(signal);
    const out = join(devices.dir, 'captured.wav');
    const { code, stdout, stderr } = runCollar(
      ['run', '--capture-device', CAPTURE_DEVICE, '--rate', '16000', '--out', out, '--duration', '1.2'],
      devices.env,
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/monitor mode \(pass-through\): PortAudio capture "collar_test_capture"/);
    const captured = readWav(out);
    expect(captured.sampleRate).toBe(16_000);
    // The first 0.5 s arrives intact, sample for sample.
    const compared = 8_000;
    let mismatches = 0;
    for (let i = 0; i < compared; i++) {
      if (Math.round((captured.samples[i] as number) * 32768) !== signal[i]) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });

  it('captures at a 48 kHz hardware rate and resamples to the pipeline’s 16 kHz', () => {
    const devices = createVirtualDevices(sine(1000, 48_000, 2));
    const out = join(devices.dir, 'captured48.wav');
    const { code, stderr } = runCollar(
      ['run', '--capture-device', CAPTURE_DEVICE, '--rate', '48000', '--out', out, '--duration', '1.2'],
      devices.env,
    );
    expect(code, stderr).toBe(0);
    const captured = readWav(out);
    const steady = captured.samples.subarray(800, 7_000);
    expect(zeroCrossingFrequency(steady, 16_000)).toBeCloseTo(1000, -1);
    expect(rms(steady)).toBeCloseTo(0.5 / Math.SQRT2, 1);
  });

  it('plays frames to the device: the bytes landing in its file are the frames, in order', () => {
    const devices = createVirtualDevices(new Int16Array(16));
    const signal = noise(16_000, 7);
    const input = join(devices.dir, 'input.wav');
    writeWav16(input, signal, 16_000);
    const { code, stdout, stderr } = runCollar(
      ['run', '--in', input, '--playback-device', PLAYBACK_DEVICE, '--rate', '16000'],
      devices.env,
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/frames processed 50, played 50/);
    const raw = readFileSync(devices.playbackRaw);
    const played = new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
    // Leading silence is PortAudio priming. The null device takes audio faster than real
    // time, so the edge may also play whole frames of silence between frames (counted as
    // underruns); those are removed, and what is left must be the signal, intact, in order.
    const start = played.findIndex((v) => v !== 0);
    expect(start).toBeGreaterThanOrEqual(0);
    const frames: number[] = [];
    let silentFrames = 0;
    for (let offset = start; offset + 320 <= played.length; offset += 320) {
      const frame = played.subarray(offset, offset + 320);
      if (frame.every((v) => v === 0)) silentFrames += 1;
      else frames.push(...frame);
    }
    expect(frames.length).toBe(signal.length);
    expect(frames).toEqual(Array.from(signal));
    const underruns = Number(/underruns (\d+)/.exec(stdout)?.[1]);
    expect(silentFrames).toBeLessThanOrEqual(underruns + 8); // + the tail of silence after the stream
  });

  it('an unknown device name exits 2 and lists the devices that exist', () => {
    const devices = createVirtualDevices(new Int16Array(16));
    const { code, stderr } = runCollar(
      ['run', '--capture-device', 'usb-headset', '--out', join(devices.dir, 'x.wav')],
      devices.env,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/no capture device "usb-headset"; available capture devices:[\s\S]*collar_test_capture/);
  });
});
