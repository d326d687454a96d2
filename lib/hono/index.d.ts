// Types of `revocable/hono`: hono/jwt's middleware, verified by revocable.
import type { MiddlewareHandler } from 'hono'
import type { Algorithm, Guard, Verifier, JwtPayload, RotateOptions } from '../../index.js'

export interface JwtOptions {
  /** A Guard: revocation is checked in the same native call. */
  guard?: Guard
  /** Any object with a synchronous verify(token). */
  verifier?: Pick<Verifier, 'verify'>
  /** hono/jwt's key and algorithm, when neither guard nor verifier is given. */
  secret?: string | Buffer
  alg?: Algorithm
  verification?: { iss?: string | string[]; aud?: string | string[] }
  /** Header carrying `Bearer <token>`. Default 'Authorization'. */
  headerName?: string
  /** Read the token from this cookie instead of the header. */
  cookie?: string
  /** Default true; false lets a request without a token through, without jwtPayload. */
  credentialsRequired?: boolean
  /** The 401 body carries the error's own message. Default false. */
  debug?: boolean
  /** Rotation every N uses (Guard only): a fresh token in a response header. */
  rotate?: RotateOptions
}

/** As hono/jwt's JwtVariables: `new Hono<{ Variables: JwtVariables }>()` types c.get('jwtPayload'). */
export type JwtVariables<P = JwtPayload> = { jwtPayload: P }

/** Sets c.get('jwtPayload'); a failure throws an HTTPException(401) whose response has a WWW-Authenticate challenge. */
export function jwt(options: JwtOptions): MiddlewareHandler<{ Variables: { jwtPayload: JwtPayload } }>
