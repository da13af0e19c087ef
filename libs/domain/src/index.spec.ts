import * as fs from 'node:fs';
import * as path from 'node:path';
import * as domain from '@app/domain';

describe('@app/domain', () => {
  it('exports the public API through the alias', () => {
    for (const name of [
      'buildDesiredContacts',
      'mapSourceRecord',
      'normalizeContact',
      'finalizeContact',
      'mergeContacts',
      'evaluateFilterRules',
      'computeContactPatch',
      'contactContentHash',
      'planDiff',
      'contactDiffStrategy',
      'DomainValidationError',
    ]) {
      expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('stays pure: no Nest, no other @app libs, no I/O modules', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(full);
      }
    };
    walk(__dirname);
    const allowed = /^(\.{1,2}\/|node:crypto$|libphonenumber-js\/max$)/;
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      for (const [, spec] of source.matchAll(/from '([^']+)'/g)) {
        expect({
          file: path.relative(__dirname, file),
          spec,
          allowed: allowed.test(spec!),
        }).toMatchObject({ allowed: true });
      }
    }
    expect(files.length).toBeGreaterThan(30);
  });
});
