/**
 * A stand-in for the `vscode` module, only for timing `activate()` of the bundled extension in
 * plain Node. It implements what activation touches (registrations, configuration with the real
 * defaults from package.json, output channel, status bar, secrets) with no work behind it, so the
 * time measured is the extension's own. Anything else it is asked for answers with an inert stub,
 * and the names are recorded, so the report can say what activation reached for.
 *
 * This lives in bench/ and never ships: the product only ever runs against the real VS Code API.
 */

type AnyFunction = (...args: unknown[]) => unknown;

export interface FakeVscode {
  /** The object `require('vscode')` returns. */
  module: Record<string, unknown>;
  /** Names of the API reached for that this fake only stubs. */
  stubbed: Set<string>;
  /** What was registered, by kind. */
  registrations: Map<string, number>;
}

interface Disposable {
  dispose(): void;
}

const disposable = (): Disposable => ({ dispose: () => undefined });

/** An inert value that can be called, constructed, and read from at any depth. */
function makeStub(path: string, stubbed: Set<string>): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function stub(): void {};
  return new Proxy(target, {
    get(_t, prop) {
      // Not a thenable: awaiting a stub must not hang.
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === 'dispose') return () => undefined;
      if (!cache.has(prop)) cache.set(prop, makeStub(`${path}.${String(prop)}`, stubbed));
      return cache.get(prop);
    },
    apply() {
      stubbed.add(`${path}()`);
      return makeStub(`${path}()`, stubbed);
    },
    construct() {
      stubbed.add(`new ${path}`);
      return makeStub(`${path}()`, stubbed) as object;
    },
  });
}

/** Wraps an object so that names it does not have answer with recorded stubs. */
function withStubs<T extends object>(object: T, path: string, stubbed: Set<string>): T {
  return new Proxy(object, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then')
        return Reflect.get(target, prop, receiver) as unknown;
      stubbed.add(`${path}.${prop}`);
      const stub = makeStub(`${path}.${prop}`, stubbed);
      Reflect.set(target, prop, stub);
      return stub;
    },
  });
}

const event = () => (): Disposable => disposable();

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

class EventEmitter {
  private listeners: AnyFunction[] = [];
  event = (listener: AnyFunction): Disposable => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: unknown): void {
    this.listeners.forEach((l) => l(value));
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Disposer {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: Disposable[]): Disposer {
    return new Disposer(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    const at = value.indexOf(':');
    return new Uri(at > 0 ? value.slice(0, at) : 'file', at > 0 ? value.slice(at + 1) : value);
  }
  static from(parts: { scheme: string; path?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/'));
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}:${this.path}`;
  }
  get fsPath(): string {
    return this.path;
  }
}

/** `defaults` are the `contributes.configuration.properties` of package.json: key to default. */
export function createFakeVscode(defaults: Record<string, unknown>): FakeVscode {
  const stubbed = new Set<string>();
  const registrations = new Map<string, number>();
  const registered = (kind: string): Disposable => {
    registrations.set(kind, (registrations.get(kind) ?? 0) + 1);
    return disposable();
  };
  const configuration = (section?: string) => {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return withStubs(
      {
        get: (key: string, fallback?: unknown) => (full(key) in defaults ? defaults[full(key)] : fallback),
        has: (key: string) => full(key) in defaults,
        inspect: (key: string) => ({ key: full(key), defaultValue: defaults[full(key)] }),
        update: () => Promise.resolve(),
      },
      `WorkspaceConfiguration(${section ?? ''})`,
      stubbed,
    );
  };
  const outputChannel = (name: string) =>
    withStubs(
      {
        name,
        logLevel: 2,
        onDidChangeLogLevel: event(),
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
        append: () => undefined,
        appendLine: () => undefined,
        replace: () => undefined,
        clear: () => undefined,
        show: () => undefined,
        hide: () => undefined,
        dispose: () => undefined,
      },
      'OutputChannel',
      stubbed,
    );
  const statusBarItem = () =>
    withStubs(
      {
        text: '',
        tooltip: '',
        command: undefined,
        name: '',
        backgroundColor: undefined,
        color: undefined,
        show: () => undefined,
        hide: () => undefined,
        dispose: () => undefined,
      },
      'StatusBarItem',
      stubbed,
    );
  const module = withStubs(
    {
      version: '1.95.0',
      Position,
      Range,
      EventEmitter,
      Disposable: Disposer,
      Uri,
      ThemeColor: class ThemeColor {
        constructor(readonly id: string) {}
      },
      MarkdownString: class MarkdownString {
        isTrusted = false;
        supportThemeIcons = false;
        constructor(public value = '') {}
        appendMarkdown(text: string) {
          this.value += text;
          return this;
        }
        appendText(text: string) {
          this.value += text;
          return this;
        }
      },
      InlineCompletionItem: class InlineCompletionItem {
        constructor(
          readonly insertText: string,
          readonly range?: Range,
        ) {}
      },
      StatusBarAlignment: { Left: 1, Right: 2 },
      EndOfLine: { LF: 1, CRLF: 2 },
      ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
      InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
      ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
      QuickPickItemKind: { Separator: -1, Default: 0 },
      ViewColumn: { Active: -1, Beside: -2, One: 1 },
      LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
      ExtensionMode: { Production: 1, Development: 2, Test: 3 },
      l10n: {
        t: (message: string, ...args: unknown[]) =>
          message.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)])),
      },
      env: withStubs({ language: 'en', appName: 'Visual Studio Code', machineId: 'bench', uiKind: 1 }, 'env', stubbed),
      window: withStubs(
        {
          activeTextEditor: undefined,
          visibleTextEditors: [],
          createOutputChannel: outputChannel,
          createStatusBarItem: statusBarItem,
          createTextEditorDecorationType: () => disposable(),
          onDidChangeActiveTextEditor: event(),
          onDidChangeVisibleTextEditors: event(),
          onDidChangeTextEditorSelection: event(),
          showInformationMessage: () => Promise.resolve(undefined),
          showWarningMessage: () => Promise.resolve(undefined),
          showErrorMessage: () => Promise.resolve(undefined),
          setStatusBarMessage: () => disposable(),
        },
        'window',
        stubbed,
      ),
      workspace: withStubs(
        {
          isTrusted: true,
          workspaceFolders: undefined,
          textDocuments: [],
          getConfiguration: configuration,
          onDidChangeConfiguration: event(),
          onDidGrantWorkspaceTrust: event(),
          onDidChangeTextDocument: event(),
          onDidCloseTextDocument: event(),
          onDidOpenTextDocument: event(),
          onDidSaveTextDocument: event(),
          onDidChangeWorkspaceFolders: event(),
          registerTextDocumentContentProvider: () => registered('textDocumentContentProvider'),
          asRelativePath: (p: unknown) => String(p),
        },
        'workspace',
        stubbed,
      ),
      languages: withStubs(
        {
          registerInlineCompletionItemProvider: () => registered('inlineCompletionItemProvider'),
          match: () => 0,
        },
        'languages',
        stubbed,
      ),
      commands: withStubs(
        {
          registerCommand: () => registered('command'),
          registerTextEditorCommand: () => registered('command'),
          executeCommand: () => Promise.resolve(undefined),
        },
        'commands',
        stubbed,
      ),
    },
    'vscode',
    stubbed,
  );
  return { module, stubbed, registrations };
}

/** An ExtensionContext with in-memory state and secrets. */
export function createFakeContext(extensionPath: string, stubbed: Set<string>): Record<string, unknown> {
  const memento = () => {
    const values = new Map<string, unknown>();
    return {
      get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
      update: (key: string, value: unknown) => {
        values.set(key, value);
        return Promise.resolve();
      },
      keys: () => [...values.keys()],
      setKeysForSync: () => undefined,
    };
  };
  const secrets = new Map<string, string>();
  return withStubs(
    {
      subscriptions: [] as Disposable[],
      extensionPath,
      extensionUri: Uri.file(extensionPath),
      globalStorageUri: Uri.file(`${extensionPath}/.bench-global-storage`),
      storageUri: undefined,
      logUri: Uri.file(`${extensionPath}/.bench-log`),
      extensionMode: 1,
      globalState: memento(),
      workspaceState: memento(),
      secrets: {
        get: (key: string) => Promise.resolve(secrets.get(key)),
        store: (key: string, value: string) => {
          secrets.set(key, value);
          return Promise.resolve();
        },
        delete: (key: string) => {
          secrets.delete(key);
          return Promise.resolve();
        },
        onDidChange: event(),
      },
      asAbsolutePath: (relative: string) => `${extensionPath}/${relative}`,
    },
    'ExtensionContext',
    stubbed,
  );
}
