// What a TypeScript user of `revocable/hono` writes (compiled with --strict by check.js).
import { Hono } from 'hono'
import { jwt, type JwtVariables } from 'revocable/hono'
import { open, stores } from 'revocable'

export async function main(): Promise<void> {
  const auth = await open({ algorithms: ['HS256'], secret: 'a-secret-of-at-least-32-bytes-long!!', maxTokenLifetime: '1h', store: stores.sqlite(':memory:') })
  const app = new Hono<{ Variables: JwtVariables }>()
  app.use('/api/*', jwt({ guard: auth, cookie: 'access' }))
  app.get('/api/me', (c) => c.json({ sub: c.get('jwtPayload').sub }))
  app.use('/legacy/*', jwt({ secret: 'x', alg: 'HS256' }))
  // @ts-expect-error: not an option
  jwt({ guard: auth, nope: 1 })
  await auth.close()
}
