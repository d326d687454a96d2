// Types of `revocable/fastify`: @fastify/jwt's decorators, backed by revocable.
import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify'
import type { Guard, Verifier, JwtPayload, Algorithm, Duration, RotateOptions } from '../../index.js'

declare module 'fastify' {
  interface FastifyInstance {
    jwt: fastifyJwt.JwtDecorator
    /** With `authenticate: true`: an onRequest hook that verifies the request (401 + WWW-Authenticate otherwise). */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>
  }
  interface FastifyReply {
    jwtSign: fastifyJwt.JwtSignFunction
  }
  interface FastifyRequest {
    jwtVerify: fastifyJwt.JwtVerifyFunction
    jwtDecode: fastifyJwt.JwtDecodeFunction
    user: fastifyJwt.UserType
  }
}

type Callback<T> = (err: Error | null, result?: T) => void

declare namespace fastifyJwt {
  /** Augment it (`declare module 'revocable/fastify' { interface FastifyJWT { payload: …; user: … } }`) as with @fastify/jwt. */
  interface FastifyJWT {}
  type SignPayloadType = FastifyJWT extends { payload: infer T } ? T extends Record<string, unknown> ? T : Record<string, unknown> : Record<string, unknown>
  type UserType = FastifyJWT extends { user: infer T } ? T : JwtPayload

  /** fast-jwt's signer option names, mapped onto revocable's sign(). */
  interface SignOptions {
    algorithm?: Algorithm
    /** Seconds or a duration string. */
    expiresIn?: Duration
    notBefore?: Duration
    iss?: string
    aud?: string | string[]
    sub?: string
    jti?: string
    kid?: string
    header?: Record<string, unknown>
    key?: string | Buffer
  }
  /** fast-jwt's verifier option names, mapped onto a revocable Verifier (secret-backed registrations only). */
  interface VerifyOptions {
    algorithms?: Algorithm[]
    allowedIss?: string | string[]
    allowedAud?: string | string[]
    allowedSub?: string | string[]
    allowedJti?: string | string[]
    requiredClaims?: string[]
    maxAge?: Duration
    /** Milliseconds, as in fast-jwt. */
    clockTolerance?: number
    /** Accepted and ignored: revocable has its own result cache. */
    cache?: boolean | number
    cacheTTL?: number
    errorCacheTTL?: number
    /** Per call: where the token is, and whether to return { header, payload, signature }. */
    extractToken?: (request: FastifyRequest) => string | void
    onlyCookie?: boolean
    complete?: boolean
  }
  interface DecodeOptions { complete?: boolean }

  interface FastifyJWTOptions {
    /** A Guard: tokens are verified and checked for revocation in one native call, and signed by the Guard. */
    guard?: Guard
    /** Any object with a synchronous verify(token) (a revocable Verifier). */
    verifier?: Pick<Verifier, 'verify'>
    secret?: string | Buffer | { private?: string | Buffer; public: string | Buffer }
    sign?: SignOptions
    verify?: VerifyOptions
    decode?: DecodeOptions
    cookie?: { cookieName: string; signed: boolean }
    formatUser?: (payload: any) => UserType
    trusted?: (request: FastifyRequest, decoded: any) => boolean | Promise<boolean>
    decoratorName?: string
    namespace?: string
    jwtVerify?: string
    jwtDecode?: string
    jwtSign?: string
    messages?: {
      badRequestErrorMessage?: string
      badCookieRequestErrorMessage?: string
      noAuthorizationInHeaderMessage?: string
      noAuthorizationInCookieMessage?: string
      authorizationTokenExpiredMessage?: string
      authorizationTokenInvalid?: string | ((err: Error) => string)
      authorizationTokenUntrusted?: string
      authorizationTokenUnsigned?: string
    }
    /** Default true; false: a request without a token verifies to null. */
    credentialsRequired?: boolean
    /** Rotation every N uses (Guard only); the fresh token goes out in a response header. */
    rotate?: RotateOptions
    /** Decorate fastify.authenticate (or this name) as an onRequest hook. Default false. */
    authenticate?: boolean | string
    debug?: boolean
  }

  interface JwtDecorator {
    options: { decode: DecodeOptions; sign: SignOptions; verify: VerifyOptions; messages?: FastifyJWTOptions['messages']; decoratorName: string }
    cookie?: { cookieName: string; signed: boolean }
    sign(payload: SignPayloadType, options?: SignOptions): string
    sign(payload: SignPayloadType, callback: Callback<string>): void
    sign(payload: SignPayloadType, options: SignOptions, callback: Callback<string>): void
    verify<Decoded = JwtPayload>(token: string, options?: VerifyOptions): Decoded
    verify<Decoded = JwtPayload>(token: string, callback: Callback<Decoded>): void
    verify<Decoded = JwtPayload>(token: string, options: VerifyOptions, callback: Callback<Decoded>): void
    decode<Decoded = JwtPayload>(token: string, options?: DecodeOptions): Decoded | null
    lookupToken(request: FastifyRequest, options?: VerifyOptions): string | undefined
    [namespace: string]: any
  }
  interface JwtSignFunction {
    (payload: SignPayloadType, options?: SignOptions | { sign: SignOptions }): Promise<string>
    (payload: SignPayloadType, callback: Callback<string>): void
    (payload: SignPayloadType, options: SignOptions | { sign: SignOptions }, callback: Callback<string>): void
  }
  interface JwtVerifyFunction {
    <Decoded = UserType>(options?: VerifyOptions | { verify?: VerifyOptions; decode?: DecodeOptions }): Promise<Decoded>
    <Decoded = UserType>(callback: Callback<Decoded>): void
    <Decoded = UserType>(options: VerifyOptions, callback: Callback<Decoded>): void
  }
  interface JwtDecodeFunction {
    <Decoded = JwtPayload>(options?: { decode?: DecodeOptions; verify?: VerifyOptions }): Promise<Decoded>
    <Decoded = JwtPayload>(callback: Callback<Decoded>): void
  }
  /** The same plugin, by its @fastify/jwt name. */
  const fastifyJwt: typeof plugin
}

/** The plugin: register it with @fastify/jwt's options plus `guard`. */
declare function fastifyJwt(instance: FastifyInstance, options: fastifyJwt.FastifyJWTOptions, done: (err?: Error) => void): void
declare const plugin: typeof fastifyJwt
export = fastifyJwt
