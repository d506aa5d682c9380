import * as assert from 'node:assert/strict';
import { formatDecisionReport } from '../../../src/core/reports/decisionReport';

describe('Explain Last Suggestion: context sent', () => {
  it('lists every piece: source, file, lines, tokens', () => {
    const text = formatDecisionReport({
      outcome: 'shown',
      reason: 'ok',
      model: 'm',
      promptChars: 100,
      context: [
        { source: 'definition', path: 'lib/compile.ts', lines: '12-18', tokens: 40 },
        { source: 'recentEdit', path: 'lib/core.ts', lines: '3-9', tokens: 21 },
      ],
    });
    assert.ok(text.includes('## Context sent'));
    assert.ok(text.includes('- definition: `lib/compile.ts`, lines 12-18, about 40 tokens'), text);
    assert.ok(text.includes('- recent edit: `lib/core.ts`, lines 3-9, about 21 tokens'));
    assert.ok(!text.includes('`context`'), 'not repeated under other details');
  });

  it('says when nothing beyond the window was sent, and nothing when no request was made', () => {
    assert.ok(
      formatDecisionReport({ outcome: 'shown', reason: 'ok', promptChars: 10 }).includes(
        'No context from outside the window around the cursor was sent.',
      ),
    );
    assert.ok(!formatDecisionReport({ outcome: 'skipped', reason: 'excluded' }).includes('Context sent'));
  });
});
