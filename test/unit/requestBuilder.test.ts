import * as assert from 'node:assert/strict';
import { readPromptWindow } from '../../src/core/promptWindow';
import { buildCompletionRequest } from '../../src/core/requestBuilder';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../src/core/settings';
import { StringDocument } from '../../src/core/textDocumentLike';

function build(overrides: Partial<InfillSettings>, marked = 'x = █\ny = 2') {
  const { document, position } = StringDocument.withCursor(marked);
  return buildCompletionRequest({ ...DEFAULT_SETTINGS, ...overrides }, readPromptWindow(document, position, 1000));
}

describe('buildCompletionRequest', () => {
  it('puts the prefix in prompt and the rest in suffix, streamed', () => {
    const { body } = build({ model: 'm', maxTokens: 64, temperature: 0.1 });
    assert.deepEqual(body, { model: 'm', prompt: 'x = ', suffix: '\ny = 2', max_tokens: 64, temperature: 0.1, stream: true });
  });

  it('sends no suffix with fimMode off or at the end of the file', () => {
    assert.equal(build({ fimMode: 'off' }).body.suffix, undefined);
    assert.equal(build({}, 'x = █').body.suffix, undefined);
  });

  it('sends at most four stop strings and enforces all of them itself', () => {
    const built = build({ stop: ['\n\n', 'a', 'b', 'c', 'd', ''] });
    assert.deepEqual(built.body.stop, ['\n\n', 'a', 'b', 'c']);
    assert.deepEqual(built.clientStops, ['\n\n', 'a', 'b', 'c', 'd']);
  });

  it('leaves stop out when none is configured', () => {
    assert.equal('stop' in build({}).body, false);
  });

  it('merges extraBody last', () => {
    const { body } = build({ extraBody: { top_k: 20, temperature: 0 } });
    assert.equal(body.top_k, 20);
    assert.equal(body.temperature, 0);
  });
});
