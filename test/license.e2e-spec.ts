import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Issue #19: the LICENSE file is the full AGPL-3.0 text as packaged by spdx-license-list 6.12.0
 * (licenses/AGPL-3.0-only.json, `licenseText`), not one written from memory. The digest is of
 * that packaged text (line ends as LF, outer whitespace trimmed), so an edit or a truncation fails.
 */
const SPDX_AGPL_3_0_ONLY_SHA256 =
  'e759409d48ed8c7d1710186d8180a602bd81bfe1d7cb6713c780e761534648c9';

describe('the licence', () => {
  const root = join(__dirname, '..');

  it('LICENSE is the packaged AGPL-3.0 text, and package.json names the same licence', () => {
    const text = readFileSync(join(root, 'LICENSE'), 'utf8').replace(/\r\n/g, '\n').trim();
    expect(text.startsWith('GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007')).toBe(
      true,
    );
    expect(text).toContain('END OF TERMS AND CONDITIONS');
    expect(createHash('sha256').update(text).digest('hex')).toBe(SPDX_AGPL_3_0_ONLY_SHA256);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      license?: string;
    };
    expect(pkg.license).toBe('AGPL-3.0-only');
  });
});
