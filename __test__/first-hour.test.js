'use strict'

// What a new user meets in the first hour: calls typed as promises reject
// (never throw), one secret-length rule worded after what was passed, a test
// store and a Jest-safe default, store errors that say where, and one clear
// error when the native addon is missing.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const revocable = require('..')
const jwt = require('../lib/compat/jsonwebtoken')
const { target } = require('../lib/platform')

const { open, stores, sign, Verifier } = revocable
const secret = 'a-first-hour-secret-of-32-bytes!'
const base = { algorithms: ['HS256'], secret, maxTokenLifetime: '1h' }

/** Calls fn, failing if it throws synchronously; returns its promise's rejection. */
async function rejection(fn) {
  let result
  expect(() => { result = fn() }).not.toThrow()
  expect(typeof result?.then).toBe('function')
  return result.then(() => { throw new Error('expected a rejection') }, (err) => err)
}

describe('calls typed as promises reject with a coded error on bad input', () => {
  let auth, noRefresh
  beforeAll(async () => {
    auth = await open({ ...base, store: stores.memory() })
    noRefresh = await open({ ...base, store: stores.memory(), refresh: false })
  })
  afterAll(async () => {
    await auth.close()
    await noRefresh.close()
  })

  test.each([
    ['revokeToken()', (g) => g.revokeToken(), 'ERR_JWT_MALFORMED'],
    ['revokeToken(42)', (g) => g.revokeToken(42), 'ERR_JWT_MALFORMED'],
    ["revokeToken('not.a.token')", (g) => g.revokeToken('not.a.token'), 'ERR_JWT_MALFORMED'],
    ['revokeToken({ sub }) (no jti: revoke its session or user instead)', (g) => g.revokeToken({ sub: 'alice' }), 'ERR_JWT_CLAIM'],
    ["revokeUser('u', null)", (g) => g.revokeUser('u', null), 'ERR_JWT_INVALID_OPTION'],
    ["revokeUser('\\ud800') (a lone surrogate)", (g) => g.revokeUser('\ud800'), 'ERR_JWT_INVALID_OPTION'],
    ['revokeUser(42)', (g) => g.revokeUser(42), 'ERR_JWT_INVALID_OPTION'],
    ['revokeUser()', (g) => g.revokeUser(), 'ERR_JWT_INVALID_OPTION'],
    ["revokeUser('a', { before: 'soon' })", (g) => g.revokeUser('a', { before: 'soon' }), 'ERR_JWT_INVALID_OPTION'],
    ['revokeSession(undefined)', (g) => g.revokeSession(undefined), 'ERR_JWT_INVALID_OPTION'],
    ["revokeSession('s', { claim: 'device' })", (g) => g.revokeSession('s', { claim: 'device' }), 'ERR_JWT_INVALID_OPTION'],
    ["markGroup('alice') without groups", (g) => g.markGroup('alice'), 'ERR_JWT_INVALID_OPTION'],
    ['revokeAll({ before: NaN })', (g) => g.revokeAll({ before: NaN }), 'ERR_JWT_INVALID_OPTION'],
    ['refresh(undefined)', (g) => g.refresh(undefined), 'ERR_JWT_MALFORMED'],
    ["refresh('x') with refresh: false", (g, off) => off.refresh('x'), 'ERR_JWT_INVALID_OPTION'],
    ['open({})', () => open({}), 'ERR_JWT_INVALID_OPTION'],
    ['open() with a bad store', () => open({ ...base, store: {} }), 'ERR_JWT_INVALID_OPTION'],
  ])('%s', async (_, call, code) => {
    expect(await rejection(() => call(auth, noRefresh))).toMatchObject({ code })
  })

  test('a closed Guard rejects revocations with ERR_STORE', async () => {
    const g = await open({ ...base, store: stores.memory() })
    await g.close()
    expect(await rejection(() => g.revokeUser('alice'))).toMatchObject({ code: 'ERR_STORE' })
  })
})

describe('one secret rule: at least 32 bytes, named as the caller passed it', () => {
  const short = 'ten-chars!'
  const refused = (name) => expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION', claim: name, message: expect.stringMatching(new RegExp(`^invalid option \`${name.replace('.', '\\.')}\`: an HMAC secret must be at least 32 bytes .*has 10$`)) })

  test.each([
    ['secret', { ...base, secret: short }],
    ['key', { ...base, secret: undefined, key: short }],
    ['signingKey', { ...base, signingKey: short }],
    ['refresh.secret', { ...base, refresh: { secret: short } }],
  ])('open() names `%s`', async (name, options) => {
    expect(await rejection(() => open({ ...options, store: stores.memory() }))).toEqual(refused(name))
  })

  test('Verifier and sign name their own key argument; a Buffer, a KeyObject and an oct JWK count the same', () => {
    expect(() => new Verifier({ algorithms: ['HS256'], secret: short })).toThrow(refused('secret'))
    expect(() => new Verifier({ algorithms: ['HS256'], key: Buffer.from(short) })).toThrow(refused('key'))
    expect(() => new Verifier({ algorithms: ['HS256'], key: { kty: 'oct', k: Buffer.from(short).toString('base64url') } })).toThrow(refused('key'))
    expect(() => sign({ sub: 'a' }, require('node:crypto').createSecretKey(Buffer.from(short)))).toThrow(refused('key'))
    expect(new Verifier({ algorithms: ['HS256'], key: secret }).verify(sign({ sub: 'a' }, secret, { expiresIn: 60 })).sub).toBe('a')
  })

  test('the jsonwebtoken drop-in keeps jsonwebtoken\'s rule (short secrets work)', () => {
    expect(jwt.verify(jwt.sign({ sub: 'a' }, short), short).sub).toBe('a')
  })
})

describe('stores.memory() and the default store under Jest', () => {
  test('two memory stores keep separate tables; a Guard reopened on the same one reloads it', async () => {
    const store = stores.memory()
    const a = await open({ ...base, store })
    const b = await open({ ...base, store: stores.memory() })
    const token = a.sign({ sub: 'alice' })
    await a.revokeUser('alice')
    expect(b.verify(token).sub).toBe('alice')
    await a.close()
    const again = await open({ ...base, store })
    expect(() => again.verify(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED', reason: 'user' }))
    await Promise.all([b.close(), again.close()])
  })

  test('with no store under Jest, each open() gets its own memory table and no file is written', async () => {
    expect(process.env.JEST_WORKER_ID).toBeDefined()
    const cwd = process.cwd()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-default-'))
    process.chdir(dir)
    try {
      const [a, b] = await Promise.all([open(base), open(base)])
      const token = a.sign({ sub: 'alice' })
      await a.revokeUser('alice')
      expect(b.verify(token).sub).toBe('alice')
      expect(fs.readdirSync(dir)).toEqual([])
      await Promise.all([a.close(), b.close()])
    } finally {
      process.chdir(cwd)
    }
  })
})

test('a store that cannot open names where, in the message and as `location`', async () => {
  // A path under a regular file fails even for root (a read-only folder does not).
  const file = path.join(__filename, 'revocations.db')
  const err = await rejection(() => open({ ...base, store: stores.sqlite(file) }))
  expect(err).toMatchObject({ code: 'ERR_STORE', location: expect.stringContaining(file) })
  expect(err.message).toContain(file)
  expect(err.stack).toContain(file)
})

test('with no addon for the platform, require fails once, naming the platform, what was looked for and the two ways out', () => {
  // The loader and lib/ copied without any .node file (and outside node_modules, so no platform package).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-noaddon-'))
  const root = path.join(__dirname, '..')
  fs.mkdirSync(path.join(dir, 'lib'))
  fs.copyFileSync(path.join(root, 'binding.js'), path.join(dir, 'binding.js'))
  for (const f of ['native.js', 'platform.js']) fs.copyFileSync(path.join(root, 'lib', f), path.join(dir, 'lib', f))
  const script = "try { require('./lib/native') } catch (e) { process.stdout.write(JSON.stringify({ code: e.code, target: e.target, message: e.message, cause: !!e.cause })) }"
  const err = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }))
  const t = target()
  expect(err).toMatchObject({ code: 'ERR_REVOCABLE_NATIVE', target: t, cause: true })
  expect(err.message).toContain(`(${t}, Node ${process.version})`)
  expect(err.message).toContain(`revocable-${t}`)
  expect(err.message).toContain(`revocable.${t}.node in ${dir}`)
  expect(err.message).toContain('reinstall with optional dependencies')
  expect(err.message).toContain('REVOCABLE_BUILD_FROM_SOURCE=1 npm rebuild revocable')
})
