/**
 * Barge-in through the real playback path (naudiodon → PortAudio → ALSA virtual device):
 * an utterance's English is interrupted after 1 s. The playout drops the rest by id, the
 * edge drops what was queued for the device, and the file the device wrote must end
 * where the interrupt cut it, with at most the device's own queue (≤ 40 ms) after it.
 *
 * The "English" here is a steady marker tone, so where it ends in the device's file can
 * be found to the sample; the path does not care what the audio is. The ALSA null PCM
 * has no clock (it takes audio as fast as it comes), so this checks what reaches the
 * device, not wall-clock timing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listDevices, resolveDevice } from '../../../device/audio/portaudio-devices.js';
import { PortAudioPlayback, QUEUED_CHUNKS } from '../../../device/audio/portaudio-playback.js';
import { SpeakerFeed } from '../../../device/session/speaker-feed.js';
import { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';
import { SpeechPlayout } from '../../../pipeline/stages/speaker/speech-playout.js';
import { createVirtualDevices, PLAYBACK_DEVICE } from '../../doubles/alsa-virtual-devices.js';

const FRAME = 320; // 20 ms, the frame the playback edge takes from the ring
const MARKER_AMPLITUDE = 0.25;

function markerFrame(index: number): Float32Array {
  const frame = new Float32Array(FRAME);
  for (let i = 0; i < FRAME; i++)
    frame[i] = MARKER_AMPLITUDE * Math.sin((2 * Math.PI * 500 * (index * FRAME + i)) / 16_000);
  return frame;
}

/**
 * How much of the marker the device received, in samples: one-period (32-sample) blocks
 * at the marker's level. Counting content, not first-to-last, because the clockless
 * ALSA device may slip a buffer of silence in where the host fell behind.
 */
function markerSamplesIn(samples: Int16Array): number {
  const period = 32;
  const threshold = (0.5 * MARKER_AMPLITUDE * 32768) / Math.SQRT2;
  let blocks = 0;
  for (let start = 0; start + period <= samples.length; start += period) {
    let energy = 0;
    for (let i = start; i < start + period; i++) energy += (samples[i] as number) ** 2;
    if (Math.sqrt(energy / period) > threshold) blocks += 1;
  }
  return blocks * period;
}

describe('barge-in on the real playback path', () => {
  it('stops the English within the device queue after an interrupt, and drops the rest by utterance id', async () => {
    const devices = createVirtualDevices(new Int16Array(16));
    process.env.ALSA_CONFIG_PATH = devices.configPath;
    const device = resolveDevice(await listDevices(), PLAYBACK_DEVICE, 'playback');

    const playout = new SpeechPlayout({ frameSamples: FRAME });
    for (let i = 0; i < 150; i++) playout.push('u1', markerFrame(i)); // 3 s of English
    playout.end('u1');
    let englishFramesRendered = 0;
    const speakerRing = RingBuffer.create('speaker', 'int16', 16_000);
    const feed = new SpeakerFeed(
      { frameSamples: FRAME, speakerRing, leadFrames: 1 },
      {
        renderFrame: (out) => {
          const id = playout.pullFrame(out);
          if (id) englishFramesRendered += 1;
          return id;
        },
      },
    );
    const playback = new PortAudioPlayback({ device, sampleRate: 16_000 });
    await playback.start(speakerRing);

    const report = await new Promise<ReturnType<SpeakerFeed['interrupt']>>((resolve) => {
      const timer = setInterval(() => {
        feed.pump();
        if (englishFramesRendered >= 50) {
          clearInterval(timer);
          resolve(feed.interrupt(playout, playback, 'u1'));
        }
      }, 1);
    });
    // Keep the device fed (silence now) for a moment, then stop.
    const renderedAtInterrupt = englishFramesRendered;
    await new Promise<void>((resolve) => {
      let ticks = 0;
      const timer = setInterval(() => {
        feed.pump();
        if (++ticks >= 50) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    speakerRing.close();
    await playback.stop();

    expect(englishFramesRendered).toBe(renderedAtInterrupt); // nothing of u1 after the interrupt
    expect(report.droppedFrames).toBe(150 - renderedAtInterrupt);
    expect(playout.push('u1', markerFrame(0))).toBe(false); // late synthesis for u1 is refused
    expect(report.stillAudibleMs).toBeLessThanOrEqual(QUEUED_CHUNKS * 10);
    expect(report.stillAudibleMs).toBeLessThanOrEqual(40);

    const raw = readFileSync(devices.playbackRaw);
    const written = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1);
    // What the device got of u1 = what was rendered less what the edge dropped.
    const expectedEndSamples = renderedAtInterrupt * FRAME - Math.round((report.droppedMs * 16_000) / 1000);
    const markerSamples = markerSamplesIn(written);
    console.log(
      `barge-in: rendered ${renderedAtInterrupt * 20} ms of English, dropped at the edge ${report.droppedMs.toFixed(1)} ms, ` +
        `still audible ${report.stillAudibleMs.toFixed(1)} ms; the device received ${(markerSamples / 16).toFixed(1)} ms`,
    );
    expect(Math.abs(markerSamples - expectedEndSamples)).toBeLessThanOrEqual(64);
  });
});
