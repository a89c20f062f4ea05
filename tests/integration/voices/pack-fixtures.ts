/** Pack folders for the voices tests: an espeak-ng pack and a Piper pack with (made-up) model files. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'collar-voices-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function espeakManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'scottish-mei',
    displayName: 'Scottish, for Mei',
    accent: 'en-GB-scotland',
    engine: 'espeak-ng',
    engineVoice: 'en-GB-scotland',
    license: 'CC0-1.0',
    previewLines: ['Hello Mei! Time for your bath.'],
    lexicon: { Mei: 'MAY', 'Mei Lin': 'MAY-lin' },
    ...overrides,
  };
}

export function writePack(dir: string, manifest: Record<string, unknown>, files: Record<string, Buffer> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(manifest, null, 2));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const PIPER_VOICE = 'en_GB-testvoice-medium';

/** A Piper pack whose two model files (fake bytes) are pinned by size and sha256. */
export function piperPack(
  dir: string,
  overrides: Record<string, unknown> = {},
): { dir: string; files: Record<string, Buffer> } {
  const files: Record<string, Buffer> = {
    [`${PIPER_VOICE}.onnx`]: Buffer.alloc(256 * 1024, 7),
    [`${PIPER_VOICE}.onnx.json`]: Buffer.from(JSON.stringify({ audio: { sample_rate: 22050 } })),
  };
  const manifest = {
    schemaVersion: 1,
    id: 'piper-test',
    displayName: 'British test voice (Piper)',
    accent: 'en-GB',
    engine: 'piper',
    engineVoice: PIPER_VOICE,
    model: {
      files: Object.entries(files).map(([name, bytes]) => ({
        name,
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
        sources: [{ kind: 'url', url: `https://example.org/voices/${name}` }],
      })),
    },
    license: 'CC-BY-4.0',
    previewLines: ['Good night, sleep tight.'],
    ...overrides,
  };
  writePack(dir, manifest, files);
  return { dir, files };
}
