'use strict'

// Every code the product can produce is in README's error table and in the
// TypeScript union `ErrorCode` (index.d.ts), so a new code cannot go undocumented.
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
function sources(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name)
    if (e.isDirectory()) return sources(rel)
    return /\.(js|rs)$/.test(e.name) ? [fs.readFileSync(path.join(root, rel), 'utf8')] : []
  })
}
// A code is a quoted string literal: 'ERR_X' in JS, "ERR_X" in Rust.
const produced = new Set(sources('lib').concat(sources('src'), sources('bin'), fs.readFileSync(path.join(root, 'index.js'), 'utf8'))
  .flatMap((text) => [...text.matchAll(/['"](ERR_[A-Z0-9_]+)['"]/g)].map((m) => m[1])))

test('the codes are found at all', () => {
  expect([...produced]).toEqual(expect.arrayContaining(['ERR_JWT_REVOKED', 'ERR_JWT_MISSING', 'ERR_STORE', 'ERR_JWT_EXPIRED', 'ERR_CLI_USAGE', 'ERR_JWKS_FETCH', 'ERR_REVOCABLE_NATIVE']))
})

test.each([...produced].sort())('%s is in README\'s error table and in index.d.ts ErrorCode', (code) => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  const table = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('## Security'))
  expect(table).toContain(`| \`${code}\` |`)
  const dts = fs.readFileSync(path.join(root, 'index.d.ts'), 'utf8')
  // ErrorCode and the unions it names (JwtErrorCode, CliErrorCode, JwksErrorCode).
  const unions = [...dts.matchAll(/export type (?:\w*ErrorCode) =([^]*?)(?=\n\n|\n\/\*\*|\nexport )/g)].map((m) => m[1]).join(' ')
  expect(unions).toContain(`'${code}'`)
})
