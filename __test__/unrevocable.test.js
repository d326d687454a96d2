'use strict'

// A Guard accepts only tokens it could revoke one by one: a sub, jti (with
// iss) or session claim whose record key no store can hold (over 2,048 bytes
// of UTF-8, or a sub holding U+0000) would make a token nothing but revokeAll
// can end. Such a token is refused at every door a Guard has (lib/claim-keys.js);
// a Verifier, which revokes nothing, accepts it as jose and jsonwebtoken do.
const revocable = require('..')
const { memoryStore } = require('./memory-store')
const { thrown } = require('./helpers')

const secret = 'an-unrevocable-test-secret-of-32-bytes'
const T0 = 1_800_000_000_000
const signAt = (claims) => revocable.sign(claims, secret, { expiresIn: '10m', clock: () => T0 - 1000 })
const failure = (fn) => { const e = thrown(fn); return `${e.code}:${e.claim ?? e.reason}` }

let auth
beforeEach(async () => {
  auth = await revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: memoryStore(), clock: () => T0, sessionClaims: ['sid', 'did'] })
})
afterEach(() => auth.close())

const LONGEST_SUB = 'é'.repeat(1024) // 2,048 bytes of UTF-8: the longest key a record holds

test.each([
  ['a sub over 2,048 bytes of UTF-8', { sub: `${LONGEST_SUB}e` }, 'sub'],
  ['a sub holding U+0000', { sub: 'alice\u0000' }, 'sub'],
  ['a jti over 1,024 characters', { sub: 'u', jti: 'j'.repeat(1025) }, 'jti'],
  ['an iss over 1,024 characters', { sub: 'u', iss: 'i'.repeat(1025) }, 'iss'],
  ['an (iss, jti) over 2,048 bytes together', { sub: 'u', iss: 'é'.repeat(600), jti: 'é'.repeat(600) }, 'jti'],
  ['a session claim over 2,048 bytes', { sub: 'u', did: 'd'.repeat(2040) }, 'did'],
])('%s: refused at verify with ERR_JWT_CLAIM, every time, cached or complete', (_, claims, claim) => {
  const token = signAt(claims)
  for (let i = 0; i < 3; i++) expect(failure(() => auth.verify(token))).toBe(`ERR_JWT_CLAIM:${claim}`)
  expect(failure(() => auth.verify(token, { complete: true }))).toBe(`ERR_JWT_CLAIM:${claim}`)
  expect(auth.authenticate({ token }).error.code).toBe('ERR_JWT_CLAIM')
  // Claims another library verified: undecidable, so refused.
  expect(auth.isRevoked(revocable.decode(token))).toBe('claims')
  // A Verifier revokes nothing: it accepts any size.
  const verifier = new revocable.Verifier({ algorithms: ['HS256'], key: secret, clock: () => T0 })
  expect(verifier.verify(token).sub).toBe(claims.sub)
})

test('the longest values a record holds still verify, and are revoked one by one', async () => {
  const token = signAt({ sub: LONGEST_SUB, jti: 'j'.repeat(1024), did: 'd'.repeat(2030) })
  expect(auth.verify(token).sub).toBe(LONGEST_SUB)
  await auth.revokeToken(token)
  expect(failure(() => auth.verify(token))).toBe('ERR_JWT_REVOKED:token')
  const other = signAt({ sub: LONGEST_SUB, did: 'd'.repeat(2030) })
  await auth.revokeSession('d'.repeat(2030), { claim: 'did' })
  expect(failure(() => auth.verify(other))).toBe('ERR_JWT_REVOKED:session')
  await auth.revokeUser(LONGEST_SUB)
  expect(failure(() => auth.verify(signAt({ sub: LONGEST_SUB })))).toBe('ERR_JWT_REVOKED:user')
})

test('a refresh family no ban could reach is not issued, and does not refresh', async () => {
  await expect(async () => auth.issue(`${LONGEST_SUB}e`)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'sub' })
  expect(failure(() => auth.sign({ sub: 'u', did: 'd'.repeat(2040) }))).toBe('ERR_JWT_CLAIM:did')
  expect(failure(() => auth.sign({ sub: 'u' }, { jwtid: 'j'.repeat(1025) }))).toBe('ERR_JWT_CLAIM:jti')
  // A refresh token signed with the Guard's refresh key elsewhere (an older version, a hand-rolled issuer).
  const { refreshKey } = require('../lib/lifecycle/key')
  const forged = revocable.sign({ sub: 'bob', sid: 's'.repeat(2040), rfam: 'family-1' }, refreshKey(secret), {
    expiresIn: '1h', header: { typ: 'rt+jwt' }, clock: () => T0 - 1000,
  })
  await expect(auth.refresh(forged)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'sid' })
  // No session claim to revoke a family by: refresh tokens are off, with a coded error rather than a crash.
  const sessionless = await revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: memoryStore(), clock: () => T0, sessionClaims: [] })
  await expect(async () => sessionless.issue('bob')).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_OPTION', message: expect.stringContaining('sessionClaims: []') })
  await sessionless.close()
  const fine = await auth.issue(LONGEST_SUB)
  expect((await auth.refresh(fine.refreshToken)).session).toBe(fine.session)
})

test('the group slow path does not pass a token no revocation could name', async () => {
  const grouped = await revocable.open({
    algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: memoryStore(), clock: () => T0,
    groups: { count: 16, check: async () => true },
  })
  const sub = `${LONGEST_SUB}e`
  const token = signAt({ sub })
  await grouped.markGroup(sub) // the token is older than its group's mark: the slow path decides
  await expect(grouped.recheck(token)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'sub' })
  const fine = signAt({ sub: LONGEST_SUB })
  await grouped.markGroup(LONGEST_SUB)
  expect((await grouped.recheck(fine)).claims.sub).toBe(LONGEST_SUB)
  await grouped.close()
})
