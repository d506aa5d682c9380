import * as assert from 'node:assert/strict';
import { ExclusionMatcher } from '../../../src/core/policy/exclusionMatcher';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';

describe('ExclusionMatcher', () => {
  const defaults = new ExclusionMatcher(DEFAULT_SETTINGS.exclude);

  it('the default patterns catch secrets files anywhere', () => {
    for (const file of [
      '/home/me/project/.env',
      '/home/me/project/.env.local',
      '/home/me/project/api/.env.production',
      '/home/me/project/certs/server.pem',
      '/home/me/project/tls.key',
      '/home/me/.ssh/id_rsa',
      '/home/me/.ssh/id_rsa.pub',
      '/home/me/project/secrets/db.yaml',
      '/home/me/project/deploy/secrets/nested/token.txt',
      'C:\\Users\\me\\project\\.env',
      'C:\\Users\\me\\project\\secrets\\prod.json',
    ]) {
      assert.equal(defaults.matches(file), true, file);
    }
  });

  it('the default patterns leave ordinary source files alone', () => {
    for (const file of [
      '/home/me/project/src/main.py',
      '/home/me/project/environment.ts',
      '/home/me/project/keyboard.ts',
      '/home/me/project/secrets.md',
      '/home/me/project/src/env.ts',
      'C:\\proj\\app.ts',
    ]) {
      assert.equal(defaults.matches(file), false, file);
    }
  });

  it('a pattern without a slash matches the file name, like .gitignore', () => {
    const m = new ExclusionMatcher(['*.sqlite', 'Makefile']);
    assert.equal(m.matches('/a/b/c/data.sqlite'), true);
    assert.equal(m.matches('/a/Makefile'), true);
    assert.equal(m.matches('/a/Makefile.am'), false);
  });

  it('a relative pattern with a slash matches the workspace-relative path', () => {
    const m = new ExclusionMatcher(['config/prod/**', './vendor/*.js']);
    assert.equal(
      m.matches({ path: '/home/me/project/config/prod/app.yaml', relativePath: 'config/prod/app.yaml' }),
      true,
    );
    assert.equal(m.matches({ path: '/home/me/project/vendor/lib.js', relativePath: 'vendor/lib.js' }), true);
    assert.equal(
      m.matches({ path: '/home/me/project/src/config/prod/app.yaml', relativePath: 'src/config/prod/app.yaml' }),
      false,
    );
    assert.equal(m.matches({ path: 'C:\\p\\config\\prod\\x.yaml', relativePath: 'config\\prod\\x.yaml' }), true);
  });

  it('an absolute pattern matches the absolute path', () => {
    assert.equal(new ExclusionMatcher(['/etc/**']).matches('/etc/hosts'), true);
  });

  it('is case-sensitive unless told otherwise', () => {
    assert.equal(new ExclusionMatcher(['**/*.pem']).matches('/x/CERT.PEM'), false);
    assert.equal(new ExclusionMatcher(['**/*.pem'], { caseInsensitive: true }).matches('/x/CERT.PEM'), true);
  });

  it('no patterns, empty patterns and non-strings exclude nothing', () => {
    assert.equal(new ExclusionMatcher([]).matches('/x/.env'), false);
    assert.equal(new ExclusionMatcher(['', '   ']).matches('/x/.env'), false);
    assert.equal(new ExclusionMatcher([42 as unknown as string]).matches('/x/.env'), false);
    assert.equal(defaults.matches(''), false);
  });
});
