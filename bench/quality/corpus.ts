import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Where the quality benchmark finds real code nobody here wrote: the machine's Python standard
 * library, the JavaScript and TypeScript sources shipped in node_modules, and C headers and example
 * sources under /usr. A source that is missing (another machine) is reported and skipped.
 */
export interface SourceFile {
  path: string;
  languageId: string;
}

export interface CorpusSource {
  label: string;
  languageId: string;
  files: string[];
  /** Why the source gave no files, when it gave none. */
  skipped?: string;
}

const MIN_BYTES = 1_500;
const MAX_BYTES = 150_000;

/** Files under `root` (depth-limited, sorted, so every run sees the same list) that `keep` accepts. */
function walk(root: string, keep: (file: string) => boolean, maxDepth: number, skipDir: (dir: string) => boolean) {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const full = path.join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < maxDepth && !skipDir(full)) visit(full, depth + 1);
      } else if (st.size >= MIN_BYTES && st.size <= MAX_BYTES && keep(full)) out.push(full);
    }
  };
  visit(root, 0);
  return out;
}

function pythonStdlib(): string | undefined {
  for (const candidate of ['/usr/lib/python3.13', '/usr/lib/python3.12', '/usr/lib/python3.11', '/usr/lib/python3.10'])
    if (existsSync(path.join(candidate, 'os.py'))) return candidate;
  try {
    const os = execFileSync('python3', ['-c', 'import os; print(os.__file__)'], { encoding: 'utf8', timeout: 5000 });
    return path.dirname(os.trim());
  } catch {
    return undefined;
  }
}

/** Generated or vendored bundles are not what people type: only package sources (lib/, src/). */
function isPackageSource(file: string): boolean {
  return (
    /\/(lib|src)\//.test(file) && !/\/(dist|build|umd|esm|cjs|min|bundle|vendor)\//.test(file) && !/\.min\./.test(file)
  );
}

export function findCorpus(repoRoot: string): CorpusSource[] {
  const sources: CorpusSource[] = [];
  const add = (label: string, languageId: string, root: string | undefined, files: () => string[]) => {
    if (root === undefined || !existsSync(root)) {
      sources.push({ label, languageId, files: [], skipped: `${root ?? label} not found` });
      return;
    }
    const list = files();
    sources.push({ label, languageId, files: list, ...(list.length === 0 ? { skipped: 'no files' } : {}) });
  };
  const stdlib = pythonStdlib();
  add('Python standard library', 'python', stdlib, () =>
    walk(
      stdlib!,
      (f) => f.endsWith('.py'),
      2,
      (d) => /site-packages|dist-packages|test|idle_test|__pycache__/.test(d),
    ),
  );
  const modules = path.join(repoRoot, 'node_modules');
  add('JavaScript in node_modules', 'javascript', modules, () =>
    walk(
      modules,
      (f) => f.endsWith('.js') && isPackageSource(f),
      5,
      (d) => /\/(test|tests|\.bin|typescript)$/.test(d),
    ),
  );
  add('TypeScript in node_modules', 'typescript', modules, () =>
    walk(
      modules,
      (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && /\/src\//.test(f),
      6,
      (d) => /\/(test|tests|\.bin|__tests__)$/.test(d),
    ),
  );
  add('C headers and sources under /usr', 'c', '/usr/include', () => [
    ...walk(
      '/usr/include',
      (f) => f.endsWith('.h'),
      1,
      () => false,
    ),
    ...walk(
      '/usr/share/doc',
      (f) => f.endsWith('.c'),
      3,
      () => false,
    ),
  ]);
  return sources;
}

export function readSource(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    // CRLF files and files with NUL or replacement characters are not plain source text.
    if (text.includes('\r') || text.includes('\u0000') || text.includes('\uFFFD')) return undefined;
    return text;
  } catch {
    return undefined;
  }
}
