'use strict'

// Runs the real `revocable` command in a child process.
const path = require('node:path')
const { spawn } = require('node:child_process')

const BIN = path.join(__dirname, '..', 'bin', 'revocable.js')

/**
 * Resolves to `{ status, stdout, stderr }` once the command exits. `input` is
 * written to its standard input; the environment is the test's, without
 * REVOCABLE_* variables unless given in `env`; `preload` files run first (node -r).
 */
function cli(args, { env = {}, input = '', preload = [] } = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REVOCABLE_')))
  const node = preload.flatMap((file) => ['-r', file])
  const child = spawn(process.execPath, [...node, BIN, ...args], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d })
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d })
  child.stdin.on('error', () => {}) // the command may exit before reading it all
  child.stdin.end(input)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

/** Export lines sorted, so two stores' tables compare whatever their load order. */
const sortedLines = (text) => text.split('\n').filter(Boolean).sort()

module.exports = { cli, sortedLines, BIN }
