// Code written for express-jwt 8 (its own types). check.js compiles it as is,
// then with 'express-jwt' replaced by 'revocable/express-jwt'.
import express from 'express'
import { expressjwt, UnauthorizedError, type Request as JWTRequest } from 'express-jwt'

const app = express()
app.use(
  expressjwt({
    secret: 'a-secret-of-at-least-32-bytes-long!!',
    algorithms: ['HS256'],
    credentialsRequired: true,
    getToken: (req) => req.headers['x-token'] as string | undefined,
    isRevoked: async (_req, token) => token?.payload === undefined,
    onExpired: async (_req, err) => { throw err },
  }).unless({ path: ['/health'] }),
)
app.get('/me', (req: JWTRequest, res: express.Response) => {
  res.json({ sub: req.auth?.sub })
})
app.use((err: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (err instanceof UnauthorizedError) res.status(err.status).json({ code: err.code })
  else next(err)
})
