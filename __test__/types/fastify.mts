// What a TypeScript user of `revocable/fastify` writes (compiled with --strict by check.js).
import Fastify from 'fastify'
import fastifyJwt from 'revocable/fastify'
import { open, stores } from 'revocable'

export async function main(): Promise<void> {
  const auth = await open({ algorithms: ['HS256'], secret: 'a-secret-of-at-least-32-bytes-long!!', maxTokenLifetime: '1h', store: stores.sqlite(':memory:') })
  const app = Fastify()
  await app.register(fastifyJwt, { guard: auth, authenticate: true, cookie: { cookieName: 'token', signed: false } })
  app.get('/me', { onRequest: [app.authenticate] }, async (request) => ({ sub: request.user.sub }))
  app.post('/login', async (request, reply) => ({ token: await reply.jwtSign({ sub: 'alice' }, { expiresIn: '15m' }) }))
  const token = app.jwt.sign({ sub: 'bob' })
  const claims = app.jwt.verify(token)
  console.log(claims.sub, app.jwt.decode(token))
  // @ts-expect-error: not an option of the plugin
  await app.register(fastifyJwt, { guard: auth, nope: true })
  await app.close()
}
