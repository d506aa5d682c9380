import * as assert from 'node:assert/strict';
import { type CompletionController } from '../../../src/core/engine/completionController';
import type { PromptContext } from '../../../src/core/prompt/context/contextTypes';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { type HttpTransport } from '../../../src/core/transport/httpTransport';
import { completionChunk, type ScriptedServer } from '../../fixtures/scriptedServer';
import { closeScriptedController, startScriptedController } from './scriptedController';

const definition: PromptContext = {
  repoName: 'w',
  currentPath: 'main.py',
  pieces: [
    {
      source: 'definition',
      path: 'shop.py',
      fileName: '/w/shop.py',
      startLine: 0,
      endLine: 0,
      text: 'def cart_total(items, tax=0):',
      rank: 0,
      seen: 0,
    },
  ],
};

describe('CompletionController with gathered context', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let controller: CompletionController;
  beforeEach(async () => {
    ({ server, transport, controller } = await startScriptedController());
    server.setHandler(() => ({ pieces: [completionChunk('items)')] }));
  });
  afterEach(() => closeScriptedController({ server, transport, controller }));

  function request(resolveContext: () => Promise<PromptContext | undefined>) {
    const { document, position } = StringDocument.withCursor('total = cart_total(█', 'python', '/w/main.py');
    return {
      document,
      position,
      trigger: 'automatic' as const,
      settings: {
        ...DEFAULT_SETTINGS,
        provider: 'custom',
        baseUrl: server.baseUrl,
        model: 'qwen2.5-coder:1.5b',
        fimMode: 'template' as const,
        debounceMs: 0,
        speculative: 'off' as const,
      },
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      context: { pieces: [] },
      resolveContext,
    };
  }

  it('sends what the context resolved to after the debounce, and records it for Explain', async () => {
    let asked = 0;
    const outcome = await controller.provide(
      request(async () => {
        asked++;
        return definition;
      }),
    );
    assert.equal(asked, 1);
    const prompt = String((server.requests[0]!.body as { prompt: string }).prompt);
    assert.ok(prompt.startsWith('<|repo_name|>w\n<|file_sep|>shop.py\ndef cart_total(items, tax=0):\n'), prompt);
    assert.deepEqual(
      outcome.decision.context?.map((c) => c.path),
      ['shop.py'],
    );
  });

  it('a newer keystroke while context is being gathered supersedes the request', async () => {
    let release!: () => void;
    const slow = controller.provide(
      request(() => new Promise<PromptContext>((resolve) => (release = () => resolve(definition)))),
    );
    await new Promise((r) => setTimeout(r, 5));
    const fast = controller.provide(request(async () => definition));
    release();
    const [first, second] = await Promise.all([slow, fast]);
    assert.equal(first.decision.reasonCode, 'superseded');
    assert.equal(second.decision.outcome, 'shown');
    assert.equal(server.requests.length, 1);
  });
});
