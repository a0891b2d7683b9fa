/**
 * `src/browser.ts` is the library without Node.js: walks the static import graph from it (and from the explorer's
 * page and worker) and fails on any reachable module that imports `node:*` or a Node built-in, imports a package
 * not known to run in a browser, or touches Node's globals (`process`, `Buffer`, `require`, `__dirname`).
 *
 * Type-only imports and exports are skipped (they are erased); every other import counts, even one whose bindings
 * happen to be used only as types, because whether a transpiler drops it depends on its settings.
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as browser from '../../src/browser.js';
import * as library from '../../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = (p: string): string => join(ROOT, 'src', p);

/** Packages that run in a browser, and why we believe it. Add one here only after checking that. */
const BROWSER_PACKAGES: Record<string, string> = {
  seedrandom: 'pure JS; its package.json maps the optional `crypto` to false for browsers ("browser" field)',
  'ml-matrix': 'pure JS linear algebra',
  mathjs: 'pure JS; ships a browser bundle',
  zod: 'pure JS',
  quadprog: 'pure JS',
  vega: 'browser-first (the explorer renders with it)',
  'vega-lite': 'browser-first',
  'vega-embed': 'browser-only',
};

/** Packages of ours that are known to need Node.js (named in the failure message). */
const NODE_ONLY_PACKAGES: Record<string, string> = {
  '@resvg/resvg-js': 'a native addon',
  'cli-progress': 'writes to a terminal',
  commander: 'parses process.argv',
  'dejavu-fonts-ttf': 'font files read from disk',
  ajv: 'used by figures/schema.ts, which reads schema files from disk',
};

const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename']);
const BUILTINS = new Set(builtinModules);

interface Edge {
  specifier: string;
  line: number;
}

interface ModuleReport {
  edges: Edge[];
  /** Uses of Node globals, as `name (line n)`. */
  globals: string[];
}

/** Runtime imports and Node-global uses of one TypeScript module. */
function scan(file: string): ModuleReport {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const line = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const edges: Edge[] = [];
  const globals: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.phaseModifier === ts.SyntaxKind.TypeKeyword ||
          (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) edges.push({ specifier: node.moduleSpecifier.text, line: line(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) edges.push({ specifier: node.moduleSpecifier.text, line: line(node) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      if (!node.isTypeOnly) edges.push({ specifier: node.moduleReference.expression.text, line: line(node) });
    } else if (ts.isCallExpression(node)) {
      const arg = node.arguments[0];
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      // require('x'), and createRequire(import.meta.url)('x') as figures/render.ts loads a native addon
      const isRequire =
        (ts.isIdentifier(node.expression) && node.expression.text === 'require') ||
        (ts.isCallExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'createRequire');
      if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) edges.push({ specifier: arg.text, line: line(node) });
      if (isRequire) globals.push(`require (line ${line(node)})`);
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      // a free use, not a property name (`x.process`) or a declaration of that name
      const p = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p);
      const isTypeName = ts.isTypeReferenceNode(p) || ts.isQualifiedName(p) || ts.isTypeQueryNode(p);
      if (!isPropertyName && !isTypeName) globals.push(`${node.text} (line ${line(node)})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { edges, globals };
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources; a Vite query such as `?worker&inline` is dropped). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier.replace(/\?.*$/, ''));
  const candidates = base.endsWith('.js') ? [base.replace(/\.js$/, '.ts'), base] : [base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

const packageName = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
};

/** Every problem reachable from `entries`, each with the import chain that reaches it. */
function browserProblems(entries: string[]): { problems: string[]; modules: string[] } {
  const parent = new Map<string, string | null>(entries.map((e) => [e, null]));
  const queue = [...entries];
  const problems: string[] = [];
  const chain = (file: string): string => {
    const out: string[] = [];
    for (let f: string | null | undefined = file; f; f = parent.get(f)) out.unshift(relative(ROOT, f));
    return out.join(' → ');
  };
  while (queue.length) {
    const file = queue.shift()!;
    if (!file.endsWith('.ts')) continue; // JSON data
    const { edges, globals } = scan(file);
    for (const g of globals) problems.push(`${chain(file)}: uses the Node global ${g}`);
    for (const { specifier, line } of edges) {
      const at = `${chain(file)}:${line}`;
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (!target) problems.push(`${at}: cannot resolve ${specifier}`);
        else if (!parent.has(target)) {
          parent.set(target, file);
          queue.push(target);
        }
      } else if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(packageName(specifier))) {
        problems.push(`${at}: imports the Node built-in '${specifier}'`);
      } else {
        const name = packageName(specifier);
        if (NODE_ONLY_PACKAGES[name]) problems.push(`${at}: imports '${specifier}', which needs Node.js (${NODE_ONLY_PACKAGES[name]})`);
        else if (!BROWSER_PACKAGES[name]) problems.push(`${at}: imports the package '${specifier}', not known to run in a browser (if it does, add it to BROWSER_PACKAGES with the reason)`);
      }
    }
  }
  return { problems, modules: [...parent.keys()] };
}

describe('the browser entry', { timeout: 60_000 }, () => {
  it('reaches no node:* import, Node built-in, Node-only package or Node global from src/browser.ts', () => {
    const { problems, modules } = browserProblems([src('browser.ts')]);
    expect(problems).toEqual([]);
    // the walk really covered the simulation
    for (const m of ['dynamics/flow.ts', 'models/imRm.ts', 'probes/standard.ts', 'figures/specs.ts', 'random.ts']) expect(modules).toContain(src(m));
  });

  it('nor from the explorer page and its worker', () => {
    const { problems, modules } = browserProblems([src('explorer/main.ts'), src('explorer/worker.ts')]);
    expect(problems).toEqual([]);
    expect(modules).toContain(src('browser.ts'));
  });

  it('the walk catches the modules that do need Node.js', () => {
    const { problems } = browserProblems([src('index.ts')]);
    expect(problems.some((p) => p.includes("'node:fs'") && p.includes('io/problemFile.ts'))).toBe(true);
    expect(problems.some((p) => p.includes('@resvg/resvg-js'))).toBe(true);
  });

  it('re-exports the library itself: every runtime export of src/browser.ts is the same object in src/index.ts', () => {
    const lib = library as Record<string, unknown>;
    for (const [name, value] of Object.entries(browser)) {
      expect(Object.hasOwn(lib, name), `${name} is not exported by src/index.ts`).toBe(true);
      expect(lib[name], name).toBe(value);
    }
  });
});
