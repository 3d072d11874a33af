import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const src = path.join(root, 'apps/web/src');

/**
 * Every form of the web client, read from its source: each `<form` in a .tsx file under apps/web/src, named
 * "<file>#<Component>" after the file (relative to apps/web/src) and the function component it is in (a
 * second form in the same component gets "#2", and so on). A form added to the client appears here without
 * touching the tests that use this, so a test that must cover every form fails until it covers the new one.
 */
export function webClientForms(top: string = src): string[] {
  const forms: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.tsx')) forms.push(...formsIn(top, file));
    }
  };
  walk(top);
  return forms.sort();
}

function formsIn(top: string, file: string): string[] {
  // Comments blanked out (keeping every position), so a comment that mentions <form> is not one.
  const source = fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, (comment) => comment.replace(/[^\n]/g, ' '));
  const relative = path.relative(top, file).split(path.sep).join('/');
  // Top-level components: `function Name(`, `export function Name(`, `const Name = (` / `= function` / `= memo(`…
  const components = [
    ...source.matchAll(/^(?:export\s+)?(?:default\s+)?(?:function\s+([A-Z]\w*)\s*[<(]|const\s+([A-Z]\w*)\s*[:=])/gm),
  ].map((m) => ({ at: m.index!, name: m[1] ?? m[2] }));
  const found: string[] = [];
  const counts = new Map<string, number>();
  for (const m of source.matchAll(/<form[\s>]/g)) {
    const component = components.filter((c) => c.at < m.index!).pop()?.name ?? '(module)';
    const n = (counts.get(component) ?? 0) + 1;
    counts.set(component, n);
    found.push(`${relative}#${component}${n > 1 ? `#${n}` : ''}`);
  }
  return found;
}
