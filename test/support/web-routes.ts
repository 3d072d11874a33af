import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * The web client's pages, read from its route table (apps/web/src/app.tsx, and a routes module beside it if
 * there is one): every quoted path that starts with "/". A page added to the table is walked by the tests
 * that use this without touching them.
 */
export function webClientRoutes(): string[] {
  const sources = ['app.tsx', 'routes.ts', 'routes.tsx']
    .map((f) => path.join(root, 'apps/web/src', f))
    .filter((f) => fs.existsSync(f));
  const routes = new Set<string>(['/']);
  for (const file of sources) {
    const source = fs.readFileSync(file, 'utf8').replace(/^import .*$/gm, '');
    for (const [, route] of source.matchAll(/['"`](\/[A-Za-z0-9_:\-/]*)['"`]/g))
      routes.add(route.replace(/\/$/, '') || '/');
  }
  return [...routes].sort();
}

/** A route with its parameters filled (a person on the walker's caseload); null when there is no such person. A new kind of parameter must be added here. */
export function fillRoute(route: string, values: { personId?: string }): string | null {
  let missing = false;
  const filled = route.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'id' || name === 'personId') {
      if (!values.personId) missing = true;
      return values.personId ?? '';
    }
    throw new Error(
      `test/support/web-routes.ts does not know what fills :${name} in the route ${route}; teach fillRoute`,
    );
  });
  return missing ? null : filled;
}
