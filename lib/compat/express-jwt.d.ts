/// <reference types="node" />
import type { KeyObject } from 'node:crypto'
import type * as express from 'express'
import type { Algorithm, Guard, JwtHeader, JwtPayload } from '../../index'

export type { JwtPayload }

/** A key as jsonwebtoken takes it. */
export type Secret = string | Buffer | KeyObject | { key: string | Buffer; passphrase: string }

/** A decoded token, as `jsonwebtoken.decode(token, { complete: true })` returns it. */
export interface Jwt {
  header: JwtHeader
  payload: JwtPayload | string
  signature: string
}

/** A function that defines how to retrieve the verification key given the express request and the JWT. */
export type GetVerificationKey = (req: express.Request, token: Jwt | undefined) => Secret | undefined | Promise<Secret | undefined>
/** @deprecated use GetVerificationKey */
export type SecretCallback = GetVerificationKey
/** @deprecated use GetVerificationKey */
export type SecretCallbackLong = GetVerificationKey

/** A function to check if a token is revoked. */
export type IsRevoked = (req: express.Request, token: Jwt | undefined) => boolean | Promise<boolean>
/** A function to handle expired tokens: throw to refuse, return to accept (not with `guard`). */
export type ExpirationHandler = (req: express.Request, err: UnauthorizedError) => void | Promise<void>
/** A function to customize how a token is retrieved from the express request. */
export type TokenGetter = (req: express.Request) => string | Promise<string> | undefined

/** jsonwebtoken.verify's options, passed through as express-jwt does. */
export interface VerifyOptions {
  audience?: string | RegExp | Array<string | RegExp>
  issuer?: string | string[]
  subject?: string
  jwtid?: string
  clockTolerance?: number
  clockTimestamp?: number
  maxAge?: string | number
  ignoreExpiration?: boolean
  ignoreNotBefore?: boolean
  nonce?: string
  allowInvalidAsymmetricKeyTypes?: boolean
}

interface CommonParams {
  /** Defines how to retrieve the token from the request object. Default: `Authorization: Bearer <token>`. */
  getToken?: TokenGetter
  /** Defines how to verify if a token is revoked (after it verified). */
  isRevoked?: IsRevoked
  /** If set to false, continue to the next middleware when the request has no token. @default true */
  credentialsRequired?: boolean
  /** Where the decoded payload is set on the request; a dotted path such as 'user.auth' works. @default 'auth' */
  requestProperty?: string
  /** Handle expired tokens. */
  onExpired?: ExpirationHandler
}

/** express-jwt 8.5.1's options: a key (or key function) and the algorithms, plus jsonwebtoken.verify's options. */
export type SecretParams = CommonParams & VerifyOptions & {
  /** The key, or a function `(req, decodedToken)` returning it. */
  secret: Secret | GetVerificationKey
  /** List of JWT algorithms allowed. */
  algorithms: Algorithm[]
  guard?: undefined
}

/**
 * revocable's addition: a Guard verifies the token and checks revocation in one
 * native call. The key, algorithms and claim checks are the Guard's own;
 * `secret` and the jsonwebtoken.verify options are refused next to it.
 */
export type GuardParams = CommonParams & {
  guard: Guard
  /** Optional: narrows the Guard's own algorithms. */
  algorithms?: Algorithm[]
  secret?: undefined
}

export type Params = SecretParams | GuardParams

type ErrorCode = 'credentials_bad_scheme' | 'credentials_bad_format' | 'credentials_required' | 'invalid_token' | 'revoked_token'
export type ErrorLike = Error | { message: string }

export declare class UnauthorizedError extends Error {
  readonly status: number
  readonly inner: ErrorLike
  readonly code: string
  constructor(code: ErrorCode, error: ErrorLike)
}

/** @deprecated this breaks tsc when using strict: true */
export type ExpressJwtRequest<T = JwtPayload> = express.Request & { auth: T }
/** @deprecated use Request<T> */
export type ExpressJwtRequestUnrequired<T = JwtPayload> = express.Request & { auth?: T }
/** The Express Request including the "auth" property with the decoded JWT payload. */
export type Request<T = JwtPayload> = express.Request & { auth?: T }

export interface UnlessOptions {
  custom?: (req: express.Request) => boolean | Promise<boolean>
  path?: string | RegExp | { url: string | RegExp; method?: string; methods?: string | string[] } | Array<string | RegExp | { url: string | RegExp; method?: string; methods?: string | string[] }>
  ext?: string | string[]
  method?: string | string[]
  useOriginalUrl?: boolean
}

export interface Middleware {
  (req: express.Request, res: express.Response, next: express.NextFunction): Promise<void>
  /** express-unless: a middleware that skips this one for matching requests. */
  unless(options: UnlessOptions | ((req: express.Request) => boolean | Promise<boolean>)): Middleware
}

/** Returns an express middleware to verify JWTs. Throws RangeError on missing or conflicting options. */
export declare const expressjwt: (options: Params) => Middleware
