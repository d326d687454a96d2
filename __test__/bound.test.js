'use strict'

// The hot paths call verify and signPayload as functions bound to their native
// objects (src/binding/bound.rs), not as methods: each must answer as the
// method does, keep its object alive, and survive any call a caller could make.
const v8 = require('node:v8')
const vm = require('node:vm')
const { NativeVerifier, NativeGuard, NativeSigner } = require('../lib/native')
const { sign } = require('..')
const { thrown } = require('./helpers')

/** What a call gave: `{ value }` or `{ code, message, claim }` of what it threw. */
function outcome(fn) {
  try {
    return { value: fn() }
  } catch (err) {
    return { code: err.code, message: err.message, claim: err.claim }
  }
}

const secret = 'a-bound-verify-test-secret-of-32-bytes!'
const T0 = 1_800_000_000_000
const good = sign({ sub: 'alice', sid: 's1' }, secret, { expiresIn: 60, clock: () => T0 })
const natives = () => [
  new NativeVerifier({ algorithms: ['HS256'], key: Buffer.from(secret) }),
  new NativeGuard({ algorithms: ['HS256'], key: Buffer.from(secret) }, { tableId: `bound-${process.pid}`, maxTokenLifetime: '1h' }),
]

function collectGarbage() {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc')
}

test('the bound function answers every token as the verify method does', () => {
  const [h, p, s] = good.split('.')
  const tokens = [good, `${h}.${p}.${s.slice(0, -2)}AA`, `${h}.${p}`, 'x'.repeat(20_000), '', 'a.b.c', `${h}.${p}.${s}\u00e9`]
  for (const native of natives()) {
    const bound = native.boundVerify()
    for (const token of tokens) expect(outcome(() => bound(token, T0))).toEqual(outcome(() => native.verify(token, T0)))
    expect(thrown(() => bound(good, T0 + 3_600_000))).toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'exp' })
  }
})

test('any call, with any this and any arguments, returns or throws without harm', () => {
  for (const native of natives()) {
    const bound = native.boundVerify()
    const other = natives()[0]
    expect(JSON.parse(bound.call(other, good, T0)).sub).toBe('alice') // `this` plays no part
    expect(JSON.parse(bound.call(undefined, good, T0, 'extra')).sub).toBe('alice')
    for (const args of [[], [good], [42, T0], [null, T0], [{}, T0], [good, 'soon'], [good, NaN], [Symbol('t'), T0]]) {
      expect(thrown(() => bound(...args))).toBeDefined()
    }
    // The function holds its verifier in a property nobody can remove or replace.
    expect(() => { delete bound.owner }).toThrow(TypeError)
    expect(() => Object.defineProperty(bound, 'owner', { value: null })).toThrow(TypeError)
    expect(Object.keys(bound)).toEqual([])
  }
})

test('the bound signPayload signs as the method does, and survives any call', () => {
  const signer = new NativeSigner('HS256', Buffer.from(secret))
  const bound = signer.boundSignPayload()
  for (const payload of ['{"sub":"alice"}', '{}', '{"name":"名前 😀"}', `{"long":"${'x'.repeat(5000)}"}`]) {
    expect(outcome(() => bound(payload))).toEqual(outcome(() => signer.signPayload(payload)))
  }
  expect(bound.call(null, '{}', 'ignored')).toBe(signer.signPayload('{}'))
  for (const args of [[], [42], [null], [{}], [Symbol('p')]]) expect(thrown(() => bound(...args))).toBeDefined()
  expect(() => { delete bound.owner }).toThrow(TypeError)
})

test('a bound function keeps its native object alive after every other reference is gone', async () => {
  const gc = collectGarbage()
  let bound = natives().map((n) => n.boundVerify())
  let signPayload = new NativeSigner('HS256', Buffer.from(secret)).boundSignPayload()
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise(setImmediate) // finalizers of collected objects run after the collection
  }
  for (const f of bound) expect(JSON.parse(f(good, T0)).sub).toBe('alice')
  expect(signPayload('{"sub":"alice"}').split('.')).toHaveLength(3)
  bound = signPayload = null
})

/** An HS256 token of exactly `length` characters (an `x`-padded claim), signed with `secret`. */
function tokenOfLength(length) {
  const make = (pad) => sign({ sub: 'alice', p: 'x'.repeat(pad) }, secret, { expiresIn: 60, clock: () => T0 })
  let [lo, hi] = [0, length]
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (make(mid).length < length) lo = mid + 1
    else hi = mid
  }
  const token = make(lo)
  return token.length === length ? token : null // base64url steps by 4 chars per 3 bytes: some lengths have no token
}

test('tokens at and around the copy buffers\' sizes (1024 units inline) and the copy limit (2^20) verify as the method does', () => {
  const verifier = new NativeVerifier({ algorithms: ['HS256'], key: Buffer.from(secret), maxTokenBytes: 1 << 20 })
  const bound = verifier.boundVerify()
  let tried = 0
  for (const target of [1022, 1023, 1024, 1025, 1026, 2047, 2048, 2049, (1 << 20) - 2, (1 << 20) - 1, 1 << 20]) {
    const token = tokenOfLength(target) ?? tokenOfLength(target + 1)
    if (token === null) continue
    tried++
    const got = outcome(() => bound(token, T0))
    expect(got).toEqual(outcome(() => verifier.verify(token, T0)))
    expect(typeof got.value).toBe('string')
  }
  expect(tried).toBeGreaterThan(6)
})

// A token longer than 2^20 characters is never copied across the boundary, so
// no verifier may allow one: maxTokenBytes over that is refused when the
// verifier is built, and the limit itself still works.
test('maxTokenBytes is at most 2^20: over it the verifier is refused, at it a longer token is refused as too large', () => {
  expect(() => new NativeVerifier({ algorithms: ['HS256'], key: Buffer.from(secret), maxTokenBytes: (1 << 20) + 1 }))
    .toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION', claim: 'maxTokenBytes' }))
  const verifier = new NativeVerifier({ algorithms: ['HS256'], key: Buffer.from(secret), maxTokenBytes: 1 << 20 })
  const token = tokenOfLength((1 << 20) + 2) ?? tokenOfLength((1 << 20) + 3)
  expect(outcome(() => verifier.boundVerify()(token, T0))).toMatchObject({ code: 'ERR_JWT_TOO_LARGE' })
  expect(outcome(() => verifier.boundVerify()(token, T0)).message).toMatch(/1048576/)
})
