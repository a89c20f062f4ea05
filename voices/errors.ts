/**
 * What can go wrong with voice packs. `VoicePackUsageError` and its subclasses are the
 * user's to fix (a bad id, an invalid pack, a name clash): the CLI exits 2 for them. A
 * failed install (disk full, permissions) is a plain `VoicePackInstallError`: exit 1.
 */

export class VoicePackUsageError extends Error {
  override readonly name: string = 'VoicePackUsageError';
}

export class UnknownVoicePackError extends VoicePackUsageError {
  override readonly name = 'UnknownVoicePackError';
  constructor(
    readonly id: string,
    readonly installedIds: readonly string[],
    what = 'voice pack',
  ) {
    super(
      `unknown ${what} "${id}"; ${installedIds.length ? `installed: ${installedIds.join(', ')}` : 'none is installed'}`,
    );
  }
}

/** A pack folder or manifest with problems; `problems` holds every one, each naming its key path. */
export class VoicePackInvalidError extends VoicePackUsageError {
  override readonly name = 'VoicePackInvalidError';
  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`${where} is not a valid voice pack:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Installing over a built-in id or an installed pack (without force); removing a built-in. */
export class VoicePackConflictError extends VoicePackUsageError {
  override readonly name = 'VoicePackConflictError';
}

/** The pack was valid but could not be put in place (disk full, permissions, ...); nothing was installed. */
export class VoicePackInstallError extends Error {
  override readonly name = 'VoicePackInstallError';
}
