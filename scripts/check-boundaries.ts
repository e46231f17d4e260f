// `npm run check`: every package's `exports` names files that exist, and no relative
// import leaves its package. Each folder of packages/ and services/ is a package with an
// entry point (package.json `exports`); tests/ and scripts/ are two more homes. Code in one home reaches another only through `@vigil/<name>`, so the
// import direction rules in eslint.config.js see every dependency.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const specifier = /(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']*)'/g;

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/** packages/<name>, services/<name>, tests or scripts: the folder a file's relative imports must stay in. */
function homeOf(file: string): string {
  const parts = relative(root, file).split(sep);
  return parts[0] === 'packages' || parts[0] === 'services' ? join(root, parts[0], parts[1]!) : join(root, parts[0]!);
}

const problems: string[] = [];
for (const top of ['packages', 'services']) {
  for (const name of readdirSync(join(root, top))) {
    const dir = join(root, top, name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
    if (!manifest.exports?.['.']) problems.push(`${top}/${name}/package.json: no "exports" entry point`);
    for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
      const path = join(dir, target.replace(/\*$/, ''));
      if (!existsSync(path)) problems.push(`${top}/${name}/package.json: exports "${entry}" names ${target}, which does not exist`);
    }
  }
}
for (const top of ['packages', 'services', 'tests', 'scripts']) {
  for (const file of tsFiles(join(root, top))) {
    const home = homeOf(file);
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      const target = resolve(dirname(file), match[1]!);
      if (target !== home && !target.startsWith(home + sep)) {
        problems.push(`${relative(root, file)}: '${match[1]}' leaves ${relative(root, home)}; import the package entry point (@vigil/<name>) instead`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('boundaries: every package exports an existing entry point; no relative import leaves its package');
