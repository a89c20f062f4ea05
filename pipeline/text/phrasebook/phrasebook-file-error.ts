/** A family phrasebook file that can't be used, with every problem found in it. */
export class PhrasebookFileError extends Error {
  override readonly name = 'PhrasebookFileError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      problems.length === 1
        ? `phrasebook file ${file}: ${problems[0]}`
        : `phrasebook file ${file} has ${problems.length} problems; fix them and start collar again:\n  - ${problems.join('\n  - ')}`,
    );
  }
}
