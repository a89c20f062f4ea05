/**
 * The masker's verification (docs/masking.md): with the wearer's real Mandarin at the
 * inner mic, the leaking voice and the masker are both carried to the child's position
 * through a calibration profile's per-band responses, and the speech-to-masker ratio of
 * every SII octave band over the speech-active 125 ms blocks, long-term and at the 90th
 * percentile, must sit at or below the mode's target: −15 dB (full), −10 dB (soft).
 *
 * Realistic timing on purpose: wearerSpeaking rises 280 ms after each onset (the
 * endpointer's 250 ms minimum speech plus a 32 ms VAD window) and falls 300 ms after the
 * voice stops; the masker reaches the air 20 ms (default I/O latency) plus the limiter's
 * look-ahead after the voice it answers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { wearerSpeech } from '../../../bench/acoustics/speech-sources.js';
import type { MaskLeak } from '../../../calibration/calibration-profile.js';
import { DEFAULT_IO_LATENCY_MS, defaultMaskLeak } from '../../../calibration/defaults.js';
import { TARGET_SMR_DB } from '../../../pipeline/stages/speaker/masker-level.js';
import { SpeakerMixer } from '../../../pipeline/stages/speaker/speaker-mixer.js';
import {
  activeBlocks,
  applyBandResponse,
  blockPowers,
  delayed,
  levelledRecordings,
  type SmrBand,
  speakingFlags,
  speechToMaskerRatios,
} from './child-position.js';

const SECONDS = 30;
const FRAME = 160;
const MIC_ACTIVE_LEVEL_DBFS = -28;

/** A made-up "measured" profile: a leakier fabric at low frequencies, a small speaker weak in the bass. */
const MEASURED: MaskLeak = {
  measuredAt: '2025-01-01T00:00:00.000Z',
  source: 'outer-microphone',
  bandsHz: [250, 500, 1000, 2000, 4000],
  leakDb: [-42, -46, -50, -57, -63],
  speakerToListenerDb: [-37, -35, -34, -34, -36],
};
const PROFILES: Record<string, MaskLeak> = { default: defaultMaskLeak(), measured: MEASURED };

let mic: Float32Array;
let flags: boolean[];
let active: boolean[];
let source: string;

beforeAll(async () => {
  const speech = await wearerSpeech(SECONDS);
  source = speech.source;
  mic = levelledRecordings(speech.samples, MIC_ACTIVE_LEVEL_DBFS);
  const activity = activeBlocks(blockPowers(mic));
  active = activity.active;
  flags = speakingFlags(mic, FRAME, activity.activeLevelDbfs, { onsetDelayMs: 280, hangoverMs: 300 });
});

function runMixer(leak: MaskLeak, mode: 'off' | 'soft' | 'full') {
  const mixer = new SpeakerMixer(leak, { mode });
  const out = new Float32Array(mic.length);
  let cappedFrames = 0;
  let speakingPower = 0;
  let speakingFrames = 0;
  for (let f = 0; f < flags.length; f++) {
    const report = mixer.mixFrame(
      { micAfterAec: mic.subarray(f * FRAME, (f + 1) * FRAME), wearerSpeaking: flags[f] as boolean },
      out.subarray(f * FRAME, (f + 1) * FRAME),
    );
    if (report.maskerCapped) cappedFrames++;
    if (flags[f]) {
      speakingPower += 10 ** (report.maskerLevelDbfs / 10);
      speakingFrames++;
    }
  }
  return { out, cappedFrames, speakingLevelDbfs: 10 * Math.log10(speakingPower / speakingFrames) };
}

function format(smr: SmrBand[]): string {
  const row = (pick: (s: SmrBand) => number) => smr.map((s) => pick(s).toFixed(1).padStart(6)).join('');
  return `  long-term ${row((s) => s.longTermDb)}\n  p90       ${row((s) => s.p90Db)}\n  median    ${row((s) => s.medianDb)}`;
}

describe('speech-to-masker ratio at the child (wearer at −28 dBFS, real Mandarin)', () => {
  for (const [profileName, leak] of Object.entries(PROFILES)) {
    for (const mode of ['full', 'soft'] as const) {
      it(`${profileName} profile, ${mode}: every band ≤ ${TARGET_SMR_DB[mode]} dB long-term and at the 90th percentile`, () => {
        const { out, cappedFrames, speakingLevelDbfs } = runMixer(leak, mode);
        const leakAtChild = applyBandResponse(mic, leak.bandsHz, leak.leakDb);
        const latencySamples = Math.round((DEFAULT_IO_LATENCY_MS * 16_000) / 1000);
        const maskerAtChild = applyBandResponse(delayed(out, latencySamples), leak.bandsHz, leak.speakerToListenerDb);
        const smr = speechToMaskerRatios(leakAtChild, maskerAtChild, leak.bandsHz, active);
        console.info(
          `[masking] ${profileName}/${mode} (${source}; ${active.filter(Boolean).length} active blocks, cap engaged in ${cappedFrames} of ${flags.length} frames, masker ${speakingLevelDbfs.toFixed(1)} dBFS while the wearer speaks), SMR dB at ${leak.bandsHz.join('/')} Hz:\n${format(smr)}`,
        );
        for (const band of smr) {
          expect(band.longTermDb, `${band.bandHz} Hz long-term`).toBeLessThanOrEqual(TARGET_SMR_DB[mode]);
          expect(band.p90Db, `${band.bandHz} Hz p90`).toBeLessThanOrEqual(TARGET_SMR_DB[mode]);
        }
      });
    }
  }

  it('emits nothing in off mode, and nothing once the wearer has been silent for hold + release', () => {
    expect(runMixer(PROFILES.default as MaskLeak, 'off').out.every((v) => v === 0)).toBe(true);
    const { out } = runMixer(PROFILES.default as MaskLeak, 'full');
    // Frames 30 (300 ms) or more after the flag fell: past the 150 ms hold and 150 ms release.
    let checked = 0;
    let silentFor = 0;
    for (let f = 0; f < flags.length; f++) {
      silentFor = flags[f] ? 0 : silentFor + 1;
      if (silentFor > 31) {
        expect(out.subarray(f * FRAME, (f + 1) * FRAME).every((v) => v === 0)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
