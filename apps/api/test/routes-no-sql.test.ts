import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Route files stay thin: no database access; reads go through queries.ts, writes through commands.ts (issue 9). */
const modules = fileURLToPath(new URL('../src/modules', import.meta.url));
const forbidden = [/from\s+['"]@praxis\/db['"]/, /\.db\./, /\bdeps\.db\b/, /\.db\b\s*[);,]/, /\{\s*db\s*\}\s*=\s*app\.deps/];

describe('route files do not touch the database', () => {
  it('no @praxis/db import and no .db / deps.db use in modules/*/routes.ts', () => {
    const offences: string[] = [];
    const files = readdirSync(modules)
      .map((m) => join(modules, m, 'routes.ts'))
      .filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (forbidden.some((re) => re.test(line))) offences.push(`${file.slice(modules.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offences, offences.join('\n')).toEqual([]);
  });
});
