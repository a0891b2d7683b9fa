#!/bin/sh
# Starts Deno's Jupyter kernel from this project's node_modules (the npm package `deno`, pinned in package.json),
# with Deno's cache inside the project (notebooks/.deno, not ~/.cache/deno) and no colour codes in text outputs.
# Jupyter runs it as `sh {resource_dir}/kernel.sh {connection_file}`; {resource_dir} is this folder.
root=$(cd "$(dirname "$0")/../../../.." && pwd)
export DENO_DIR="$root/notebooks/.deno"
export NO_COLOR=1
exec "$root/node_modules/.bin/deno" jupyter --kernel --conn "$1"
