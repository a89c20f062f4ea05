/**
 * The espeak-ng runtime: one Emscripten instance of @echogarden/espeak-ng-emscripten per
 * process (per worker thread), loaded on first use, shared by the synthesis engine and the
 * phonemizer.
 *
 * How the package works: `espeak-ng.js` is an ES module whose default export is the
 * Emscripten factory. The factory fetches `espeak-ng.data` (the packed espeak-ng-data:
 * phoneme tables, dictionaries, voices) from the directory of `espeak-ng.js` itself, found
 * through its own `import.meta.url` (its `locateFile` hook), reads it with `fs` under Node
 * and mounts it in the virtual file system. The factory's module exposes an
 * `eSpeakNGWorker` class (WebIDL bindings over echogarden's glue): the constructor calls
 * `espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, …)` once; `set_voice(name)` is
 * `espeak_SetVoiceByName` (or `…ByProperties` with a language); `rate`/`pitch`/`range`/
 * `volume` are applied before every synthesis; `synthesize(text, cb)` runs `espeak_Synth`
 * synchronously with SSML and `[[phoneme]]` input enabled and hands the callback 16-bit PCM
 * chunks at 22050 Hz (returning true from the callback stops synthesis);
 * `text_to_phonemes(text, 1)` loops `espeak_TextToPhonemes` over the clauses in IPA, with
 * '_' between phonemes and " | " between clauses, and returns a `new[]`-allocated C string.
 *
 * We resolve the package's entry file explicitly and import it by file URL, so the same
 * code works from the TypeScript sources (tsx, vitest) and from the compiled dist/.
 *
 * Every call into the wasm instance is synchronous, and every job below does all of its
 * calls (select voice, set parameters, synthesise) in one synchronous step, so jobs cannot
 * interleave; `run` also queues them first-come first-served and skips a job whose signal
 * was aborted while it waited.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TtsCancelledError } from '../tts-engine.js';

export const ESPEAK_PACKAGE = '@echogarden/espeak-ng-emscripten';

/** A voice in the build's espeak-ng-data, as `espeak_ListVoices` reports it. */
export interface EspeakDataVoice {
  /** Voice file path under espeak-ng-data/voices or lang/, e.g. "gmw/en-GB-x-rp". */
  identifier: string;
  /** Display name, e.g. "English (Received Pronunciation)". */
  name: string;
  /** Languages the voice speaks, best first (lower priority number = better match). */
  languages: ReadonlyArray<{ priority: number; name: string }>;
}

/** Words per minute and espeak pitch (0–100) for one synthesis. */
export interface EspeakProsody {
  wordsPerMinute: number;
  pitch: number;
}

/** The part of the Emscripten module collar uses (the package ships no types). */
interface EspeakWorkerBinding {
  set_voice(name: string, language?: string): number;
  set_rate(wordsPerMinute: number): void;
  set_pitch(pitch: number): void;
  get_samplerate(): number;
  list_voices(): Array<{ name: string; identifier: string; languages: Array<{ priority: number; name: string }> }>;
  synthesize(text: string, onAudio: (samples: Int16Array | undefined, events: unknown[]) => boolean): void;
  text_to_phonemes(text: string, useIpa: number): { ptr: number };
}

interface EspeakEmscriptenModule {
  eSpeakNGWorker: new () => EspeakWorkerBinding;
  HEAPU8: Uint8Array;
  _free(pointer: number): void;
}

type EspeakFactory = (moduleArg?: Record<string, unknown>) => Promise<EspeakEmscriptenModule>;

/** The synchronous operations a queued job may perform. */
export interface EspeakSession {
  /**
   * Selects a voice the way `espeak-ng -v NAME` does: by voice file / identifier / name
   * (`espeak_SetVoiceByName`), falling back to the best voice for NAME as a language.
   * Returns false (and leaves the previous voice selected) when nothing matches.
   */
  selectVoice(name: string): boolean;
  /** Synthesises with the selected voice; `shouldStop` is polled at each audio chunk. */
  synthesize(text: string, prosody: EspeakProsody, shouldStop?: () => boolean): Float32Array;
  /**
   * IPA for each clause espeak-ng finds in `text`, with the selected voice, exactly as
   * `espeak_TextToPhonemes(…, espeakPHONEMES_IPA)` returns it (no phoneme separators).
   */
  textToPhonemes(text: string): string[];
}

const utf8 = new TextDecoder('utf-8');

const WARM_UP_TEXT = 'Good job, you did it all by yourself!';
const WARM_UP_BUDGET_MS = 1000;
/** Real-time factor below which synthesis is running optimised code (cold ≈ 0.04, warm ≈ 0.002). */
const WARM_RTF = 0.01;

class EspeakSessionImpl implements EspeakSession {
  constructor(
    private readonly module: EspeakEmscriptenModule,
    private readonly worker: EspeakWorkerBinding,
    private readonly languages: ReadonlySet<string>,
  ) {}

  selectVoice(name: string): boolean {
    if (name.trim() === '') return false;
    if (this.worker.set_voice(name) === 0) return true;
    // The espeak-ng command line retries by language ("en-gb" → the best voice listing it).
    const language = name.toLowerCase();
    return this.languages.has(language) && this.worker.set_voice('', language) === 0;
  }

  synthesize(text: string, prosody: EspeakProsody, shouldStop?: () => boolean): Float32Array {
    this.worker.set_rate(prosody.wordsPerMinute);
    this.worker.set_pitch(prosody.pitch);
    const chunks: Int16Array[] = [];
    let total = 0;
    this.worker.synthesize(text, (samples) => {
      if (samples && samples.length > 0) {
        chunks.push(samples);
        total += samples.length;
      }
      return shouldStop?.() ?? false;
    });
    const out = new Float32Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.length; i++) out[offset + i] = (chunk[i] as number) / 32768;
      offset += chunk.length;
    }
    return out;
  }

  textToPhonemes(text: string): string[] {
    const pointer = this.worker.text_to_phonemes(text, 1).ptr;
    if (pointer === 0) return [];
    try {
      const heap = this.module.HEAPU8;
      const end = heap.indexOf(0, pointer);
      const joined = utf8.decode(heap.subarray(pointer, end < 0 ? heap.length : end));
      // The glue asks for '_' between phonemes (pauses show as empty phonemes, "__");
      // without a separator espeak writes nothing there, so dropping them gives its plain IPA.
      return joined.split(' | ').map((clause) => clause.replaceAll('_', '').trim());
    } finally {
      this.module._free(pointer);
    }
  }
}

export class EspeakRuntime {
  /** espeak-ng's output rate (22050 Hz for every voice). */
  readonly sampleRateHz: number;
  /** Every voice in this build's espeak-ng-data. */
  readonly dataVoices: readonly EspeakDataVoice[];
  private readonly session: EspeakSessionImpl;
  private tail: Promise<void> = Promise.resolve();
  private warming: Promise<void> | undefined;

  private constructor(module: EspeakEmscriptenModule, worker: EspeakWorkerBinding) {
    this.sampleRateHz = worker.get_samplerate();
    this.dataVoices = worker.list_voices().map((voice) => ({
      identifier: voice.identifier,
      name: voice.name,
      languages: voice.languages.map((language) => ({ priority: language.priority, name: language.name })),
    }));
    const languages = new Set(this.dataVoices.flatMap((voice) => voice.languages.map((l) => l.name.toLowerCase())));
    this.session = new EspeakSessionImpl(module, worker, languages);
  }

  /** @internal use loadEspeakRuntime(), which keeps one instance per process. */
  static async create(): Promise<EspeakRuntime> {
    const entry = resolveEspeakEntry();
    const { default: factory } = (await import(pathToFileURL(entry).href)) as { default: EspeakFactory };
    // Anything espeak-ng prints goes to stderr, never stdout (collar's --json output).
    const stderr = (text: string) => process.stderr.write(`espeak-ng: ${text}\n`);
    const module = await factory({ print: stderr, printErr: stderr });
    const worker = new module.eSpeakNGWorker();
    return new EspeakRuntime(module, worker);
  }

  /**
   * Brings synthesis up to speed. The first ~0.5 s of synthesis runs V8's baseline wasm
   * code (RTF ≈ 0.04, ~100 ms for a 2.5 s sentence) until its optimising tier takes over
   * (RTF ≈ 0.002). This synthesises a throwaway sentence until it is fast twice in a row, or
   * for at most `budgetMs`, one queued job at a time so the event loop keeps running. Once
   * per process.
   */
  warmUp(budgetMs = WARM_UP_BUDGET_MS): Promise<void> {
    this.warming ??= (async () => {
      const started = performance.now();
      let fastInARow = 0;
      for (let i = 0; fastInARow < 2 && performance.now() - started < budgetMs; i++) {
        const fast = await this.run((session) => {
          if (!session.selectVoice(i % 2 === 0 ? 'en-us' : 'en')) return true;
          const t0 = performance.now();
          const samples = session.synthesize(WARM_UP_TEXT, { wordsPerMinute: i % 2 === 0 ? 149 : 175, pitch: 50 });
          if (samples.length === 0) throw new Error('espeak-ng: loaded, but synthesised no audio');
          return (performance.now() - t0) / 1000 / (samples.length / this.sampleRateHz) < WARM_RTF;
        });
        fastInARow = fast ? fastInARow + 1 : 0;
      }
    })();
    return this.warming;
  }

  /**
   * Runs `job` when every earlier job has finished. A job whose signal is aborted before
   * its turn does not run; the returned promise rejects with TtsCancelledError at once.
   */
  run<T>(job: (session: EspeakSession) => T, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelled(signal));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.tail = this.tail.then(() => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return;
        try {
          resolve(job(this.session));
        } catch (error) {
          reject(error);
        }
      });
    });
  }
}

function cancelled(signal: AbortSignal | undefined): TtsCancelledError {
  return new TtsCancelledError('espeak-ng: cancelled before synthesis', { cause: signal?.reason });
}

/** Absolute path of the package's espeak-ng.js, checked to have espeak-ng.data beside it. */
export function resolveEspeakEntry(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(ESPEAK_PACKAGE);
  } catch (error) {
    throw new Error(`espeak-ng: ${ESPEAK_PACKAGE} is not installed (run npm ci)`, { cause: error });
  }
  const data = join(dirname(entry), 'espeak-ng.data');
  if (!existsSync(data)) throw new Error(`espeak-ng: voice data ${data} is missing; reinstall ${ESPEAK_PACKAGE}`);
  return entry;
}

let loading: Promise<EspeakRuntime> | undefined;

/** The process's espeak-ng instance, loaded on first call (about 0.3 s; 24 MB of data). */
export function loadEspeakRuntime(): Promise<EspeakRuntime> {
  loading ??= EspeakRuntime.create().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
