import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedFile } from './generate.ts';

/**
 * What the output folder holds besides generated files, left alone (a client package's build,
 * installed dependencies and packed tarballs).
 */
export type Ignored = (relativePath: string, isDirectory: boolean) => boolean;

const NOTHING_IGNORED: Ignored = () => false;

async function listFiles(dir: string, ignored: Ignored, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (ignored(relative, entry.isDirectory())) continue;
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), ignored, relative)));
    else files.push(relative);
  }
  return files.sort();
}

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

/** Writes what changed and removes what is no longer generated; everything under `outDir` but `ignored` is generated. */
export async function writeGenerated(
  outDir: string,
  files: readonly GeneratedFile[],
  ignored: Ignored = NOTHING_IGNORED,
): Promise<WriteResult> {
  const written: string[] = [];
  for (const file of files) {
    const target = path.join(outDir, file.path);
    if ((await readOrUndefined(target)) === file.content) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    written.push(file.path);
  }
  const produced = new Set(files.map((file) => file.path));
  const removed = (await listFiles(outDir, ignored)).filter((file) => !produced.has(file));
  for (const file of removed) await rm(path.join(outDir, file));
  await removeEmptyDirs(outDir);
  return { written, removed };
}

async function removeEmptyDirs(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    await removeEmptyDirs(child);
    if ((await readdir(child)).length === 0) await rmdir(child);
  }
}

export interface CheckProblem {
  readonly path: string;
  readonly kind: 'stale' | 'missing' | 'extra';
}

/** What differs between the generated files and `outDir` on disk; empty when up to date. */
export async function checkGenerated(
  outDir: string,
  files: readonly GeneratedFile[],
  ignored: Ignored = NOTHING_IGNORED,
): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  for (const file of files) {
    const onDisk = await readOrUndefined(path.join(outDir, file.path));
    if (onDisk === undefined) problems.push({ path: file.path, kind: 'missing' });
    else if (onDisk !== file.content) problems.push({ path: file.path, kind: 'stale' });
  }
  const produced = new Set(files.map((file) => file.path));
  for (const file of await listFiles(outDir, ignored)) {
    if (!produced.has(file)) problems.push({ path: file, kind: 'extra' });
  }
  return problems;
}
