import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The app's API types come from the server's OpenAPI document (docs/api/openapi.json, which a
// server test keeps equal to what the server serves). Regenerating them must change nothing:
// otherwise someone changed the API without running `npm run gen:api`.
describe('generated API types', () => {
  it('match the committed OpenAPI document', () => {
    // Vitest runs from web/ (jsdom's URL cannot resolve import.meta.url to a path).
    const web = process.cwd();
    const out = join(mkdtempSync(join(tmpdir(), 'switchboard-openapi-')), 'openapi.d.ts');
    execFileSync(process.execPath, [join(web, 'node_modules/openapi-typescript/bin/cli.js'), '../docs/api/openapi.json', '-o', out], {
      cwd: web,
      stdio: 'pipe',
    });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(web, 'src/types/openapi.d.ts'), 'utf8'));
  }, 60_000);
});
