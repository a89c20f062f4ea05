/**
 * transformers.js set to read local files only. The model store has verified the files;
 * transformers.js must never reach for a hub or keep a cache of its own. The settings are
 * process-wide, so every engine that uses transformers.js gets the module from here.
 */
export type Transformers = typeof import('@huggingface/transformers');

let transformersModule: Promise<Transformers> | undefined;

export function localOnlyTransformers(): Promise<Transformers> {
  transformersModule ??= import('@huggingface/transformers').then((transformers) => {
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    transformers.env.useFSCache = false;
    transformers.env.useBrowserCache = false;
    return transformers;
  });
  return transformersModule;
}

/** Runs tasks one after another (a session serves one call at a time); a failure does not block the next. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
