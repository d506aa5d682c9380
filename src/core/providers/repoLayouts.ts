/**
 * How each model was trained to see other files of its repository, so context from them reads to it
 * like the data it learned from. Formats from the models' own documentation:
 *
 * - Qwen2.5-Coder (technical report, "Repo-Level FIM format"; model card): `<|repo_name|>{name}\n`,
 *   then `<|file_sep|>{path}\n{content}\n` per file, then `<|file_sep|>{current path}\n` directly
 *   followed by the FIM prompt.
 * - StarCoder2 (paper, section 5): `<repo_name>{name}`, `<file_sep>{path}\n{content}` per file, then
 *   `<file_sep><fim_prefix>{current path}\n{prefix}<fim_suffix>...`: the current path is inside the
 *   FIM prefix. StarCoder (1) had no `<file_sep>`.
 * - DeepSeek-Coder (README, "repository level code completion"): files concatenated, each introduced
 *   by a comment holding its path; with FIM, all of it inside the prefix.
 *
 * Any other model, and every request sent as `prompt` + `suffix` (the server applies its own
 * template, whose tokens Infill cannot place), gets a commented header in the file's language.
 */
export type RepoLayoutId = 'qwen-repo' | 'starcoder2-repo' | 'deepseek-files' | 'comment';

export interface RepoLayout {
  id: RepoLayoutId;
  /** The files go inside the FIM prefix (DeepSeek) rather than before the template. */
  filesInsidePrefix: boolean;
  /** Text before the first file (the repository's name). */
  start(repoName: string): string;
  /** One file of context. */
  file(path: string, text: string, lineComment: string): string;
  /** Text between the last file and the template; '' when the current path goes into the prefix. */
  beforeTemplate(currentPath: string, lineComment: string): string;
  /** Text that starts the current file's prefix (inside the FIM template). */
  prefixStart(currentPath: string, lineComment: string): string;
}

const QWEN_REPO: RepoLayout = {
  id: 'qwen-repo',
  filesInsidePrefix: false,
  start: (name) => `<|repo_name|>${name}\n`,
  file: (path, text) => `<|file_sep|>${path}\n${text}\n`,
  beforeTemplate: (current) => `<|file_sep|>${current}\n`,
  prefixStart: () => '',
};

const STARCODER2_REPO: RepoLayout = {
  id: 'starcoder2-repo',
  filesInsidePrefix: false,
  start: (name) => `<repo_name>${name}`,
  file: (path, text) => `<file_sep>${path}\n${text}\n`,
  beforeTemplate: () => '<file_sep>',
  prefixStart: (current) => `${current}\n`,
};

const DEEPSEEK_FILES: RepoLayout = {
  id: 'deepseek-files',
  filesInsidePrefix: true,
  start: () => '',
  file: (path, text, c) => `${c} ${path}\n${text}\n`,
  beforeTemplate: () => '',
  prefixStart: (current, c) => `${c} ${current}\n`,
};

/** The repository-level layout for a built-in FIM template (by its id) and model, or undefined. */
export function repoLayoutFor(templateId: string, model: string): RepoLayout | undefined {
  if (templateId === 'qwen-coder') return QWEN_REPO;
  if (templateId === 'deepseek-coder') return DEEPSEEK_FILES;
  if (templateId === 'starcoder' && /starcoder-?2/i.test(model)) return STARCODER2_REPO;
  return undefined;
}
