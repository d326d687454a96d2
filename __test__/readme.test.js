'use strict'

// Every ```js sample in README.md runs here, with require('revocable') bound to
// this checkout, and what it logs is checked against its `// expected` comments.
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
const samples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])

// 'revocable' and its subpaths ('revocable/jsonwebtoken', ...) resolve to this checkout, through package.json's exports.
const { exports: subpaths } = require('../package.json')
const load = (name) => {
  if (name === 'revocable') return require('..')
  if (name.startsWith('revocable/')) return require(path.join(__dirname, '..', subpaths[`./${name.slice('revocable/'.length)}`].default))
  return require(name)
}

test('README has code samples', () => {
  expect(samples.length).toBeGreaterThanOrEqual(3)
})

test.each(samples.map((code, i) => [i + 1, code]))('sample %i runs and logs what it says', async (_, code) => {
  const logged = []
  const console = { log: (...args) => logged.push(args.map((a) => (typeof a === 'string' ? `'${a}'` : String(a))).join(' ')) }
  const script = new vm.Script(`(async () => {\n${code}\n})()`)
  await script.runInNewContext({ require: load, console, Buffer, process, setTimeout, clearTimeout, fetch, URL, performance })
  // The comment after a console.log line says what it prints; a trailing "(...)" is commentary.
  const expected = [...code.matchAll(/console\.log\(.*\/\/\s*(.+)$/gm)].map((m) => m[1].replace(/\s+\(.*\)$/, '').trim())
  expect(logged.length).toBe(expected.length)
  expected.forEach((want, i) => {
    // Comments write strings quoted ('x') except bare codes and dates.
    expect(logged[i].replace(/'/g, '')).toBe(want.replace(/'/g, ''))
  })
})
