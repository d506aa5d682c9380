import picomatch from 'picomatch';

// `infill.exclude`: glob patterns of files that are never sent anywhere. A pattern with a slash is
// matched against the file's absolute path and its workspace-relative path (so both
// `**/secrets/**` and `config/prod/**` work); a pattern without one (`*.pem`) against the file name
// alone, as in .gitignore. Dot files match like any other: `**/.env*` must catch `.env.local`.
export interface ExclusionOptions {
  /** Windows and macOS file systems ignore case; `SECRET.PEM` is as secret as `secret.pem`. */
  caseInsensitive?: boolean;
}

export interface FileLocation {
  /** Absolute path, with either separator. */
  path: string;
  /** Path relative to its workspace folder, when it has one. */
  relativePath?: string;
}

export class ExclusionMatcher {
  private readonly withSlash: picomatch.Matcher | undefined;
  private readonly nameOnly: picomatch.Matcher | undefined;
  /** Patterns that could not be compiled; the glue reports them instead of failing. */
  readonly invalidPatterns: string[] = [];

  constructor(
    readonly patterns: readonly string[],
    options: ExclusionOptions = {},
  ) {
    const pmOptions: picomatch.PicomatchOptions = { dot: true, nocase: options.caseInsensitive === true };
    const slashed: string[] = [];
    const bare: string[] = [];
    for (const raw of patterns) {
      if (typeof raw !== 'string') continue;
      const pattern = normalizeSeparators(raw.trim());
      if (!pattern) continue;
      try {
        // Compile each alone first, so one bad pattern does not disable all the others.
        picomatch(pattern, pmOptions);
      } catch {
        this.invalidPatterns.push(raw);
        continue;
      }
      (pattern.includes('/') ? slashed : bare).push(pattern.replace(/^\.\//, ''));
    }
    this.withSlash = slashed.length > 0 ? picomatch(slashed, pmOptions) : undefined;
    this.nameOnly = bare.length > 0 ? picomatch(bare, pmOptions) : undefined;
  }

  /** True when the file must not be read into any request. */
  matches(file: FileLocation | string): boolean {
    const location = typeof file === 'string' ? { path: file } : file;
    const absolute = normalizeSeparators(location.path);
    if (!absolute) return false;
    const name = absolute.slice(absolute.lastIndexOf('/') + 1);
    if (this.nameOnly?.(name)) return true;
    if (!this.withSlash) return false;
    const candidates = [absolute, absolute.replace(/^\/+/, '')];
    if (location.relativePath) candidates.push(normalizeSeparators(location.relativePath).replace(/^\.?\/+/, ''));
    return candidates.some((candidate) => this.withSlash!(candidate));
  }
}

function normalizeSeparators(path: string): string {
  return path.replace(/\\/g, '/');
}
