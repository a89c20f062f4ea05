/**
 * Short sounds for the wearer, made at the pipeline rate (16 kHz mono int16): quiet,
 * under 300 ms, with raised-cosine edges so they do not click. Each has its own contour
 * so the meaning is clear without looking: rising = heard, a chime = English is coming,
 * falling = not understood, low pulses = fault, a bright pair = restored.
 */
import { PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { EarconName } from '../controller/controller.js';

interface Note {
  frequencyHz: number;
  durationMs: number;
}

const EARCON_NOTES: Record<EarconName, Note[]> = {
  heard: [
    { frequencyHz: 660, durationMs: 60 },
    { frequencyHz: 880, durationMs: 80 },
  ],
  englishComing: [{ frequencyHz: 1047, durationMs: 120 }],
  notUnderstood: [
    { frequencyHz: 523, durationMs: 90 },
    { frequencyHz: 392, durationMs: 140 },
  ],
  fault: [
    { frequencyHz: 330, durationMs: 80 },
    { frequencyHz: 0, durationMs: 60 },
    { frequencyHz: 330, durationMs: 80 },
  ],
  restored: [
    { frequencyHz: 784, durationMs: 60 },
    { frequencyHz: 1175, durationMs: 60 },
  ],
};

const EDGE_MS = 8;

export function earconNotes(name: EarconName): readonly Note[] {
  return EARCON_NOTES[name];
}

/** Renders an earcon at `levelDbfs` (peak) as 16 kHz mono int16. */
export function renderEarcon(name: EarconName, levelDbfs = -18, sampleRate = PIPELINE_SAMPLE_RATE): Int16Array {
  const notes = EARCON_NOTES[name];
  const total = notes.reduce((sum, note) => sum + Math.round((note.durationMs * sampleRate) / 1000), 0);
  const out = new Int16Array(total);
  const peak = 32767 * 10 ** (levelDbfs / 20);
  const edge = Math.round((EDGE_MS * sampleRate) / 1000);
  let offset = 0;
  for (const note of notes) {
    const length = Math.round((note.durationMs * sampleRate) / 1000);
    for (let i = 0; i < length && note.frequencyHz > 0; i++) {
      const fade =
        i < edge
          ? 0.5 - 0.5 * Math.cos((Math.PI * i) / edge)
          : i >= length - edge
            ? 0.5 - 0.5 * Math.cos((Math.PI * (length - 1 - i)) / edge)
            : 1;
      out[offset + i] = Math.round(peak * fade * Math.sin((2 * Math.PI * note.frequencyHz * i) / sampleRate));
    }
    offset += length;
  }
  return out;
}
