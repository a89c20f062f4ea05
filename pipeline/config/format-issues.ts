/** Turns zod issues into one line per problem: the dotted key, what was expected, what came. */
import type { z } from 'zod';

export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

export function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatZodIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const key = issuePath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length ? `${key}.` : '';
    return `${issue.keys.map((k) => prefix + k).join(', ')}: unknown key (remove it or check its spelling)`;
  }
  return `${key}: ${issue.message}, got ${describeValue(valueAt(input, issue.path))}`;
}

export function formatZodIssues(issues: ReadonlyArray<z.core.$ZodIssue>, input: unknown): string {
  return issues.map((issue) => formatZodIssue(issue, input)).join('; ');
}
