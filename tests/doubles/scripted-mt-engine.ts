/** TEST DOUBLE. An MtEngine that answers from a fixed table and counts its calls. */
import type { MtEngine, MtResult } from '../../pipeline/engines/mt/mt-engine.js';

export class ScriptedMtEngineDouble implements MtEngine {
  readonly id = 'scripted-mt-double';
  calls: string[] = [];
  disposed = false;

  constructor(private readonly answers: Record<string, string>) {}

  async translate(text: string): Promise<MtResult> {
    this.calls.push(text);
    const target = this.answers[text] ?? '';
    return { text: target, sentences: [{ source: text, target, fromCache: false, elapsedMs: 1 }], elapsedMs: 1 };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
