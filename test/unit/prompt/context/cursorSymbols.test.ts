import * as assert from 'node:assert/strict';
import { cursorSymbols, enclosingCall, importedNames } from '../../../../src/core/prompt/context/cursorSymbols';
import { StringDocument } from '../../../../src/core/prompt/textDocumentLike';

describe('cursorSymbols', () => {
  it('finds the call being written, even over several lines and past closed inner calls', () => {
    const { document, position } = StringDocument.withCursor('const v = compile(schema,\n  opts(1), █', 'typescript');
    assert.deepEqual(enclosingCall(document, position), { name: 'compile', line: 0, character: 10, role: 'call' });
    const member = StringDocument.withCursor('  this.gen.if(█', 'typescript');
    assert.equal(enclosingCall(member.document, member.position)?.name, 'if');
    const none = StringDocument.withCursor('if (a) { b█', 'typescript');
    assert.equal(enclosingCall(none.document, none.position), undefined);
  });

  it('lists the call first, then names on the line nearest the cursor, skipping keywords, strings and the word typed', () => {
    const { document, position } = StringDocument.withCursor(
      'const total = sumPrices(cart.items, "label", tax█',
      'typescript',
    );
    const names = cursorSymbols(document, position).map((s) => `${s.role}:${s.name}`);
    assert.deepEqual(names.slice(0, 4), ['call:sumPrices', 'line:items', 'line:cart', 'line:total']);
    assert.ok(!names.includes('line:tax'));
    assert.ok(!names.includes('line:label'));
    assert.ok(!names.includes('line:const'));
  });

  it('finds ES and Python imports, aliases by their local name, multi-line lists', () => {
    const ts = new StringDocument(
      "import Ajv, { type Options as Opts, compile } from 'ajv';\nimport * as path from 'path';\nimport {\n  a,\n  b as c,\n} from './x';\nconst z = 1;",
      'typescript',
    );
    const got = importedNames(ts).map((s) => `${s.name}@${s.line}:${s.character}`);
    assert.deepEqual(got, ['Ajv@0:7', 'Opts@0:30', 'compile@0:36', 'path@1:12', 'a@3:2', 'c@4:7']);
    const py = new StringDocument('from shop.cart import total, Item as I\nimport os\n', 'python');
    assert.deepEqual(
      importedNames(py).map((s) => s.name),
      ['total', 'I', 'os'],
    );
  });
});
