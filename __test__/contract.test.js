'use strict'

// The constants lib/ shares with the core come from the addon
// (src/binding/contract.rs through lib/contract.js). These tests fail if the
// core stops behaving as the exported values say, or if lib/ stops using them.
const util = require('node:util')
const { NativeGuard, NativeVerifier, NativeSigner, decodeToken, durationSeconds } = require('../binding')
const contract = require('../lib/contract')
const { tokenRecord } = require('../lib/records')
const { groupsConfig } = require('../lib/lifecycle/groups')
const { open, Verifier, sign } = require('..')
const { memoryStore } = require('./memory-store')
const { NOW, nowS, craft, claims, keys, thrown } = require('./helpers')

const secret = keys.secret
const tok = (payload) => craft({ alg: 'HS256' }, payload, secret)
const check = () => true
// A token the Guards below (maxTokenLifetime 3600) accept.
const fresh = (extra) => claims({ exp: nowS + 3000, ...extra })

test('the contract is frozen and complete', () => {
  expect(Object.isFrozen(contract)).toBe(true)
  expect(Object.keys(contract).sort()).toEqual(['claimNames', 'groups', 'iatSkewMs', 'recordKinds', 'scratchFirstGroup',
    'scratchLen', 'scratchMaxGroups', 'scratchTokenHash', 'shapeLen', 'shapeTypes'])
  for (const inner of ['claimNames', 'shapeTypes']) expect(Object.isFrozen(contract[inner])).toBe(true)
  expect(Object.isFrozen(contract.recordKinds)).toBe(true)
  // Every kind crosses in bulk, each under a number of its own (0 means "left to JS").
  expect(Object.keys(contract.recordKinds).sort()).toEqual(['allow', 'global', 'group', 'session', 'token', 'user'])
  expect(new Set(Object.values(contract.recordKinds)).size).toBe(6)
  expect(Object.values(contract.recordKinds)).not.toContain(0)
})

describe('iatSkewMs', () => {
  test('is how far iat may run ahead of now beyond clockTolerance', () => {
    const v = new Verifier({ algorithms: ['HS256'], key: secret, clock: () => NOW, clockTolerance: 10 })
    const edge = nowS + 10 + contract.iatSkewMs / 1000
    expect(v.verify(tok(claims({ iat: edge, exp: edge + 60 }))).sub).toBe('u1')
    const err = thrown(() => v.verify(tok(claims({ iat: edge + 0.001, exp: edge + 60 }))))
    expect([err.code, err.claim]).toEqual(['ERR_JWT_CLAIM', 'iat'])
  })

  test("bounds a revoked token's entry at the latest exp a token the Guard accepts can carry", async () => {
    const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: 3600, clockTolerance: 10, clock: () => NOW, store: memoryStore() })
    try {
      const iat = nowS + 10 + contract.iatSkewMs / 1000
      const latest = { sub: 'u1', jti: 'j', iat, exp: iat + 3600 }
      expect(g.verify(tok(latest)).sub).toBe('u1')
      expect(thrown(() => g.verify(tok({ ...latest, exp: latest.exp + 0.001 }))).code).toBe('ERR_JWT_CLAIM')
      const record = tokenRecord({ ...latest, exp: latest.exp + 86400 }, { nowMs: NOW, lifetimeMs: 3600_000, toleranceMs: 10_000 })
      expect(record.at).toBe(latest.exp * 1000)
    } finally {
      await g.close()
    }
  })
})

describe('groups and the shared views', () => {
  const guardOf = (tableId) => new NativeGuard({ algorithms: ['HS256'], key: Buffer.from(secret) }, { tableId, maxTokenLifetime: 3600 })

  test('groups.count goes up to the exported number of groups, and the epochs view has one more cell', () => {
    expect(groupsConfig({ count: contract.groups, check }).count).toBe(contract.groups)
    expect(thrown(() => groupsConfig({ count: contract.groups * 2, check })).claim).toBe('groups.count')
    expect(guardOf('contract-epochs').epochs().length).toBe(contract.groups + 1)
  })

  test('the scratch view holds the window, the (group, epoch) pairs and the token hash where the contract says', () => {
    const native = guardOf('contract-scratch')
    const epochs = native.epochs()
    const s = native.scratch()
    expect(s.length).toBe(contract.scratchLen)
    expect(contract.scratchTokenHash).toBe(contract.scratchFirstGroup + 2 * contract.scratchMaxGroups)
    const token = tok(fresh({ jti: 'j1', sid: 's1' }))
    native.verify(token, NOW)
    expect(s[0]).toBeLessThanOrEqual(NOW)
    expect(s[1]).toBe((nowS + 3000) * 1000)
    const pairs = s[2]
    expect(pairs).toBeGreaterThan(0)
    expect(pairs).toBeLessThanOrEqual(contract.scratchMaxGroups)
    const at = (i) => [s[contract.scratchFirstGroup + 2 * i], s[contract.scratchFirstGroup + 2 * i + 1]]
    for (let i = 0; i < pairs; i++) expect(Atomics.load(epochs, at(i)[0])).toBe(at(i)[1])
    expect(s[contract.scratchTokenHash]).not.toBe(0)
    // A revocation of the token's user moves one of the recorded epochs.
    native.revokeUser('u1', NOW)
    expect(Array.from({ length: pairs }, (_, i) => Atomics.load(epochs, at(i)[0]) === at(i)[1])).toContain(false)
  })

  test('revokeToken takes its exp in milliseconds, like every time crossing the binding', () => {
    const native = guardOf('contract-units')
    const token = tok(fresh({ jti: 'j2' }))
    native.revokeToken('', 'j2', NOW + 1000)
    expect(thrown(() => native.verify(token, NOW)).message).toContain('revoked')
    // The entry lasts until that exp (kept in whole seconds): pruned within
    // the second after it, not a thousand times later.
    expect(native.prune(NOW + 1999)).toBe(0)
    expect(native.prune(NOW + 2000)).toBe(1)
    expect(native.stats().tokens).toBe(0)
  })
})

// A native error's detail crosses as properties set in Rust (src/binding/error.rs):
// `code`, a clean `message`, and `claim` or (a revoked token) `reason`. lib/errors.js
// reads them and keeps the native error as `cause`. Nothing is packed into a message.
describe('native errors carry their detail as properties', () => {
  const key = Buffer.from(secret)
  const verifier = new NativeVerifier({ algorithms: ['HS256'], key, audience: ['a'] })
  const guard = new NativeGuard({ algorithms: ['HS256'], key }, { tableId: 'contract-errors', maxTokenLifetime: 3600 })
  guard.revokeUser('gone', NOW)
  const bigToken = 'a'.repeat(2 ** 21) // past the binding's copy limit: refused before it is read

  const expectDetail = (err, { code, claim, reason }) => {
    expect({ code: err.code, claim: err.claim, reason: err.reason }).toEqual({ code, claim, reason })
    expect(typeof err.message).toBe('string')
    expect(err.message.length).toBeGreaterThan(0)
    expect([...err.message].filter((c) => c < ' ')).toEqual([]) // no separator, no packed detail
  }

  test.each([
    ['verify: a claim', () => verifier.verify(tok(claims({ aud: 'b' })), NOW), { code: 'ERR_JWT_CLAIM', claim: 'aud' }],
    ['verify: malformed', () => verifier.verify('a.b.c', NOW), { code: 'ERR_JWT_MALFORMED' }],
    ['verify: too large to read', () => verifier.verify(bigToken, NOW), { code: 'ERR_JWT_TOO_LARGE' }],
    ['verifyComplete: expired', () => verifier.verifyComplete(tok(claims({ aud: 'a', exp: nowS - 60 })), NOW), { code: 'ERR_JWT_EXPIRED', claim: 'exp' }],
    ['verifier option', () => new NativeVerifier({ algorithms: ['nope'], key }), { code: 'ERR_JWT_INVALID_OPTION', claim: 'algorithms' }],
    ['key parsing: a PEM that is not one', () => new NativeVerifier({ algorithms: ['RS256'], key: Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n') }), { code: 'ERR_JWT_KEY' }],
    ['key parsing: setKeys with no usable key', () => verifier.setKeys('{"keys":[]}'), { code: 'ERR_JWT_INVALID_OPTION', claim: 'key' }],
    ['guard: revoked', () => guard.verify(tok(fresh({ sub: 'gone' })), NOW), { code: 'ERR_JWT_REVOKED', reason: 'user' }],
    ['guard: verifyComplete, a claim', () => guard.verifyComplete(tok(claims({ iat: nowS + 3600 })), NOW), { code: 'ERR_JWT_CLAIM', claim: 'iat' }],
    ['guard: verifyPastGroup, too large', () => guard.verifyPastGroup(bigToken, NOW), { code: 'ERR_JWT_TOO_LARGE' }],
    ['guard: verifyUntimed, signature', () => guard.verifyUntimed(tok(claims()).slice(0, -2) + 'AA'), { code: 'ERR_JWT_SIGNATURE' }],
    ['guard: checkClaims, a claim', () => guard.checkClaims('{"sub":1}'), { code: 'ERR_JWT_CLAIM', claim: 'sub' }],
    ['guard option', () => new NativeGuard({ algorithms: ['HS256'], key }, { tableId: 'contract-errors', maxTokenLifetime: -1 }), { code: 'ERR_JWT_INVALID_OPTION', claim: 'maxTokenLifetime' }],
    ['sign: an algorithm', () => new NativeSigner('none', key), { code: 'ERR_JWT_INVALID_OPTION', claim: 'algorithm' }],
    ['sign: a key', () => new NativeSigner('HS256', Buffer.alloc(0)), { code: 'ERR_JWT_KEY' }],
    ['decode', () => decodeToken('x'), { code: 'ERR_JWT_MALFORMED' }],
    ['a duration', () => durationSeconds('maxAge', 'soon'), { code: 'ERR_JWT_INVALID_OPTION', claim: 'maxAge' }],
  ])('%s', (_, fn, detail) => expectDetail(thrown(fn), detail))

  test.each([
    ['a claim failure', () => new Verifier({ algorithms: ['HS256'], key: secret, clock: () => NOW, audience: 'a' }).verify(tok(claims({ aud: 'b' }))), { code: 'ERR_JWT_CLAIM', claim: 'aud' }],
    ['an invalid option', () => new Verifier({ algorithms: ['nope'], key: secret }), { code: 'ERR_JWT_INVALID_OPTION', claim: 'algorithms' }],
    ['a signing key', () => sign({ sub: 'u1' }, secret, { algorithm: 'ES256' }), { code: 'ERR_JWT_KEY' }],
  ])('wrapped, %s: the JwtError has the native detail and keeps the native error as cause', (_, fn, detail) => {
    const err = thrown(fn)
    expectDetail(err, detail)
    expectDetail(err.cause, detail)
    expect(err.message).toBe(err.cause.message)
    expect(util.inspect(err)).not.toContain('\u001f')
  })

  test('wrapped, a revoked token: the reason is a property of the error and of its native cause', async () => {
    const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: 3600, clock: () => NOW, store: memoryStore() })
    try {
      await g.revokeUser('u1')
      const err = thrown(() => g.verify(tok(fresh())))
      expectDetail(err, { code: 'ERR_JWT_REVOKED', reason: 'user' })
      expectDetail(err.cause, { code: 'ERR_JWT_REVOKED', reason: 'user' })
    } finally {
      await g.close()
    }
  })
})
