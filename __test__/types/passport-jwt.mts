// What a TypeScript user of `revocable/passport-jwt` writes (compiled with --strict by check.js).
import passport from 'passport'
import { Strategy, ExtractJwt } from 'revocable/passport-jwt'
import { open, stores } from 'revocable'

export async function main(): Promise<void> {
  const auth = await open({ algorithms: ['HS256'], secret: 'a-secret-of-at-least-32-bytes-long!!', maxTokenLifetime: '1h', store: stores.sqlite(':memory:') })
  passport.use(new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), guard: auth }, (payload, done) => done(null, { id: payload.sub })))
  passport.use('legacy', new Strategy({
    jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromUrlQueryParameter('t'), ExtractJwt.fromHeader('x-token')]),
    secretOrKey: 'x', passReqToCallback: true,
  }, (req, payload, done) => done(null, payload)))
  await auth.close()
}
