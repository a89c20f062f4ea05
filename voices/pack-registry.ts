/**
 * The voice packs a collar has: the built-in ones (voices/builtin) and the user's, one
 * folder per pack in the user folder — `COLLAR_VOICES_DIR`, else
 * `$XDG_DATA_HOME/collar/voices`, else `~/.local/share/collar/voices` — holding
 * `<id>/pack.json` and the pack's model files. The voice in use is remembered in
 * `current-voice.json` in the same folder.
 *
 * Installing is atomic: the pack is validated where it is (a `.tgz` is first extracted to a
 * temp folder), copied into a hidden temp folder inside the user folder, re-validated there,
 * and renamed into place. Any failure (invalid pack, disk full midway through a model file)
 * removes the temp folder, so a pack is either wholly installed or not there at all.
 * Hidden names in the user folder are the registry's own and are never listed as packs.
 */
import { randomBytes } from 'node:crypto';
import {
  chmod,
  copyFile as fsCopyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { describeMismatch } from '../pipeline/models/errors.js';
import { checkFile } from '../pipeline/models/file-check.js';
import { BUILTIN_VOICE_PACKS, DEFAULT_VOICE_PACK_ID } from './builtin/index.js';
import {
  UnknownVoicePackError,
  VoicePackConflictError,
  VoicePackInstallError,
  VoicePackInvalidError,
  VoicePackUsageError,
} from './errors.js';
import { checkVoicePackManifest, keyPath, PACK_ID_PATTERN, type VoicePack } from './pack-manifest.js';

export const PACK_MANIFEST_FILE = 'pack.json';
export const CURRENT_VOICE_FILE = 'current-voice.json';
export const VOICES_DIR_ENV = 'COLLAR_VOICES_DIR';

/** The user folder for packs: `COLLAR_VOICES_DIR`, else `$XDG_DATA_HOME/collar/voices`, else `~/.local/share/collar/voices`. */
export function defaultVoicesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[VOICES_DIR_ENV]) return resolve(env[VOICES_DIR_ENV]);
  if (env.XDG_DATA_HOME) return resolve(env.XDG_DATA_HOME, 'collar', 'voices');
  return join(env.HOME || homedir(), '.local', 'share', 'collar', 'voices');
}

export type VoicePackOrigin = 'built-in' | 'user';

export interface VoicePackEntry {
  pack: VoicePack;
  origin: VoicePackOrigin;
  /** The pack's folder (user packs): its model files live here. */
  dir?: string;
}

/** A folder in the user folder that is not a usable pack, and why. */
export interface SkippedPack {
  dir: string;
  problems: string[];
}

export type PackDirCheck = { ok: true; pack: VoicePack; dir: string } | { ok: false; dir: string; problems: string[] };

export interface CurrentVoice {
  entry: VoicePackEntry;
  /** `chosen`: current-voice.json; `config`: the configured voice; `default`: DEFAULT_VOICE_PACK_ID. */
  from: 'chosen' | 'config' | 'default';
  /** Why a choice was passed over (e.g. the chosen pack is no longer installed). */
  note?: string;
}

export interface InstallResult {
  pack: VoicePack;
  dir: string;
  /** An installed pack of the same id was replaced (`force`). */
  replaced: boolean;
}

export interface RemoveResult {
  id: string;
  dir: string;
  /** The removed pack was the voice in use. */
  wasInUse: boolean;
  /** The voice in use after the removal (DEFAULT_VOICE_PACK_ID when the removed one was in use). */
  nowUsing: string;
  /** One line for the user. */
  message: string;
}

export interface VoicePackRegistryOptions {
  env?: NodeJS.ProcessEnv;
  /** The user folder (default: `defaultVoicesDir(env)`). */
  userDir?: string;
  builtins?: readonly VoicePack[];
  /** The configured voice (config `controller.voice`): in use when no pack has been chosen. */
  configuredId?: string;
  /** Copies one file into the install temp folder (injected by tests to fail midway). */
  copyFile?: (from: string, to: string) => Promise<void>;
}

const CurrentVoiceFileSchema = z.object({ id: z.string().min(1) });

const TEMP_PREFIXES = ['.installing-', '.replaced-', '.removing-'];
const TGZ = /\.(?:tgz|tar\.gz)$/i;

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Whether a process with this pid is alive (a stale temp folder's owner has gone). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class VoicePackRegistry {
  readonly userDir: string;
  readonly builtins: readonly VoicePack[];
  private readonly configuredId: string | undefined;
  private readonly copyOneFile: (from: string, to: string) => Promise<void>;

  constructor(options: VoicePackRegistryOptions = {}) {
    this.userDir = options.userDir ?? defaultVoicesDir(options.env ?? process.env);
    this.builtins = options.builtins ?? BUILTIN_VOICE_PACKS;
    this.configuredId = options.configuredId;
    this.copyOneFile = options.copyFile ?? ((from, to) => fsCopyFile(from, to));
  }

  get currentVoiceFile(): string {
    return join(this.userDir, CURRENT_VOICE_FILE);
  }

  private builtin(id: string): VoicePack | undefined {
    return this.builtins.find((pack) => pack.id === id);
  }

  /** Every usable pack: built-ins first (in their order), then user packs by id. */
  async list(): Promise<VoicePackEntry[]> {
    return (await this.scan()).packs;
  }

  /** The usable packs and the user-folder entries that are not (each with its problems). */
  async scan(): Promise<{ packs: VoicePackEntry[]; skipped: SkippedPack[] }> {
    const packs: VoicePackEntry[] = this.builtins.map((pack) => ({ pack, origin: 'built-in' }));
    const skipped: SkippedPack[] = [];
    let names: string[];
    try {
      const entries = await readdir(this.userDir, { withFileTypes: true });
      names = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { packs, skipped };
      throw error;
    }
    const user: VoicePackEntry[] = [];
    for (const name of names.sort()) {
      const dir = join(this.userDir, name);
      const loaded = await this.loadUserPack(dir, name);
      if (loaded.ok) user.push({ pack: loaded.pack, origin: 'user', dir });
      else skipped.push({ dir, problems: loaded.problems });
    }
    return { packs: [...packs, ...user], skipped };
  }

  /** A user pack's manifest (no hashing: the files were verified when it was installed). */
  private async loadUserPack(dir: string, folderName: string): Promise<PackDirCheck> {
    const manifest = await readManifest(dir);
    if (!manifest.ok) return manifest;
    const problems: string[] = [];
    if (manifest.pack.id !== folderName) {
      problems.push(`id: "${manifest.pack.id}" differs from its folder name "${folderName}"; reinstall the pack`);
    }
    if (this.builtin(manifest.pack.id)) {
      problems.push(`id: "${manifest.pack.id}" is a built-in pack's id; the built-in pack is used`);
    }
    return problems.length ? { ok: false, dir, problems } : manifest;
  }

  /** The pack with this id (case does not matter: `en-GB` finds `en-gb`); unknown → the error lists the installed ids. */
  async get(id: string): Promise<VoicePackEntry> {
    const wanted = id.trim().toLowerCase();
    const builtin = this.builtin(wanted);
    if (builtin) return { pack: builtin, origin: 'built-in' };
    if (PACK_ID_PATTERN.test(wanted)) {
      const dir = join(this.userDir, wanted);
      if (await exists(join(dir, PACK_MANIFEST_FILE))) {
        const loaded = await this.loadUserPack(dir, wanted);
        if (!loaded.ok) throw new VoicePackInvalidError(dir, loaded.problems);
        return { pack: loaded.pack, origin: 'user', dir };
      }
    }
    throw new UnknownVoicePackError(id, await this.installedIds());
  }

  async installedIds(): Promise<string[]> {
    return (await this.list()).map((entry) => entry.pack.id);
  }

  /** Checks a pack folder: its manifest, and each listed model file's presence, size and sha256. */
  async validateDir(dir: string): Promise<PackDirCheck> {
    const folder = resolve(dir);
    const info = await stat(folder).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (info instanceof Error) {
      return { ok: false, dir: folder, problems: [`(folder): cannot be read (${errorCode(info)}); check the path`] };
    }
    if (!info.isDirectory()) {
      return {
        ok: false,
        dir: folder,
        problems: ['(folder): not a folder; give the pack folder (holding pack.json) or a .tgz of it'],
      };
    }
    const manifest = await readManifest(folder);
    if (!manifest.ok) return manifest;
    const problems: string[] = [];
    const files = manifest.pack.model?.files ?? [];
    for (const [index, file] of files.entries()) {
      const where = `${keyPath(['model', 'files', index])} ("${file.name}")`;
      const check = await checkFile(join(folder, file.name), file);
      if (check.status === 'missing') problems.push(`${where}: missing from the pack folder`);
      if (check.status === 'corrupt') {
        problems.push(
          `${where}: ${describeMismatch({ sizeBytes: file.sizeBytes, sha256: file.sha256 }, check.actual)}` +
            ' (copy the right file in, or fix sizeBytes and sha256 in pack.json)',
        );
      }
    }
    return problems.length ? { ok: false, dir: folder, problems } : manifest;
  }

  /**
   * Runs `work` on the pack folder a source names: the folder itself, or a `.tgz` of one
   * extracted into a temp folder (pack.json at the top of the archive or in its single
   * folder), removed afterwards.
   */
  private async withPackDir<T>(source: string, work: (packDir: string) => Promise<T>): Promise<T> {
    const from = resolve(source);
    const info = await stat(from).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (info instanceof Error) throw new VoicePackUsageError(`${source}: cannot be read (${errorCode(info)})`);
    if (info.isDirectory()) return work(from);
    if (!info.isFile() || !TGZ.test(from))
      throw new VoicePackUsageError(`${source}: give a pack folder or a .tgz of one`);
    const extracted = await mkdtemp(join(tmpdir(), 'collar-voice-pack-'));
    try {
      return await work(await extractPack(from, extracted, source));
    } finally {
      await rm(extracted, { recursive: true, force: true });
    }
  }

  /**
   * What a designer runs before installing: `validateDir` on a folder or a `.tgz`, plus the
   * install-time rule that a pack may not take a built-in pack's id.
   */
  async validateSource(source: string): Promise<PackDirCheck> {
    return this.withPackDir(source, async (packDir) => {
      const check = await this.validateDir(packDir);
      if (check.ok && this.builtin(check.pack.id)) {
        return { ok: false, dir: check.dir, problems: [builtinIdProblem(check.pack.id)] };
      }
      return check;
    });
  }

  /**
   * Installs a pack from a folder or a `.tgz` of one (pack.json at the top of the archive or
   * in its single folder). Refuses an invalid pack (every problem listed), a built-in id, and
   * an installed id unless `force`. Atomic: on any failure nothing is left behind.
   */
  async install(source: string, options: { force?: boolean } = {}): Promise<InstallResult> {
    return this.withPackDir(source, async (packDir) => {
      const check = await this.validateDir(packDir);
      if (!check.ok) throw new VoicePackInvalidError(source, check.problems);
      const { pack } = check;
      if (this.builtin(pack.id)) throw new VoicePackConflictError(builtinIdProblem(pack.id));
      const target = join(this.userDir, pack.id);
      const replacing = await exists(target);
      if (replacing && !options.force) {
        throw new VoicePackConflictError(
          `a pack "${pack.id}" is already installed (${target}); add --force to replace it`,
        );
      }
      await this.putInPlace(packDir, pack, target, source);
      return { pack, dir: target, replaced: replacing };
    });
  }

  private async putInPlace(packDir: string, pack: VoicePack, target: string, source: string): Promise<void> {
    try {
      await mkdir(this.userDir, { recursive: true });
    } catch (error) {
      throw new VoicePackInstallError(`cannot create the voices folder ${this.userDir} (${errorCode(error)})`);
    }
    await this.removeStaleTemps();
    const temp = await mkdtemp(join(this.userDir, `.installing-${pack.id}-${process.pid}-`)).catch((error: unknown) => {
      throw new VoicePackInstallError(`cannot write in ${this.userDir} (${errorCode(error)}); nothing was installed`);
    });
    let aside: string | undefined;
    try {
      await chmod(temp, 0o755); // mkdtemp makes it private; an installed pack is readable like any data folder
      await copyTree(packDir, temp, this.copyOneFile);
      // Re-check the copy: a short write that did not throw shows up here, not at playback.
      const copied = await this.validateDir(temp);
      if (!copied.ok) throw new Error(`the copy does not verify: ${copied.problems.join('; ')}`);
      if (await exists(target)) {
        aside = join(this.userDir, `.replaced-${pack.id}-${process.pid}-${randomBytes(4).toString('hex')}`);
        await rename(target, aside);
      }
      try {
        await rename(temp, target);
      } catch (error) {
        if (aside) await rename(aside, target).catch(() => undefined);
        aside = undefined;
        throw error;
      }
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw new VoicePackInstallError(
        `could not install "${pack.id}" from ${source} (${errorCode(error)}); nothing was installed`,
      );
    }
    if (aside) await rm(aside, { recursive: true, force: true });
  }

  /** Temp folders left by an install or removal whose process has gone (power cut, kill -9). */
  private async removeStaleTemps(): Promise<void> {
    const names = await readdir(this.userDir).catch(() => [] as string[]);
    for (const name of names) {
      if (!TEMP_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
      const pid = Number(/-(\d+)-[^-]+$/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
        // A replace that died between its two renames left the old pack aside and no pack
        // in its place: put it back rather than lose the only copy.
        const replacedId = /^\.replaced-(.+)-\d+-[^-]+$/.exec(name)?.[1];
        if (replacedId && !(await exists(join(this.userDir, replacedId)))) {
          await rename(join(this.userDir, name), join(this.userDir, replacedId));
          continue;
        }
        await rm(join(this.userDir, name), { recursive: true, force: true });
      }
    }
  }

  /**
   * Removes a user pack (built-ins cannot be removed). When it was the voice in use — the one
   * in current-voice.json, or `options.inUseId` when the caller tracks that itself — the
   * choice falls back to DEFAULT_VOICE_PACK_ID, and the result says so.
   */
  async remove(id: string, options: { inUseId?: string } = {}): Promise<RemoveResult> {
    const wanted = id.trim().toLowerCase();
    if (this.builtin(wanted)) {
      const userIds = (await this.list()).filter((entry) => entry.origin === 'user').map((entry) => entry.pack.id);
      throw new VoicePackConflictError(
        `"${wanted}" is built in and cannot be removed; user packs: ${userIds.length ? userIds.join(', ') : 'none'}`,
      );
    }
    const dir = join(this.userDir, wanted);
    if (!PACK_ID_PATTERN.test(wanted) || !(await exists(dir))) {
      const userIds = (await this.list()).filter((entry) => entry.origin === 'user').map((entry) => entry.pack.id);
      throw new UnknownVoicePackError(id, userIds, 'user voice pack');
    }
    const chosen =
      options.inUseId?.trim().toLowerCase() ?? (await this.readChosenId()) ?? this.configuredId?.toLowerCase();
    const wasInUse = chosen === wanted;
    // Rename first so the pack disappears at once, then delete at leisure.
    const doomed = join(this.userDir, `.removing-${wanted}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await rename(dir, doomed);
    await rm(doomed, { recursive: true, force: true });
    if (wasInUse) {
      await this.writeChosenId(DEFAULT_VOICE_PACK_ID);
      return {
        id: wanted,
        dir,
        wasInUse,
        nowUsing: DEFAULT_VOICE_PACK_ID,
        message: `removed "${wanted}"; it was the voice in use, so the voice is now "${DEFAULT_VOICE_PACK_ID}" (the default)`,
      };
    }
    const nowUsing = (await this.current()).entry.pack.id;
    return {
      id: wanted,
      dir,
      wasInUse,
      nowUsing,
      message: `removed "${wanted}" (the voice in use is still "${nowUsing}")`,
    };
  }

  /** The voice in use: the chosen pack, else the configured one, else the default; passed-over choices are noted. */
  async current(): Promise<CurrentVoice> {
    const notes: string[] = [];
    const chosen = await this.readChosenId();
    if (chosen !== undefined) {
      const entry = await this.get(chosen).catch(() => undefined);
      if (entry) return { entry, from: 'chosen' };
      notes.push(`${this.currentVoiceFile} names "${chosen}", which is not installed`);
    }
    if (this.configuredId !== undefined) {
      const entry = await this.get(this.configuredId).catch(() => undefined);
      if (entry) return { entry, from: 'config', ...(notes.length ? { note: notes.join('; ') } : {}) };
      notes.push(`the configured voice "${this.configuredId}" is not installed`);
    }
    const entry = await this.get(DEFAULT_VOICE_PACK_ID);
    return { entry, from: 'default', ...(notes.length ? { note: notes.join('; ') } : {}) };
  }

  /** Makes `id` the voice in use (written to current-voice.json). */
  async use(id: string): Promise<VoicePackEntry> {
    const entry = await this.get(id);
    await this.writeChosenId(entry.pack.id);
    return entry;
  }

  private async readChosenId(): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.currentVoiceFile, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = CurrentVoiceFileSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.id.toLowerCase() : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeChosenId(id: string): Promise<void> {
    await mkdir(this.userDir, { recursive: true });
    const temp = `${this.currentVoiceFile}.${process.pid}.partial`;
    try {
      await writeFile(temp, `${JSON.stringify({ id }, null, 2)}\n`);
      await rename(temp, this.currentVoiceFile);
    } catch (error) {
      await rm(temp, { force: true });
      throw new VoicePackInstallError(
        `cannot record the voice in use in ${this.currentVoiceFile} (${errorCode(error)})`,
      );
    }
  }
}

function builtinIdProblem(id: string): string {
  return `id: "${id}" is a built-in pack's id; built-in packs cannot be replaced, so give this pack another id`;
}

export function openVoicePackRegistry(options: VoicePackRegistryOptions = {}): VoicePackRegistry {
  return new VoicePackRegistry(options);
}

/** Reads and checks `<dir>/pack.json`. */
async function readManifest(dir: string): Promise<PackDirCheck> {
  const file = join(dir, PACK_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    const problem =
      code === 'ENOENT'
        ? `${PACK_MANIFEST_FILE}: missing; a pack folder holds pack.json (see docs/voice-packs.md)`
        : `${PACK_MANIFEST_FILE}: cannot be read (${code})`;
    return { ok: false, dir, problems: [problem] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      dir,
      problems: [`${PACK_MANIFEST_FILE}: not valid JSON (${(error as Error).message}); fix the syntax`],
    };
  }
  const checked = checkVoicePackManifest(json);
  return checked.ok ? { ok: true, pack: checked.pack, dir } : { ok: false, dir, problems: checked.problems };
}

/**
 * Extracts a pack archive (regular files and folders only; tar strips absolute paths and
 * `..`) and returns the folder holding pack.json: the top, or the archive's single folder.
 */
async function extractPack(file: string, into: string, source: string): Promise<string> {
  try {
    await tar.x({
      file,
      cwd: into,
      strict: true,
      filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory'),
    });
  } catch (error) {
    throw new VoicePackUsageError(`${source}: not a readable .tgz (${errorCode(error)})`);
  }
  if (await exists(join(into, PACK_MANIFEST_FILE))) return into;
  const top = (await readdir(into, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
  const only = top.length === 1 ? top[0] : undefined;
  if (only?.isDirectory() && (await exists(join(into, only.name, PACK_MANIFEST_FILE)))) return join(into, only.name);
  throw new VoicePackInvalidError(source, [
    `${PACK_MANIFEST_FILE}: not found at the top of the archive or in its single folder`,
  ]);
}

/** Copies a pack folder (following file links, skipping hidden names); other kinds of entry are refused. */
async function copyTree(from: string, to: string, copyOne: (from: string, to: string) => Promise<void>): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const info = await stat(source);
    if (info.isDirectory() && !entry.isSymbolicLink()) {
      await mkdir(target);
      await copyTree(source, target, copyOne);
    } else if (info.isFile()) {
      await copyOne(source, target);
    } else {
      throw new Error(`${source} is neither a file nor a folder`);
    }
  }
}
