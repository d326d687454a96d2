'use strict'

// Every entry point in package.json's exports gives the same names, bound to
// the same objects, to require(), to `import { … }` under Node's ESM loader
// and to `import x from` (README "Adding an entry point" says how to add one).
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const root = path.join(__dirname, '..')
const pkg = require('../package.json')
const entries = Object.keys(pkg.exports).filter((sub) => sub !== './package.json')
const specifier = (sub) => (sub === '.' ? 'revocable' : `revocable/${sub.slice(2)}`)

// One child process imports every entry; each reports its names and whether
// each named export is the very object require() gives.
function importAll() {
  const source = `
import { createRequire } from 'node:module'
const require = createRequire(process.cwd() + '/')
const out = {}
for (const name of ${JSON.stringify(entries.map(specifier))}) {
  const ns = await import(name)
  const cjs = require(name)
  const named = Object.keys(ns).filter((k) => k !== 'default')
  out[name] = {
    named: named.sort(),
    defaultIsRequire: ns.default === cjs,
    same: named.filter((k) => ns[k] !== cjs[k]),
  }
}
process.stdout.write(JSON.stringify(out))`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' }))
}

const imported = importAll()

test.each(entries.map((sub) => [specifier(sub), sub]))('%s: import gives require()\'s names and objects', (name) => {
  const names = Object.keys(require(name === 'revocable' ? '..' : path.join(root, pkg.exports[`./${name.slice(10)}`].require.default)))
  expect(imported[name]).toEqual({ named: [...names].sort(), defaultIsRequire: true, same: [] })
})

test.each(entries)('%s: import and require conditions, types for each, files shipped, node10 typesVersions', (sub) => {
  const entry = pkg.exports[sub]
  expect(Object.keys(entry)).toEqual(['import', 'require'])
  for (const [cond, ext, dts] of [['import', '.mjs', '.d.mts'], ['require', '.js', '.d.ts']]) {
    expect(Object.keys(entry[cond])).toEqual(['types', 'default'])
    expect(entry[cond].default.endsWith(ext)).toBe(true)
    expect(entry[cond].types).toBe(entry[cond].default.slice(0, -ext.length) + dts)
    for (const file of [entry[cond].default, entry[cond].types]) {
      expect(fs.existsSync(path.join(root, file))).toBe(true)
      expect(pkg.files.some((f) => path.normalize(file).startsWith(path.normalize(f)))).toBe(true)
    }
  }
  // TypeScript's moduleResolution node10 ignores exports and reads typesVersions.
  if (sub === '.') expect(pkg.types).toBe('index.d.ts')
  else expect(pkg.typesVersions['*'][sub.slice(2)]).toEqual([entry.require.types.slice(2)])
})
