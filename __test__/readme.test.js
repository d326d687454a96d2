'use strict'

// Every ```js sample in README.md runs here, with require('revocable') bound to
// this checkout, and what it logs is checked against its `// expected` comments.
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
const samples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])

const load = (name) => (name === 'revocable' ? require('..') : require(name))

test('README has code samples', () => {
  expect(samples.length).toBeGreaterThanOrEqual(3)
})

test.each(samples.map((code, i) => [i + 1, code]))('sample %i runs and logs what it says', async (_, code) => {
  const logged = []
  const console = { log: (...args) => logged.push(args.map((a) => (typeof a === 'string' ? `'${a}'` : String(a))).join(' ')) }
  const script = new vm.Script(`(async () => {\n${code}\n})()`)
  await script.runInNewContext({ require: load, console, Buffer, process, setTimeout })
  // The comment after a console.log line says what it prints; a trailing "(...)" is commentary.
  const expected = [...code.matchAll(/console\.log\(.*\/\/\s*(.+)$/gm)].map((m) => m[1].replace(/\s+\(.*\)$/, '').trim())
  expect(logged.length).toBe(expected.length)
  expected.forEach((want, i) => {
    // Comments write strings quoted ('x') except bare codes and dates.
    expect(logged[i].replace(/'/g, '')).toBe(want.replace(/'/g, ''))
  })
})
