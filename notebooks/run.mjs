// The notebooks on Deno's Jupyter kernel, with everything kept inside the project:
//
//   node notebooks/run.mjs setup      `npm run notebook:setup`: checks Jupyter and the pinned Deno, fills Deno's cache,
//                                     prints the environment under which plain `jupyter …` commands find the kernel
//   node notebooks/run.mjs open [..]  `npm run notebook`: set-up, then Jupyter Notebook on notebooks/ (extra arguments
//                                     go to `jupyter notebook`, e.g. --no-browser --port 8890)
//   node notebooks/run.mjs [NB ...]   `npm run notebooks`: set-up, then executes every notebook (or those named)
//                                     headlessly and writes it back with its outputs; exit 1 if any cell fails
//
// The kernelspec is committed (notebooks/.jupyter/kernels/deno; its kernel.sh starts node_modules/.bin/deno with
// DENO_DIR=notebooks/.deno); Jupyter finds it through JUPYTER_DATA_DIR=notebooks/.jupyter, which also holds Jupyter's
// runtime files. Needs Debian's jupyter-notebook, python3-nbconvert, python3-nbclient (or pip's notebook, nbclient).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const jupyterData = join(here, '.jupyter');
const deno = join(root, 'node_modules', '.bin', 'deno');
// Debian's Python first: another python3 on PATH (pyenv, conda) may lack nbclient
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const jupyter = existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : 'jupyter';

/** The environment of every Jupyter command: Jupyter's data, runtime and config folders and Deno's cache in the project. */
const env = {
  ...process.env,
  JUPYTER_DATA_DIR: jupyterData,
  JUPYTER_CONFIG_DIR: join(jupyterData, 'config'),
  JUPYTER_RUNTIME_DIR: join(jupyterData, 'runtime'),
  DENO_DIR: join(here, '.deno'),
  NO_COLOR: '1',
  // silences a debugger warning some Python builds print at exit
  PYDEVD_DISABLE_FILE_VALIDATION: '1',
};

function fail(message) {
  console.error(`notebooks: ${message}`);
  process.exit(2);
}

function setup({ quiet = false } = {}) {
  const modules = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  if (modules.status !== 0) fail(`${python} cannot import nbclient, nbformat, jupyter_client (${(modules.stderr || String(modules.error)).trim().split('\n').pop()}); install Debian's jupyter-notebook python3-nbconvert python3-nbclient`);
  const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies?.deno;
  const version = spawnSync(deno, ['--version'], { encoding: 'utf8', env });
  if (version.status !== 0) fail(`${relative(root, deno)} does not run (${version.error ?? version.stderr}); run npm ci`);
  const found = /^deno (\S+)/.exec(version.stdout)?.[1];
  if (found !== pinned) fail(`node_modules has deno ${found}, package.json pins ${pinned}; run npm ci`);
  const specs = spawnSync(jupyter, ['kernelspec', 'list', '--json'], { encoding: 'utf8', env });
  const spec = specs.status === 0 ? JSON.parse(specs.stdout).kernelspecs?.deno : undefined;
  if (!spec || resolve(spec.resource_dir) !== join(jupyterData, 'kernels', 'deno')) fail(`Jupyter does not see the committed kernelspec notebooks/.jupyter/kernels/deno (${specs.stderr || JSON.stringify(spec)})`);
  // Deno's module graph of the notebooks' imports, cached once (transpiled sources, npm package metadata)
  const cache = spawnSync(deno, ['cache', join(here, 'display.ts')], { cwd: here, encoding: 'utf8', env });
  if (cache.status !== 0) fail(`deno cache failed:\n${cache.stderr}`);
  if (!quiet) {
    console.log(`Deno ${found}, kernelspec ${relative(root, spec.resource_dir)}, Deno's cache ${relative(root, env.DENO_DIR)}.`);
    console.log('Plain Jupyter commands find the kernel with this environment (from the project folder):');
    console.log(`  export JUPYTER_DATA_DIR="$PWD/${relative(root, jupyterData)}"`);
    console.log('  jupyter nbconvert --execute --to notebook notebooks/01-*.ipynb');
  }
}

function open(args) {
  setup();
  const r = spawnSync(jupyter, ['notebook', `--notebook-dir=${here}`, ...args], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

function execute(names) {
  setup({ quiet: true });
  const books = names.length ? names.map((n) => resolve(n)) : readdirSync(here).filter((f) => f.endsWith('.ipynb') && !f.endsWith('.nbconvert.ipynb')).sort().map((f) => join(here, f));
  const failedDir = join(root, 'dist', 'notebooks');
  let failed = 0;
  for (const book of books) {
    const t0 = Date.now();
    const r = spawnSync(python, [join(here, 'execute.py'), book, failedDir], { encoding: 'utf8', cwd: here, env });
    const ok = r.status === 0;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${basename(book)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (!ok) console.log((r.stderr || String(r.error)).split('\n').slice(-40).join('\n'));
  }
  console.log(`${books.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'setup') setup();
else if (command === 'open') open(rest);
else execute(command === undefined ? [] : [command, ...rest]);
