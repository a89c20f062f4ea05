/**
 * The feedback loop must never close: ten minutes of the device's own English (real
 * espeak-ng synthesis in all its accents) played through a simulated chest speaker
 * (mildly saturating) and echo path into the inner microphone, cleaned by the echo
 * canceller and the feedback guard, then given to the real Silero VAD and endpointer:
 * zero utterances may be detected. The same run without the guard, and without the
 * canceller, is measured and printed, to show what each layer is doing.
 * (The other side, that the guard still lets the wearer through, is barge-in-guard.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { scaledToDbfs } from '../../../bench/acoustics/levels.js';
import { runSimulatedMicPath } from '../../../bench/acoustics/simulated-mic-path.js';
import { deviceEnglish } from '../../../bench/acoustics/speech-sources.js';
import { useSileroUtterances } from '../../helpers/silero-utterances.js';

const ENGLISH_SECONDS = 600;
const SPEAKER_LEVEL_DBFS = -20;

describe('feedback guard on simulated acoustics', () => {
  const utterancesIn = useSileroUtterances();

  it('ten minutes of the device’s own English through the echo path: zero detected utterances', async () => {
    const english = await deviceEnglish(ENGLISH_SECONDS);
    const speaker = scaledToDbfs(english.samples, SPEAKER_LEVEL_DBFS);
    // Halfway through, the wearer shifts the collar: a longer, more reverberant path.
    const echoPath = generateEchoPath(ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string]);
    const echoPathChange = {
      atSeconds: ENGLISH_SECONDS / 2,
      echoPath: generateEchoPath(ECHO_PATHS['room-reflections'] as (typeof ECHO_PATHS)[string]),
    };
    const scenario = { speaker, echoPath, echoPathChange, speakerDrive: 3 };
    const guarded = runSimulatedMicPath({ ...scenario, guard: true });
    const guardedUtterances = await utterancesIn(guarded.cleaned);
    const unguarded = runSimulatedMicPath({ ...scenario, guard: false });
    const unguardedUtterances = await utterancesIn(unguarded.cleaned);
    const rawUtterances = await utterancesIn(guarded.mic);
    console.log(
      `feedback: ${ENGLISH_SECONDS} s of ${english.source}, echo path changing at ${echoPathChange.atSeconds} s; detected utterances — raw microphone ${rawUtterances.length}, ` +
        `echo canceller only ${unguardedUtterances.length}, canceller + guard ${guardedUtterances.length}; ` +
        `guard muted ${guarded.mutedFrames} of ${guarded.frames} frames; AEC+guard ${(guarded.processMs / ENGLISH_SECONDS / 50).toFixed(3)} ms per 20 ms frame`,
    );
    expect(rawUtterances.length).toBeGreaterThan(20); // the echo alone is plainly speech to the VAD
    expect(guardedUtterances).toEqual([]);
  }, 300_000);
});
