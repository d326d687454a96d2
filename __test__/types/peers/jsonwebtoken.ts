// Code written for jsonwebtoken and @types/jsonwebtoken. check.js compiles it
// as is, then with 'jsonwebtoken' replaced by 'revocable/jsonwebtoken'.
import jwt, { JsonWebTokenError, TokenExpiredError, type JwtPayload, type SignOptions } from 'jsonwebtoken'

const secret = 'a-secret-of-at-least-32-bytes-long!!'
const options: SignOptions = { algorithm: 'HS256', expiresIn: '1h', issuer: 'api', audience: 'web' }
const token: string = jwt.sign({ sub: 'alice', role: 'user' }, secret, options)

export function check(t: string): string | undefined {
  try {
    const payload = jwt.verify(t, secret, { algorithms: ['HS256'], issuer: 'api' }) as JwtPayload
    const complete = jwt.verify(t, secret, { complete: true })
    console.log(complete.header.alg, payload.exp)
    return payload.sub
  } catch (err) {
    if (err instanceof TokenExpiredError) console.log(err.expiredAt.getTime())
    else if (err instanceof JsonWebTokenError) console.log(err.message)
    return undefined
  }
}

jwt.verify(token, secret, (err, decoded) => {
  if (!err && decoded && typeof decoded !== 'string') console.log(decoded.sub)
})
jwt.sign({ sub: 'bob' }, secret, { expiresIn: 60 }, (err, encoded) => console.log(err, encoded))
const decoded = jwt.decode(token, { complete: true })
console.log(decoded?.header.kid, check(token))
