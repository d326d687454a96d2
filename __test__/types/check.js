'use strict'

// Type tests (`npm run typecheck`, part of `npm run lint`): tsc --strict over
// __test__/types under moduleResolution nodenext and bundler, with 'revocable'
// resolved by self-reference through package.json's exports. Generated into
// .gen/: every README sample as a TypeScript module, and each file of peers/
// rewritten to import revocable's drop-in instead of the original package
// (the originals in peers/ compile against the real packages' types too).
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const here = __dirname
const gen = path.join(here, '.gen')
fs.rmSync(gen, { recursive: true, force: true })
fs.mkdirSync(gen)

// JavaScript idioms TypeScript cannot type without annotations: a listening
// server's address() (string | AddressInfo), `new Promise((resolve) => ...)`
// whose resolve is handed to a callback taking no argument, and an options
// object whose `algorithms` literal widens to string[] before it reaches open().
const jsIdioms = (code) => code
  .replace(/\b(\w+)\.address\(\)\.port/g, "(/** @type {import('node:net').AddressInfo} */ ($1.address())).port")
  .replace(/new Promise\(\(resolve\)/g, 'new Promise((/** @type {any} */ resolve)')
  .replace(/const options = \{ algorithms: (\[[^\]]*\])/g, 'const options = { algorithms: /** @type {const} */ ($1)')

const readme = fs.readFileSync(path.join(here, '..', '..', 'README.md'), 'utf8')
const samples = [...readme.matchAll(/```(js|mjs)\n([\s\S]*?)```/g)]
samples.forEach(([, kind, code], i) => {
  const esm = kind === 'mjs' ? code : code
    .replace(/^const (\w+) = require\(('[^']+')\)/gm, 'import $1 from $2')
    .replace(/^const \{([^}]*)\} = require\(('[^']+')\)/gm, (_, names, mod) => `import {${names.replace(/: /g, ' as ')}} from ${mod}`)
  // README samples are JavaScript: implicit any is fine, wrong types are not.
  fs.writeFileSync(path.join(gen, `readme-${String(i + 1).padStart(2, '0')}.mjs`), `${jsIdioms(esm)}\nexport {}\n`)
})
for (const file of fs.readdirSync(path.join(here, 'peers'))) {
  const source = fs.readFileSync(path.join(here, 'peers', file), 'utf8')
  fs.writeFileSync(path.join(gen, `dropin-${file}`), source.replace(/from '(jsonwebtoken|express-jwt)'/g, "from 'revocable/$1'"))
}

const tsc = require.resolve('typescript/bin/tsc')
for (const config of ['tsconfig.json', 'tsconfig.bundler.json', 'tsconfig.readme.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(here, config)], { stdio: 'inherit' })
  } catch {
    console.error(`type tests failed (${config})`)
    process.exit(1)
  }
}
console.log(`type tests passed: ${samples.length} README samples, ${fs.readdirSync(path.join(here, 'peers')).length} drop-ins, nodenext and bundler`)
