'use strict'

// The published package's `install` script. It builds nothing by default: when
// the prebuilt addon for this platform loads (the usual case: npm installed the
// `revocable-<target>` optional dependency), it exits at once. It builds from
// source with cargo only when asked (REVOCABLE_BUILD_FROM_SOURCE=1) or when no
// prebuilt binary matches and cargo is on PATH; otherwise it warns and lets
// the install succeed (require('revocable') then explains, see lib/platform.js).
// Package managers that skip install scripts (pnpm 10, Bun) lose only the
// automatic source build: `npm rebuild revocable` runs it.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { target, missing } = require('../lib/platform')

const root = path.join(__dirname, '..')
const wanted = process.env.REVOCABLE_BUILD_FROM_SOURCE === '1'

function loads() {
  const child = spawnSync(process.execPath, ['-e', "require('./lib/native')"], { cwd: root, stdio: 'ignore' })
  return child.status === 0
}

const hasCargo = () => spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0

// cargo writes the cdylib as lib<name>.so / lib<name>.dylib / <name>.dll.
function cdylib(dir) {
  if (process.platform === 'win32') return path.join(dir, 'revocable.dll')
  return path.join(dir, process.platform === 'darwin' ? 'librevocable.dylib' : 'librevocable.so')
}

function build() {
  // A private target folder, removed afterwards, unless the caller chose one
  // (it would otherwise leave some 240 MB in node_modules/revocable).
  const own = !process.env.CARGO_TARGET_DIR
  const dir = own ? fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-build-')) : process.env.CARGO_TARGET_DIR
  console.error(`revocable: building the addon for ${target()} from source with cargo (a few minutes)`)
  try {
    const run = spawnSync('cargo', ['build', '--release', '--lib', '--locked'], { cwd: root, stdio: 'inherit', env: { ...process.env, CARGO_TARGET_DIR: dir } })
    if (run.status !== 0) throw new Error(`revocable: cargo build failed (exit ${run.status}${run.error ? `, ${run.error.message}` : ''})`)
    fs.copyFileSync(cdylib(path.join(dir, 'release')), path.join(root, `revocable.${target()}.node`))
  } finally {
    if (own) fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (!wanted && loads()) process.exit(0)
if (wanted || hasCargo()) {
  build()
  if (!loads()) throw missing(new Error('the addon built from source does not load'))
} else {
  console.warn(`${missing().message}\n(warning only: the install goes on; require('revocable') fails until one of the above is done)`)
}
