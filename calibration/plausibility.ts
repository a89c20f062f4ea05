/**
 * Is a measurement believable enough to save? Each check returns every reason it is not
 * (`problems`: the profile is not written) and what is worth knowing but not fatal
 * (`warnings`). Reasons say what was seen and what to do about it, since the person
 * reading them is a tester holding the device.
 */

import type { SignalStats } from './level-measurement.js';
import type {
  EchoPathMeasurement,
  MaskLeakMeasurement,
  Measurement,
  MicGainMeasurement,
  NoiseFloorMeasurement,
} from './measurements.js';

export interface PlausibilityReport {
  problems: string[];
  warnings: string[];
}

/** Limits, with where each comes from. */
export const LIMITS = {
  /** Below one int16 step of noise (−90 dBFS RMS for ±½ LSB): no live microphone is this quiet. */
  noiseFloorMinDbfs: -100,
  /** 75 dB SPL on the default scale (120 dB SPL full scale): speech would not stand clear of it. */
  noiseFloorMaxDbfs: -45,
  /** Clipping: more than 0.01 % of samples at full scale, or three in a row anywhere. */
  clippedFractionMax: 1e-4,
  clipRunMax: 3,
  /** Speech must stand this far above the room for a level (and masking) to mean anything. */
  speechOverNoiseMinDb: 15,
  /** P.56 activity below this: the wearer did not read (or the microphone did not hear them). */
  speechActivityMin: 0.1,
  /** Short-term levels that move less than this are a steady signal, not speech. */
  speechLevelSpreadMinDb: 10,
  /** The profile's schema bound on software gain. */
  micGainMaxDb: 40,
  /** The echo's direct sound must arrive between these (ms after playback). */
  echoDelayMinMs: 0,
  echoDelayMaxMs: 300,
  /** Peak-to-noise of the impulse response: below `noSignal` nothing was heard, below `min` too noisy to trust. */
  echoSnrNoSignalDb: 10,
  echoSnrMinDb: 20,
  /** The profile's schema bounds on the echo gain. */
  echoGainMinDb: -80,
  echoGainMaxDb: 20,
  /** A band whose signal stands less than this above the outer microphone's quiet level is unreliable. */
  bandSnrMinDb: 3,
  /** The voice at 1 m cannot be louder than inside the mask by more than measurement noise. */
  leakMaxDb: 3,
} as const;

const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

/** Digital silence and clipping: shared by every step that records. */
function signalProblems(stats: SignalStats, what: string, clipHint: string): string[] {
  const problems: string[] = [];
  if (stats.lengthSamples === 0) {
    problems.push(`no signal: the ${what} delivered no samples`);
    return problems;
  }
  if (stats.digitalSilence) {
    problems.push(
      `no signal: the ${what} delivered digital silence (every sample ${fmt(stats.dcOffset * 32768, 0)} of 32768); it is muted, unplugged, or not the microphone — check the device (\`collar devices\`) and its mute switch`,
    );
    return problems;
  }
  const clippedFraction = stats.clippedSamples / stats.lengthSamples;
  if (clippedFraction > LIMITS.clippedFractionMax || stats.longestClipRun >= LIMITS.clipRunMax) {
    problems.push(
      `clipping: ${stats.clippedSamples} samples of the ${what} at full scale (longest run ${stats.longestClipRun}, peak ${fmt(stats.peakDbfs)} dBFS); ${clipHint}`,
    );
  }
  return problems;
}

export function checkNoiseFloor(m: NoiseFloorMeasurement): PlausibilityReport {
  const problems = signalProblems(m.stats, 'microphone', 'something loud happened during the quiet recording');
  if (problems.some((p) => p.startsWith('no signal'))) return { problems, warnings: [] };
  if (m.noiseFloorDbfs < LIMITS.noiseFloorMinDbfs) {
    problems.push(
      `no signal: the quiet room measured ${fmt(m.noiseFloorDbfs)} dBFS, below the self-noise of any working microphone (${LIMITS.noiseFloorMinDbfs} dBFS); it is muted, disconnected or not the microphone`,
    );
  } else if (m.noiseFloorDbfs > LIMITS.noiseFloorMaxDbfs) {
    problems.push(
      `too loud to calibrate: the quiet room measured ${fmt(m.noiseFloorDbfs)} dBFS (limit ${LIMITS.noiseFloorMaxDbfs} dBFS); turn off fans, music and talk, and run the step again`,
    );
  }
  const warnings: string[] = [];
  if (Math.abs(m.stats.dcOffset) > 0.01) {
    warnings.push(`the microphone has a DC offset of ${fmt(m.stats.dcOffset * 100, 2)} % of full scale`);
  }
  return { problems, warnings };
}

export function checkMicGain(m: MicGainMeasurement): PlausibilityReport {
  const problems = signalProblems(
    m.stats,
    'microphone',
    "lower the microphone's hardware gain (or the wearer's voice) and run the step again",
  );
  const warnings: string[] = [];
  if (problems.some((p) => p.startsWith('no signal'))) return { problems, warnings };
  const level = m.speech.activeLevelDbfs;
  if (!Number.isFinite(level) || m.speech.activityFactor < LIMITS.speechActivityMin) {
    problems.push(
      `no speech heard: speech activity ${fmt(m.speech.activityFactor * 100, 0)} % of the recording (need ≥ ${LIMITS.speechActivityMin * 100} %); the wearer reads the prompt aloud, with the mask on, while the bar runs`,
    );
    return { problems, warnings };
  }
  if (m.levelSpreadDb < LIMITS.speechLevelSpreadMinDb) {
    problems.push(
      `no speech heard: the recording is steady (its 20 ms levels vary by ${fmt(m.levelSpreadDb)} dB; speech varies by ${LIMITS.speechLevelSpreadMinDb} dB and more); the wearer reads the prompt aloud, with the mask on, while the bar runs`,
    );
    return { problems, warnings };
  }
  if (m.noiseFloorDbfs !== undefined && level - m.noiseFloorDbfs < LIMITS.speechOverNoiseMinDb) {
    problems.push(
      `speech too close to the room noise: ${fmt(level)} dBFS against a noise floor of ${fmt(m.noiseFloorDbfs)} dBFS (need ≥ ${LIMITS.speechOverNoiseMinDb} dB apart); is the microphone inside the mask?`,
    );
  }
  if (Math.abs(m.gainToTargetDb) > LIMITS.micGainMaxDb) {
    problems.push(
      `gain out of range: speech at ${fmt(level)} dBFS needs ${fmt(m.gainToTargetDb)} dB to reach ${m.targetLevelDbfs} dBFS (limit ±${LIMITS.micGainMaxDb} dB); check the microphone's hardware gain`,
    );
  }
  if (m.gainDb < m.gainToTargetDb - 0.05) {
    warnings.push(
      `gain held to ${fmt(m.gainDb)} dB (speech peaks at ${fmt(m.stats.peakDbfs)} dBFS); reaching ${m.targetLevelDbfs} dBFS needs ${fmt(m.gainToTargetDb)} dB`,
    );
  }
  return { problems, warnings };
}

export function checkEchoPath(m: EchoPathMeasurement): PlausibilityReport {
  const problems = signalProblems(m.stats, 'microphone', 'turn the speaker volume down and run the step again');
  const warnings: string[] = [];
  if (problems.some((p) => p.startsWith('no signal'))) return { problems, warnings };
  if (m.recordedAfterPlaybackSamples < m.neededAfterPlaybackSamples) {
    problems.push(
      `the recording after playback started is ${fmt(m.recordedAfterPlaybackSamples / 16, 0)} ms; the analysis needs ${fmt(m.neededAfterPlaybackSamples / 16, 0)} ms (record the whole played file)`,
    );
    return { problems, warnings };
  }
  const a = m.analysis;
  if (!a) return { problems: [...problems, 'no impulse response could be computed'], warnings };
  if (a.snrDb < LIMITS.echoSnrNoSignalDb) {
    problems.push(
      `no signal: the microphone did not hear the ${m.excitation === 'mls' ? 'test sequence' : 'sweep'} (impulse-response peak ${fmt(a.snrDb)} dB over its noise); is the speaker connected and its volume up?`,
    );
    return { problems, warnings };
  }
  if (a.delayMs < LIMITS.echoDelayMinMs || a.delayMs > LIMITS.echoDelayMaxMs) {
    const why =
      a.delayMs < LIMITS.echoDelayMinMs
        ? 'the echo arrived before it was played: the recording does not start where playback did (for a WAV recording, start recording before playing)'
        : 'no device adds that much latency; the speaker and microphone are probably not on the same device, or audio is being buffered elsewhere';
    problems.push(
      `delay out of range: ${fmt(a.delayMs, 2)} ms (expected ${LIMITS.echoDelayMinMs}–${LIMITS.echoDelayMaxMs} ms); ${why}`,
    );
  }
  if (a.snrDb < LIMITS.echoSnrMinDb) {
    problems.push(
      `SNR too low: impulse-response peak ${fmt(a.snrDb)} dB over its noise (need ≥ ${LIMITS.echoSnrMinDb} dB); make the room quieter or the speaker louder and run the step again`,
    );
  }
  if (a.gainDb < LIMITS.echoGainMinDb || a.gainDb > LIMITS.echoGainMaxDb) {
    problems.push(
      `echo gain out of range: ${fmt(a.gainDb)} dB (expected ${LIMITS.echoGainMinDb}…${LIMITS.echoGainMaxDb} dB)`,
    );
  }
  return { problems, warnings };
}

export function checkMaskLeak(m: MaskLeakMeasurement): PlausibilityReport {
  const problems = [
    ...signalProblems(m.innerStats, 'microphone', 'lower the microphone gain and run the step again'),
    ...signalProblems(m.outerStats, 'outer microphone', 'lower the outer microphone gain and run the step again'),
  ];
  const warnings: string[] = [];
  if (problems.some((p) => p.startsWith('no signal'))) return { problems, warnings };
  if (m.speechFrames === 0) {
    problems.push(
      'no speech heard: the inner microphone heard nothing that stands out from the room; the wearer reads the prompt aloud until the noise starts',
    );
    return { problems, warnings };
  }
  m.bandsHz.forEach((bandHz, band) => {
    const leak = m.leakDb[band] as number;
    const speaker = m.speakerToListenerDb[band] as number;
    const speechSnr = m.outerSpeechSnrDb[band] as number;
    const speakerSnr = m.outerSpeakerSnrDb[band] as number;
    if (!(speakerSnr >= LIMITS.bandSnrMinDb)) {
      problems.push(
        `no signal: the outer microphone did not hear the speaker's noise at ${bandHz} Hz (${fmt(speakerSnr)} dB over its quiet level); is it on and facing the speaker?`,
      );
    }
    if (!(speechSnr >= LIMITS.bandSnrMinDb)) {
      warnings.push(
        `mask leak at ${bandHz} Hz is below the outer microphone's noise (${fmt(speechSnr)} dB); ${fmt(leak)} dB is an upper bound`,
      );
    } else if (leak > LIMITS.leakMaxDb) {
      problems.push(
        `mask leak ${fmt(leak)} dB at ${bandHz} Hz: the wearer is louder outside the mask than inside it; are --capture-device and --outer-device swapped?`,
      );
    }
    if (!Number.isFinite(leak) || leak < -100 || leak > 20) {
      problems.push(`mask leak at ${bandHz} Hz out of range: ${fmt(leak)} dB (expected −100…+20 dB)`);
    }
    if (!Number.isFinite(speaker) || speaker < -100 || speaker > 40) {
      problems.push(
        `speaker-to-listener level at ${bandHz} Hz out of range: ${fmt(speaker)} dB (expected −100…+40 dB)`,
      );
    }
  });
  return { problems, warnings };
}

export function checkMeasurement(m: Measurement): PlausibilityReport {
  switch (m.kind) {
    case 'noise':
      return checkNoiseFloor(m);
    case 'gain':
      return checkMicGain(m);
    case 'echo':
      return checkEchoPath(m);
    case 'leak':
      return checkMaskLeak(m);
  }
}
