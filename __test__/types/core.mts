// What a TypeScript user of `revocable` writes, compiled with --strict (check.js).
import revocable, { open, stores, sign, Verifier, JwtError, JwtRevokedError } from 'revocable'
import type { ErrorCode, JwtErrorCode, RevocationRecord, Store, AuthenticatedRequest } from 'revocable'
import express from 'express'

const secret = 'a-secret-of-at-least-32-bytes-long!!'

export async function main(): Promise<void> {
  const auth = await open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: stores.sqlite(':memory:') })
  const token = auth.sign({ sub: 'alice' })
  // verify()'s result goes straight back in (jti is optional in JwtPayload).
  await auth.revokeToken(auth.verify(token))
  await auth.revokeUser('alice', { before: new Date() })
  await auth.revokeSession('s1', { claim: 'sid' })
  try {
    auth.verify(token)
  } catch (err) {
    if (err instanceof JwtError && err.code === 'ERR_JWT_REVOKED') console.log(err.claim)
    if (err instanceof JwtRevokedError) {
      const reason: 'user' | 'token' | 'session' | 'global' | 'not_allowed' | 'group' | 'reuse' = err.reason
      console.log(reason)
    }
    const e = err as JwtError
    // @ts-expect-error: not a code revocable produces
    if (e.code === 'ERR_JWT_NOPE') console.log('never')
  }

  // The authentication core, and isRevoked for another library's claims.
  const outcome = await auth.authenticate({ authorization: `Bearer ${token}` })
  if (outcome.error) console.log(outcome.error.code, outcome.error.headers['WWW-Authenticate'])
  else console.log(outcome.claims?.sub, outcome.headers?.[0]?.[1])
  const reason = auth.isRevoked({ sub: 'alice', iat: 1, exp: 2 })
  if (reason !== false) {
    // @ts-expect-error: not a reason isRevoked gives
    if (reason === 'nope') console.log('never')
  }

  const app = express()
  app.use(auth.express())
  app.get('/me', (req, res) => { res.json({ sub: req.auth?.sub }) })
  app.get('/me2', (req, res) => { res.json({ sub: (req as AuthenticatedRequest).auth.sub }) })
  app.use((err: { code?: ErrorCode }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (err.code === 'ERR_JWT_MISSING' || err.code === 'ERR_STORE') res.sendStatus(401)
  })

  const kinds: Array<RevocationRecord['kind']> = ['user', 'session', 'token', 'allow', 'global', 'group']
  const codes: JwtErrorCode[] = ['ERR_JWT_REVOKED', 'ERR_JWT_EXPIRED']
  const more: Store[] = [
    stores.postgres({ pool: {}, table: 'revocations' }),
    stores.redis({ client: {}, prefix: 'app' }),
    revocable.stores.sqlite('revocations.db', { syncInterval: 0 }),
    stores.memory(),
  ]
  console.log(kinds, codes, more.length)

  const verifier = new Verifier({ algorithms: ['HS256'], key: secret })
  const claims = verifier.verify<{ sub: string; role: string }>(sign({ sub: 'bob', role: 'admin' }, secret, { expiresIn: '15m' }))
  const role: string = claims.role
  console.log(role, revocable.decode(token).sub)
  await auth.close()
}
