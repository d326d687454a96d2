'use strict'

// Every ```js (CommonJS) and ```mjs (ES module) sample in README.md runs here
// twice: as written, and translated to the other module system (require <->
// import), with 'revocable' bound to this checkout; what it logs is checked
// against its `// expected` comments. A ```js sample may not use top-level
// await (it would not run pasted into a .js file): use ```mjs for those.
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { execFile } = require('node:child_process')

const root = path.join(__dirname, '..')
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const samples = [...readme.matchAll(/```(js|mjs)\n([\s\S]*?)```/g)].map((m, i) => ({ n: i + 1, kind: m[1], code: m[2] }))

// 'revocable' and its subpaths ('revocable/jsonwebtoken', ...) resolve to this checkout, through package.json's exports.
const { exports: subpaths } = require('../package.json')
const load = (name) => {
  if (name === 'revocable') return require('..')
  if (name.startsWith('revocable/')) return require(path.join(root, subpaths[`./${name.slice('revocable/'.length)}`].require.default))
  return require(name)
}

// Only top-level lines are translated (a require inside a string or a function stays).
const toCjs = (code) => code
  .replace(/^import (\w+) from ('[^']+')/gm, 'const $1 = require($2)')
  .replace(/^import \{([^}]*)\} from ('[^']+')/gm, (_, names, mod) => `const {${names.replace(/ as /g, ': ')}} = require(${mod})`)
const toEsm = (code) => code
  .replace(/^const (\w+) = require\(('[^']+')\)/gm, 'import $1 from $2')
  .replace(/^const \{([^}]*)\} = require\(('[^']+')\)/gm, (_, names, mod) => `import {${names.replace(/: /g, ' as ')}} from ${mod}`)

const show = (args) => args.map((a) => (typeof a === 'string' ? `'${a}'` : String(a))).join(' ')

async function runCjs(code) {
  const logged = []
  const console = { log: (...args) => logged.push(show(args)) }
  const script = new vm.Script(`(async () => {\n${code}\n})()`)
  await script.runInNewContext({ require: load, console, Buffer, process, setTimeout, clearTimeout, fetch, URL, performance })
  return logged
}

// A real ES module in a child process, in this checkout (so 'revocable' resolves to it by self-reference).
function runEsm(code) {
  const prelude = `const show = ${show.toString()}; console.log = (...args) => process.stdout.write(JSON.stringify(show(args)) + '\\n');`
  const source = `${prelude}\n${code}\nprocess.exit(0)\n`
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', source], { cwd: root, timeout: 30000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`))
      else resolve(stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)))
    })
  })
}

function expectLogged(code, logged) {
  // The comment after a console.log line says what it prints; a trailing "(...)" is commentary.
  const expected = [...code.matchAll(/console\.log\(.*\/\/\s*(.+)$/gm)].map((m) => m[1].replace(/\s+\(.*\)$/, '').trim())
  expect(logged.length).toBe(expected.length)
  expected.forEach((want, i) => {
    // Comments write strings quoted ('x') except bare codes and dates.
    expect(logged[i].replace(/'/g, '')).toBe(want.replace(/'/g, ''))
  })
}

test('README\'s Jest example (```js jest) is __test__/readme-jest-sample.test.js, which runs in this suite', () => {
  const jest = readme.match(/```js jest\n([\s\S]*?)```/)
  expect(jest && jest[1]).toBe(fs.readFileSync(path.join(__dirname, 'readme-jest-sample.test.js'), 'utf8'))
})

test('README has code samples, and no ```js sample awaits at top level', () => {
  expect(samples.length).toBeGreaterThanOrEqual(3)
  for (const { kind, code } of samples.filter((s) => s.kind === 'js')) {
    expect({ kind, topLevelAwait: /^(?:const .*=\s*)?await\b|^for await\b/m.test(code) }).toEqual({ kind, topLevelAwait: false })
  }
})

test.each(samples.map((s) => [s.n, s.kind, s]))('sample %i (%s) runs under require and logs what it says', async (_, kind, { code }) => {
  expectLogged(code, await runCjs(kind === 'mjs' ? toCjs(code) : code))
})

test.each(samples.map((s) => [s.n, s.kind, s]))('sample %i (%s) runs as an ES module and logs what it says', async (_, kind, { code }) => {
  expectLogged(code, await runEsm(kind === 'js' ? toEsm(code) : code))
})
