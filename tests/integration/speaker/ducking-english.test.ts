/**
 * The masker under the device's real English (espeak-ng, the phrasebook, all accents):
 * the wearer talks over the English (barge-in), so the masker is on when the English
 * starts and must fall by duckDb within the ducker's attack; and the limiter holds the
 * ceiling with the English turned up, a shouting wearer and earcons on top.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceEnglish, wearerSpeech } from '../../../bench/acoustics/speech-sources.js';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { EarconOverlay } from '../../../device/outputs/earcon-overlay.js';
import { renderEarcon } from '../../../device/outputs/earcons.js';
import { SpeakerMixer } from '../../../pipeline/stages/speaker/speaker-mixer.js';
import { levelledRecordings } from './child-position.js';

const FRAME = 160;
const SECONDS = 6;
const ENGLISH_FROM_FRAME = 200;
const ENGLISH_TO_FRAME = 400;
const leak = defaultMaskLeak();

let mic: Float32Array;
let english: Float32Array;

beforeAll(async () => {
  mic = levelledRecordings((await wearerSpeech(SECONDS)).samples, -28);
  english = levelledRecordings((await deviceEnglish(SECONDS)).samples, -20);
});

/** Runs the mixer; English plays in frames [from, to) when `withEnglish`. Returns output and the English it played. */
function run(withEnglish: boolean, volumeDb: number, earcons?: EarconOverlay) {
  const mixer = new SpeakerMixer(leak, { mode: 'full', volumeDb }, earcons);
  const frames = Math.floor(mic.length / FRAME);
  const out = new Float32Array(frames * FRAME);
  const played = new Float32Array(frames * FRAME);
  const reports = [];
  for (let f = 0; f < frames; f++) {
    const playing = withEnglish && f >= ENGLISH_FROM_FRAME && f < ENGLISH_TO_FRAME;
    const frameEnglish = playing ? english.subarray(f * FRAME, (f + 1) * FRAME) : undefined;
    if (frameEnglish) played.set(frameEnglish, f * FRAME);
    reports.push(
      mixer.mixFrame(
        { english: frameEnglish, micAfterAec: mic.subarray(f * FRAME, (f + 1) * FRAME), wearerSpeaking: true },
        out.subarray(f * FRAME, (f + 1) * FRAME),
      ),
    );
  }
  return { out, played, reports, mixer };
}

describe('the masker under real English', () => {
  it('drops by duckDb (40 dB) within the 10 ms attack after the English starts, and returns after it ends', () => {
    const volumeDb = -6;
    const gain = 10 ** (volumeDb / 20);
    const plain = run(false, volumeDb);
    const ducked = run(true, volumeDb);
    const L = ducked.mixer.latencySamples;
    // With the limiter idle, out = (English·gain + masker) delayed by L, so the masker is the difference.
    expect(ducked.reports.every((r) => r.limiterGainReductionDb === 0)).toBe(true);
    const masker = ducked.out.map((v, i) => v - (i >= L ? (ducked.played[i - L] as number) * gain : 0));
    const windowDb = (signal: Float32Array, start: number) => {
      let sum = 0;
      for (let i = start; i < start + 16; i++) sum += (signal[i] as number) ** 2;
      return 10 * Math.log10(sum / 16);
    };
    const firstEnglish = ducked.played.findIndex((v) => Math.abs(v) > 1e-3);
    expect(firstEnglish).toBeGreaterThanOrEqual(ENGLISH_FROM_FRAME * FRAME);
    // Same seed, same microphone: sample by sample, the ducked masker over the plain one is the ducking gain.
    let reachedAt = -1;
    for (let n = ENGLISH_FROM_FRAME * FRAME + L; n < ENGLISH_FROM_FRAME * FRAME + L + 800; n++) {
      const reference = Math.abs(plain.out[n] as number);
      if (reference > 1e-4 && 20 * Math.log10(Math.abs(masker[n] as number) / reference) <= -40 + 0.01) {
        reachedAt = n - L;
        break;
      }
    }
    // Counted inclusively: the ducking sample that reaches −40 dB is part of the attack.
    const duckMs = ((reachedAt - firstEnglish + 1) * 1000) / 16_000;
    console.info(
      `[ducking] masker −40 dB reached ${duckMs.toFixed(2)} ms after the English's first sample above −60 dBFS`,
    );
    expect(reachedAt).toBeGreaterThan(0);
    expect(duckMs).toBeLessThanOrEqual(10);
    // While the English plays (and its gaps are held) the masker stays 40 dB down…
    const during = [ENGLISH_FROM_FRAME + 5, ENGLISH_TO_FRAME - 1].map((f) => f * FRAME + L);
    for (const start of during) expect(windowDb(masker, start) - windowDb(plain.out, start)).toBeCloseTo(-40, 3);
    // …and is back 250 ms hold + 300 ms release after the English stops.
    const back = (ENGLISH_TO_FRAME + 56) * FRAME + L;
    expect(windowDb(masker, back) - windowDb(plain.out, back)).toBeCloseTo(0, 3);
  });

  it('never passes the −1 dBFS ceiling with the English at +12 dB, a shouting wearer and earcons', () => {
    const shouting = mic;
    mic = shouting.map((v) => v * 10 ** (20 / 20)); // −8 dBFS active
    try {
      const earcons = new EarconOverlay(8);
      for (const name of ['heard', 'englishComing', 'notUnderstood'] as const) earcons.enqueue(renderEarcon(name, 0));
      const { out, reports, mixer } = run(true, 12, earcons);
      const peakDbfs = 20 * Math.log10(out.reduce((max, v) => Math.max(max, Math.abs(v)), 0));
      const maxReductionDb = Math.max(...reports.map((r) => r.limiterGainReductionDb));
      console.info(
        `[limiter] peak ${peakDbfs.toFixed(3)} dBFS, max gain reduction ${maxReductionDb.toFixed(1)} dB, latency ${mixer.limiter.latencyMs} ms`,
      );
      expect(peakDbfs).toBeLessThanOrEqual(-1);
      expect(maxReductionDb).toBeGreaterThan(6);
      expect(mixer.limiter.safetyClampCount).toBe(0);
    } finally {
      mic = shouting;
    }
  });
});
