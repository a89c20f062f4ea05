/** The voice pack registry on real folders: built-ins, install (folder and .tgz), atomicity, remove, use. */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_PACK_ID } from '../../../voices/builtin/index.js';
import {
  UnknownVoicePackError,
  VoicePackConflictError,
  VoicePackInstallError,
  VoicePackInvalidError,
} from '../../../voices/errors.js';
import { CURRENT_VOICE_FILE, defaultVoicesDir, VoicePackRegistry } from '../../../voices/pack-registry.js';
import { espeakManifest, PIPER_VOICE, piperPack, tempDir, writePack } from './pack-fixtures.js';

let work: string;
let userDir: string;

beforeEach(() => {
  work = tempDir();
  userDir = join(work, 'user-voices');
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Everything in the user folder, hidden names included (temp folders would show here). */
function userFolderEntries(): string[] {
  return existsSync(userDir) ? readdirSync(userDir).sort() : [];
}

describe('defaultVoicesDir', () => {
  it('takes COLLAR_VOICES_DIR, else XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultVoicesDir({ COLLAR_VOICES_DIR: '/v', XDG_DATA_HOME: '/d', HOME: '/h' })).toBe('/v');
    expect(defaultVoicesDir({ XDG_DATA_HOME: '/d', HOME: '/h' })).toBe('/d/collar/voices');
    expect(defaultVoicesDir({ HOME: '/h' })).toBe('/h/.local/share/collar/voices');
  });
});

describe('VoicePackRegistry', () => {
  it('lists the built-in packs, all seven espeak-ng accents among them, when the user folder does not exist', async () => {
    const registry = new VoicePackRegistry({ userDir });
    const entries = await registry.list();
    const ids = entries.map((entry) => entry.pack.id);
    for (const id of ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc']) {
      expect(ids).toContain(id);
    }
    expect(ids).toEqual(expect.arrayContaining(['en-us-joe', 'en-us-heart', 'en-gb-emma']));
    expect(entries.every((entry) => entry.origin === 'built-in')).toBe(true);
    expect(existsSync(userDir)).toBe(false);
  });

  it('finds packs without regard to case, so the configured "en-US" is the en-us pack', async () => {
    const registry = new VoicePackRegistry({ userDir });
    expect((await registry.get('en-US')).pack.id).toBe('en-us');
    expect((await registry.get('en-GB-scotland')).pack.engineVoice).toBe('en-GB-scotland');
  });

  it('refuses an unknown id, listing the installed ones', async () => {
    const registry = new VoicePackRegistry({ userDir });
    await registry.install(writePack(join(work, 'mei'), espeakManifest()));
    const error = await registry.get('klingon').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownVoicePackError);
    expect((error as Error).message).toMatch(/^unknown voice pack "klingon"; installed: en-us, en-gb, .*scottish-mei$/);
    await expect(registry.get('../../etc')).rejects.toBeInstanceOf(UnknownVoicePackError);
  });

  describe('validateDir', () => {
    it('accepts a valid pack folder, verifying its model files', async () => {
      const { dir } = piperPack(join(work, 'piper'));
      const check = await new VoicePackRegistry({ userDir }).validateDir(dir);
      expect(check).toMatchObject({ ok: true, pack: { id: 'piper-test', engine: 'piper' } });
    });

    it('names a missing and a mismatched model file, with the manifest problems, all at once', async () => {
      const { dir } = piperPack(join(work, 'piper'));
      rmSync(join(dir, `${PIPER_VOICE}.onnx.json`));
      writeFileSync(join(dir, `${PIPER_VOICE}.onnx`), Buffer.alloc(256 * 1024, 8)); // right size, wrong bytes
      const check = await new VoicePackRegistry({ userDir }).validateDir(dir);
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.problems).toEqual([
        expect.stringMatching(
          /^model\.files\[0\] \("en_GB-testvoice-medium\.onnx"\): sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/,
        ),
        'model.files[1] ("en_GB-testvoice-medium.onnx.json"): missing from the pack folder',
      ]);
    });

    it('says how a truncated model file differs', async () => {
      const { dir } = piperPack(join(work, 'piper'));
      writeFileSync(join(dir, `${PIPER_VOICE}.onnx`), Buffer.alloc(1000));
      const check = await new VoicePackRegistry({ userDir }).validateDir(dir);
      expect(check.ok ? [] : check.problems).toEqual([
        expect.stringMatching(/^model\.files\[0\] \(".*\.onnx"\): truncated: 1000 bytes, expected 262144/),
      ]);
    });

    it('reports a missing pack.json, bad JSON and a missing folder', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const empty = join(work, 'empty');
      writePack(empty, {});
      rmSync(join(empty, 'pack.json'));
      expect(await registry.validateDir(empty)).toMatchObject({
        ok: false,
        problems: [expect.stringMatching(/^pack\.json: missing/)],
      });
      writeFileSync(join(empty, 'pack.json'), '{ "id": ');
      expect(await registry.validateDir(empty)).toMatchObject({
        ok: false,
        problems: [expect.stringMatching(/^pack\.json: not valid JSON/)],
      });
      expect(await registry.validateDir(join(work, 'nowhere'))).toMatchObject({
        ok: false,
        problems: [expect.stringMatching(/^\(folder\): cannot be read \(ENOENT\)/)],
      });
    });
  });

  describe('install', () => {
    it('installs a pack from a folder', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const { dir, files } = piperPack(join(work, 'piper'));
      const result = await registry.install(dir);
      expect(result).toMatchObject({ pack: { id: 'piper-test' }, dir: join(userDir, 'piper-test'), replaced: false });
      expect(readFileSync(join(userDir, 'piper-test', `${PIPER_VOICE}.onnx`))).toEqual(files[`${PIPER_VOICE}.onnx`]);
      const entry = await registry.get('piper-test');
      expect(entry).toMatchObject({ origin: 'user', dir: join(userDir, 'piper-test') });
      expect(userFolderEntries()).toEqual(['piper-test']);
      expect(statSync(join(userDir, 'piper-test')).mode & 0o777).toBe(0o755);
    });

    it('installs a pack from a .tgz, with pack.json at the top or in a single folder', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const { dir } = piperPack(join(work, 'src', 'piper-test'));
      const flat = join(work, 'flat.tgz');
      await tar.c({ gzip: true, file: flat, cwd: dir }, readdirSync(dir));
      expect((await registry.install(flat)).pack.id).toBe('piper-test');
      writePack(join(work, 'src', 'mei'), espeakManifest());
      const nested = join(work, 'nested.tar.gz');
      await tar.c({ gzip: true, file: nested, cwd: join(work, 'src') }, ['mei']);
      expect((await registry.install(nested)).pack.id).toBe('scottish-mei');
      expect(userFolderEntries()).toEqual(['piper-test', 'scottish-mei']);
      expect((await registry.validateDir(join(userDir, 'piper-test'))).ok).toBe(true);
    });

    it('refuses a .tgz without pack.json, and a file that is not a .tgz', async () => {
      const registry = new VoicePackRegistry({ userDir });
      writeFileSync(join(work, 'readme.txt'), 'hello');
      const archive = join(work, 'nopack.tgz');
      await tar.c({ gzip: true, file: archive, cwd: work }, ['readme.txt']);
      await expect(registry.install(archive)).rejects.toThrow(/pack\.json: not found at the top of the archive/);
      await expect(registry.install(join(work, 'readme.txt'))).rejects.toThrow(/give a pack folder or a \.tgz/);
      expect(userFolderEntries()).toEqual([]);
    });

    it('installs nothing when the pack is invalid, and lists every problem', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const { dir } = piperPack(join(work, 'piper'), { rate: 5, previewLines: [] });
      rmSync(join(dir, `${PIPER_VOICE}.onnx`));
      const error = await registry.install(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VoicePackInvalidError);
      expect((error as VoicePackInvalidError).problems).toEqual([
        'rate: must be ≤ 2 (got 5)',
        'previewLines: must hold at least one line',
      ]);
      expect(userFolderEntries()).toEqual([]);
      // Once the manifest is right, the missing model file is what is left.
      piperPack(dir);
      rmSync(join(dir, `${PIPER_VOICE}.onnx`));
      await expect(registry.install(dir)).rejects.toThrow(
        /model\.files\[0\] \(".*\.onnx"\): missing from the pack folder/,
      );
      expect(userFolderEntries()).toEqual([]);
    });

    it('refuses a built-in id, even with force', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const dir = writePack(join(work, 'us'), espeakManifest({ id: 'en-us' }));
      await expect(registry.install(dir, { force: true })).rejects.toBeInstanceOf(VoicePackConflictError);
      await expect(registry.install(dir)).rejects.toThrow(/"en-us" is a built-in pack's id/);
      expect(userFolderEntries()).toEqual([]);
    });

    it('refuses an installed id unless forced, then replaces it', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const dir = writePack(join(work, 'mei'), espeakManifest());
      await registry.install(dir);
      await expect(registry.install(dir)).rejects.toThrow(/already installed .*add --force to replace it/);
      writePack(dir, espeakManifest({ rate: 0.7 }));
      const result = await registry.install(dir, { force: true });
      expect(result.replaced).toBe(true);
      expect((await registry.get('scottish-mei')).pack.rate).toBe(0.7);
      expect(userFolderEntries()).toEqual(['scottish-mei']);
    });

    it('leaves no folder and no temp folder when the copy fails midway (disk full)', async () => {
      let copied = 0;
      const fullDisk = async (from: string, to: string): Promise<void> => {
        if (copied++ === 0) return copyFile(from, to);
        // Half the file reaches the disk, then it is full.
        const handle = await open(to, 'w');
        await handle.write(Buffer.alloc(1000));
        await handle.close();
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      const registry = new VoicePackRegistry({ userDir, copyFile: fullDisk });
      const { dir } = piperPack(join(work, 'piper'));
      const error = await registry.install(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VoicePackInstallError);
      expect((error as Error).message).toMatch(/could not install "piper-test" .*\(ENOSPC\); nothing was installed/);
      expect(copied).toBeGreaterThanOrEqual(2);
      expect(userFolderEntries()).toEqual([]);
      expect((await registry.list()).some((entry) => entry.pack.id === 'piper-test')).toBe(false);
    });

    it('catches a copy that silently came out short, and installs nothing', async () => {
      const shortCopy = async (from: string, to: string): Promise<void> => {
        await copyFile(from, to);
        if (to.endsWith('.onnx')) writeFileSync(to, readFileSync(to).subarray(0, 100));
      };
      const registry = new VoicePackRegistry({ userDir, copyFile: shortCopy });
      await expect(registry.install(piperPack(join(work, 'piper')).dir)).rejects.toThrow(
        /the copy does not verify|nothing was installed/,
      );
      expect(userFolderEntries()).toEqual([]);
    });

    it('keeps the installed pack when a forced replacement fails', async () => {
      const good = new VoicePackRegistry({ userDir });
      const { dir } = piperPack(join(work, 'piper'));
      await good.install(dir);
      const failing = new VoicePackRegistry({
        userDir,
        copyFile: async () => {
          throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        },
      });
      await expect(failing.install(dir, { force: true })).rejects.toBeInstanceOf(VoicePackInstallError);
      expect(userFolderEntries()).toEqual(['piper-test']);
      expect((await good.validateDir(join(userDir, 'piper-test'))).ok).toBe(true);
    });

    it('clears temp folders left by an install that died', async () => {
      const registry = new VoicePackRegistry({ userDir });
      const stale = join(userDir, '.installing-mei-999999999-abcdef');
      writePack(stale, {});
      await registry.install(writePack(join(work, 'mei'), espeakManifest()));
      expect(userFolderEntries()).toEqual(['scottish-mei']);
    });

    it('puts back a pack that a dead --force replace left aside, instead of deleting it', async () => {
      const registry = new VoicePackRegistry({ userDir });
      writePack(join(userDir, '.replaced-scottish-mei-999999999-abcdef'), espeakManifest());
      await registry.install(writePack(join(work, 'other'), espeakManifest({ id: 'other-pack' })));
      expect(userFolderEntries()).toEqual(['other-pack', 'scottish-mei']);
      expect((await registry.get('scottish-mei')).origin).toBe('user');
    });
  });

  describe('use, current and remove', () => {
    it('uses the configured voice until one is chosen, then the chosen one', async () => {
      const registry = new VoicePackRegistry({ userDir, configuredId: 'en-GB-scotland' });
      expect(await registry.current()).toMatchObject({ entry: { pack: { id: 'en-gb-scotland' } }, from: 'config' });
      await registry.use('EN-029');
      expect(JSON.parse(readFileSync(join(userDir, CURRENT_VOICE_FILE), 'utf8'))).toEqual({ id: 'en-029' });
      expect(await registry.current()).toMatchObject({ entry: { pack: { id: 'en-029' } }, from: 'chosen' });
      await expect(registry.use('nope')).rejects.toBeInstanceOf(UnknownVoicePackError);
    });

    it('falls back to the default when neither the choice nor the configured voice is installed, and says why', async () => {
      const registry = new VoicePackRegistry({ userDir, configuredId: 'en-gb-x-missing' });
      writePack(userDir, {});
      writeFileSync(join(userDir, CURRENT_VOICE_FILE), JSON.stringify({ id: 'gone' }));
      const current = await registry.current();
      expect(current).toMatchObject({ entry: { pack: { id: DEFAULT_VOICE_PACK_ID } }, from: 'default' });
      expect(current.note).toMatch(
        /names "gone", which is not installed; the configured voice "en-gb-x-missing" is not installed/,
      );
    });

    it('removes the pack in use and falls back to the default, saying so', async () => {
      const registry = new VoicePackRegistry({ userDir });
      await registry.install(writePack(join(work, 'mei'), espeakManifest()));
      await registry.use('scottish-mei');
      const result = await registry.remove('scottish-mei');
      expect(result).toMatchObject({ id: 'scottish-mei', wasInUse: true, nowUsing: DEFAULT_VOICE_PACK_ID });
      expect(result.message).toMatch(/it was the voice in use, so the voice is now "en-us" \(the default\)/);
      expect(userFolderEntries()).toEqual([CURRENT_VOICE_FILE]);
      expect((await registry.current()).entry.pack.id).toBe(DEFAULT_VOICE_PACK_ID);
    });

    it('removes a pack not in use without touching the choice; takes the one in use as a parameter', async () => {
      const registry = new VoicePackRegistry({ userDir });
      await registry.install(writePack(join(work, 'mei'), espeakManifest()));
      await registry.use('en-029');
      expect(await registry.remove('scottish-mei')).toMatchObject({ wasInUse: false, nowUsing: 'en-029' });
      await registry.install(writePack(join(work, 'mei'), espeakManifest()));
      expect(await registry.remove('scottish-mei', { inUseId: 'scottish-mei' })).toMatchObject({
        wasInUse: true,
        nowUsing: DEFAULT_VOICE_PACK_ID,
      });
    });

    it('cannot remove a built-in pack or one that is not installed', async () => {
      const registry = new VoicePackRegistry({ userDir });
      await expect(registry.remove('en-gb')).rejects.toThrow(
        /"en-gb" is built in and cannot be removed; user packs: none/,
      );
      await expect(registry.remove('nope')).rejects.toThrow(/unknown user voice pack "nope"; none is installed/);
    });
  });

  it('skips broken user folders, saying why, and keeps listing the rest', async () => {
    const registry = new VoicePackRegistry({ userDir });
    await registry.install(writePack(join(work, 'mei'), espeakManifest()));
    writePack(join(userDir, 'broken'), { schemaVersion: 1 });
    writePack(join(userDir, 'renamed'), espeakManifest({ id: 'other-name' }));
    const { packs, skipped } = await registry.scan();
    expect(packs.filter((entry) => entry.origin === 'user').map((entry) => entry.pack.id)).toEqual(['scottish-mei']);
    expect(skipped.map((skip) => skip.dir)).toEqual([join(userDir, 'broken'), join(userDir, 'renamed')]);
    expect(skipped[1]?.problems).toEqual([expect.stringMatching(/differs from its folder name "renamed"/)]);
  });
});
