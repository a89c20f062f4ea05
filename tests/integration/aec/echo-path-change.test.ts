/**
 * The echo path changes mid-stream (6 s into 14 s of the device's English): the delay
 * jumps (an audio I/O hiccup), or the whole response changes (the device moved on the
 * wearer). The delay estimate must follow to within 1 ms and the canceller re-converge.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EchoPathSpec } from '../../../bench/acoustics/echo-path.js';
import {
  analyseErle,
  buildEchoScenario,
  echoPath,
  loadSpeech,
  runCanceller,
  SAMPLE_RATE_HZ,
  type SpeechMaterial,
  TARGET_ERLE_DB,
} from '../../../bench/aec/aec-scenario.js';

const SECONDS = 14;
const CHANGE_S = 6;
/** Re-convergence measured: 0.5–0.9 s with the suppressor; a bound with some margin. */
const MAX_RECONVERGENCE_SECONDS = 1.5;

let speech: SpeechMaterial;

beforeAll(async () => {
  speech = await loadSpeech(SECONDS + 1);
  console.info(`aec path change: English from ${speech.englishSource}`);
});

const CHANGES: Array<[string, EchoPathSpec, EchoPathSpec]> = [
  ['mask-cavity, delay +30 ms', echoPath('mask-cavity'), { ...echoPath('mask-cavity'), delayMs: 51.7 }],
  ['near-dry → room-reflections', echoPath('near-dry'), echoPath('room-reflections')],
];

describe.each(CHANGES)('%s', (_label, before, after) => {
  it('follows the new delay within a second, to within 1 ms', () => {
    const scenario = buildEchoScenario({
      path: before,
      seconds: SECONDS,
      speech,
      pathChange: { atS: CHANGE_S, path: after },
    });
    const run = runCanceller(scenario, { frameSamples: 160, residualSuppression: false });
    const delayMsAt = (seconds: number) =>
      ((run.frames[Math.floor((seconds * SAMPLE_RATE_HZ) / 160)]?.report.bulkDelaySamples as number) * 1000) /
      SAMPLE_RATE_HZ;
    expect(Math.abs(delayMsAt(CHANGE_S - 0.1) - before.delayMs)).toBeLessThanOrEqual(1);
    for (const t of [CHANGE_S + 1, CHANGE_S + 4, SECONDS - 0.1]) {
      expect(Math.abs(delayMsAt(t) - after.delayMs), `at ${t} s`).toBeLessThanOrEqual(1);
    }
    const linear = analyseErle(scenario, run.output, { fromS: CHANGE_S, toS: SECONDS, settledFromS: CHANGE_S + 3 });
    expect(linear.erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
  });

  it(`re-converges to ≥ ${TARGET_ERLE_DB} dB within ${MAX_RECONVERGENCE_SECONDS} s`, () => {
    const scenario = buildEchoScenario({
      path: before,
      seconds: SECONDS,
      speech,
      pathChange: { atS: CHANGE_S, path: after },
    });
    const run = runCanceller(scenario, { frameSamples: 160 });
    const beforeChange = analyseErle(scenario, run.output, { fromS: 0, toS: CHANGE_S });
    const afterChange = analyseErle(scenario, run.output, { fromS: CHANGE_S, toS: SECONDS });
    expect(beforeChange.erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
    // The change is felt (the first window after it fails)...
    expect(afterChange.windows[0]?.erleDb).toBeLessThan(20);
    // ...and recovered from.
    expect(afterChange.convergenceS).toBeLessThanOrEqual(MAX_RECONVERGENCE_SECONDS);
    expect(afterChange.erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
  });
});
