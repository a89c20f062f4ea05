/** The speaker mixer: English + earcons at the volume, the calibrated masker, the limiter on all. */
import { describe, expect, it } from 'vitest';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { EarconOverlay } from '../../../device/outputs/earcon-overlay.js';
import { renderEarcon } from '../../../device/outputs/earcons.js';
import { type SpeakerFrameReport, SpeakerMixer } from '../../../pipeline/stages/speaker/speaker-mixer.js';
import { powerDb, sine, whiteNoise } from './test-signals.js';

const leak = defaultMaskLeak();
const FRAME = 160;

function mix(
  mixer: SpeakerMixer,
  frames: number,
  input: (f: number) => { english?: Float32Array; mic: Float32Array; speaking: boolean },
): { out: Float32Array; reports: SpeakerFrameReport[] } {
  const out = new Float32Array(frames * FRAME);
  const reports: SpeakerFrameReport[] = [];
  for (let f = 0; f < frames; f++) {
    const { english, mic, speaking } = input(f);
    reports.push(
      mixer.mixFrame({ english, micAfterAec: mic, wearerSpeaking: speaking }, out.subarray(f * FRAME, (f + 1) * FRAME)),
    );
  }
  return { out, reports };
}

const frameOf = (signal: Float32Array, f: number) => signal.subarray(f * FRAME, (f + 1) * FRAME);
const silence = new Float32Array(FRAME);

describe('SpeakerMixer', () => {
  it('plays the English at the volume, delayed only by the limiter look-ahead, with no masker while the wearer is silent', () => {
    const english = sine(FRAME * 50, 440, 0.5);
    const mixer = new SpeakerMixer(leak, { volumeDb: -6 });
    const { out, reports } = mix(mixer, 50, (f) => ({ english: frameOf(english, f), mic: silence, speaking: false }));
    const gain = 10 ** (-6 / 20);
    const L = mixer.latencySamples;
    for (let i = L; i < out.length; i++) expect(out[i]).toBeCloseTo((english[i - L] as number) * gain, 6);
    expect(reports.every((r) => r.englishActive && r.maskerLevelDbfs === Number.NEGATIVE_INFINITY)).toBe(true);
    expect(reports.every((r) => r.limiterGainReductionDb === 0)).toBe(true);
  });

  it('keeps the masker at its calibrated level whatever the volume', () => {
    const mic = whiteNoise(FRAME * 100, -28, 3);
    const loud = mix(new SpeakerMixer(leak, { volumeDb: 0 }), 100, (f) => ({ mic: frameOf(mic, f), speaking: true }));
    const quiet = mix(new SpeakerMixer(leak, { volumeDb: -40 }), 100, (f) => ({
      mic: frameOf(mic, f),
      speaking: true,
    }));
    expect(quiet.out).toEqual(loud.out);
    expect(powerDb(loud.out, FRAME * 20)).toBeGreaterThan(-40);
  });

  it('ramps a volume change over one frame', () => {
    const english = new Float32Array(FRAME * 3).fill(0.5);
    const mixer = new SpeakerMixer(leak, { limiter: { lookAheadMs: 1 } });
    const { out } = mix(mixer, 3, (f) => {
      if (f === 1) mixer.setVolumeDb(-20);
      return { english: frameOf(english, f), mic: silence, speaking: false };
    });
    const L = mixer.latencySamples;
    expect(out[FRAME + L - 1]).toBeCloseTo(0.5, 6);
    expect(out[FRAME + L + 80]).toBeLessThan(0.5);
    expect(out[FRAME + L + 80]).toBeGreaterThan(0.05);
    expect(out[2 * FRAME + L]).toBeCloseTo(0.05, 6);
    expect(mixer.volumeDb).toBe(-20);
  });

  it('ducks the masker by 40 dB within the first 10 ms frame of English, and reports it', () => {
    const mic = whiteNoise(FRAME * 60, -28, 5);
    const english = sine(FRAME * 60, 300, 0.3);
    const { reports } = mix(new SpeakerMixer(leak), 60, (f) => ({
      english: f >= 40 ? frameOf(english, f) : undefined,
      mic: frameOf(mic, f),
      speaking: true,
    }));
    expect(reports[39]?.duckGainDb).toBe(0);
    expect(reports[40]?.englishActive).toBe(true);
    expect(reports[40]?.duckGainDb).toBe(-40);
    expect((reports[30]?.maskerLevelDbfs as number) - (reports[45]?.maskerLevelDbfs as number)).toBeGreaterThan(35);
  });

  it('does not count English under the threshold as playing', () => {
    const faint = sine(FRAME, 300, 10 ** (-70 / 20));
    const [report] = mix(new SpeakerMixer(leak), 1, () => ({ english: faint, mic: silence, speaking: true })).reports;
    expect(report?.englishActive).toBe(false);
  });

  it.each(['off', 'soft', 'full'] as const)(
    'never exceeds the ceiling in %s mode: full-scale squares at +12 dB volume, a shouting wearer, earcons on top',
    (mode) => {
      const earcons = new EarconOverlay(8);
      const mixer = new SpeakerMixer(leak, { mode, volumeDb: 12, limiter: { ceilingDbfs: -1 } }, earcons);
      const square = Float32Array.from(sine(FRAME * 200, 440, 1), (v) => (v >= 0 ? 1 : -1));
      const shout = whiteNoise(FRAME * 200, -3, 7);
      const { out, reports } = mix(mixer, 200, (f) => {
        if (f % 40 === 0) earcons.enqueue(renderEarcon('englishComing', 0));
        return { english: f >= 100 ? frameOf(square, f) : undefined, mic: frameOf(shout, f), speaking: true };
      });
      const peak = out.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
      expect(peak).toBeLessThanOrEqual(10 ** (-1 / 20));
      expect(mixer.limiter.safetyClampCount).toBe(0);
      expect(Math.max(...reports.map((r) => r.limiterGainReductionDb))).toBeGreaterThan(10);
      expect(reports.every((r) => r.mode === mode)).toBe(true);
      if (mode !== 'off') expect(reports.slice(5, 100).some((r) => r.maskerCapped)).toBe(true);
    },
  );

  it('switches mode at run time', () => {
    const mic = whiteNoise(FRAME * 100, -28, 2);
    const mixer = new SpeakerMixer(leak, { mode: 'off' });
    const { out } = mix(mixer, 100, (f) => {
      if (f === 50) mixer.setMode('full');
      return { mic: frameOf(mic, f), speaking: true };
    });
    expect(out.subarray(0, 50 * FRAME).every((v) => v === 0)).toBe(true);
    expect(powerDb(out, 60 * FRAME)).toBeGreaterThan(-40);
    expect(mixer.mode).toBe('full');
  });

  it('refuses bad options, a volume out of range and frames of different lengths', () => {
    expect(() => new SpeakerMixer(leak, { volumeDb: 20 })).toThrow(
      /SpeakerMixer: volumeDb: must be between -60 and 12 dB, got 20/,
    );
    expect(() => new SpeakerMixer(leak, { englishThresholdDbfs: 0 })).toThrow(/englishThresholdDbfs/);
    expect(() => new SpeakerMixer(leak, { mode: 'max' as never })).toThrow(/mode/);
    expect(() => new SpeakerMixer(leak, { limiter: { lookAheadMs: 10 } })).toThrow(/lookAheadMs/);
    expect(() => new SpeakerMixer(leak).setVolumeDb(13)).toThrow(/volumeDb: must be between -60 and 12 dB, got 13/);
    expect(() =>
      new SpeakerMixer(leak).mixFrame(
        { micAfterAec: new Float32Array(160), wearerSpeaking: false },
        new Float32Array(320),
      ),
    ).toThrow(/frame lengths differ/);
  });
});
