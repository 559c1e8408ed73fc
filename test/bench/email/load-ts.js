'use strict';
/*
 * Loads the TypeScript test harness (test/support/dovecot.ts) into this plain-JS bench.
 *
 * Why a hook of our own: the benches are plain Node scripts (no ts-node/tsx in the project, no new
 * package allowed), and the Dovecot harness is TypeScript shared with the e2e tests; copying it
 * would let the two drift. @swc/core is already installed (the build uses it), so a require hook
 * that compiles `.ts` to CommonJS with swc's transformSync is ~20 lines. It is registered only for
 * `.ts` files below test/support and only while requireTs() runs, so it cannot change how anything
 * else (the server in dist/, node_modules) is loaded.
 */
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const SUPPORT_DIR = path.resolve(__dirname, '..', '..', 'support') + path.sep;

function compile(module, filename) {
  if (!filename.startsWith(SUPPORT_DIR)) throw new Error(`load-ts: refusing to compile ${filename} (only test/support/*.ts)`);
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  module._compile(code, filename);
}

/** require() of one .ts module below test/support (and the .ts modules it imports). */
function requireTs(file) {
  const previous = require.extensions['.ts'];
  require.extensions['.ts'] = compile;
  try {
    return require(path.resolve(file));
  } finally {
    if (previous) require.extensions['.ts'] = previous;
    else delete require.extensions['.ts'];
  }
}

module.exports = { requireTs, SUPPORT_DIR };
