'use strict'

const fs = require('node:fs')
const { CliError } = require('./errors')

// A longer line is reported and skipped without being held in memory whole.
const MAX_LINE = 64 * 1024

/**
 * The lines of `source` (a path, or '-' for standard input) as
 * `{ n, text, tooLong }`, with `progress()` telling bytes read of the total
 * (total null when unknown). Lines are split on \n; a trailing \r is dropped.
 */
function lines(source, stdin = process.stdin) {
  let input
  let total = null
  if (source === '-') {
    input = stdin
  } else {
    try {
      total = fs.statSync(source).size
    } catch (err) {
      throw new CliError(`cannot read ${source}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`)
    }
    input = fs.createReadStream(source)
  }
  let read = 0
  async function* generate() {
    let parts = []
    let size = 0
    let n = 0
    let skipping = false
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      read += buf.length
      let start = 0
      for (let nl = buf.indexOf(10, start); ; nl = buf.indexOf(10, start)) {
        const end = nl === -1 ? buf.length : nl
        if (!skipping) {
          parts.push(buf.subarray(start, end))
          size += end - start
          if (size > MAX_LINE) skipping = true
        }
        if (nl === -1) break
        n++
        yield skipping ? { n, text: '', tooLong: true } : { n, text: finish(parts), tooLong: false }
        parts = []
        size = 0
        skipping = false
        start = nl + 1
      }
    }
    if (size > 0 || skipping) yield skipping ? { n: n + 1, text: '', tooLong: true } : { n: n + 1, text: finish(parts), tooLong: false }
  }
  return { [Symbol.asyncIterator]: generate, progress: () => ({ read, total }) }
}

function finish(parts) {
  const text = Buffer.concat(parts).toString('utf8')
  return text.endsWith('\r') ? text.slice(0, -1) : text
}

module.exports = { lines, MAX_LINE }
