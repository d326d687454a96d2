// Types of `revocable/passport-jwt`: passport-jwt 4's API (as @types/passport-jwt describes it), plus `guard`.
import type { Guard, RotateOptions } from '../../index'
import type { VerifyOptions } from './jsonwebtoken'

export type JwtFromRequestFunction<T = any> = (req: T) => string | null

export interface StrategyOptionsBase {
  jwtFromRequest: JwtFromRequestFunction
  /** passport-jwt's key; not with `guard`. */
  secretOrKey?: string | Buffer
  secretOrKeyProvider?: (request: any, rawJwtToken: any, done: (err: any, secretOrKey?: string | Buffer) => void) => void
  issuer?: string | string[]
  audience?: string | string[]
  algorithms?: string[]
  ignoreExpiration?: boolean
  jsonWebTokenOptions?: VerifyOptions
  /**
   * A revocable Guard: verifies and checks revocation in one native call, so a
   * revoked token fails (message 'jwt revoked', code ERR_JWT_REVOKED) before
   * `verify` runs. Replaces secretOrKey and the verify options above.
   */
  guard?: Guard
  /** Rotation every N uses (with `guard`): the fresh token goes out on req.res. */
  rotate?: RotateOptions
}
export interface StrategyOptionsWithRequest extends StrategyOptionsBase { passReqToCallback: true }
export interface StrategyOptionsWithoutRequest extends StrategyOptionsBase { passReqToCallback?: false }
export type StrategyOptions = StrategyOptionsWithRequest | StrategyOptionsWithoutRequest

export type VerifiedCallback = (error: any, user?: unknown | false, info?: any) => void
export type VerifyCallback = (payload: any, done: VerifiedCallback) => void
export type VerifyCallbackWithRequest = (req: any, payload: any, done: VerifiedCallback) => void

export declare class Strategy {
  constructor(opt: StrategyOptionsWithRequest, verify: VerifyCallbackWithRequest)
  constructor(opt: StrategyOptionsWithoutRequest, verify: VerifyCallback)
  name: string
  authenticate(req: any, options?: any): void
  /** Replaceable in tests: (token, secretOrKey, options, callback). */
  static JwtVerifier: (token: string, secretOrKey: string | Buffer, options: any, callback: (err: any, payload?: any) => void) => void
}

export declare namespace ExtractJwt {
  function fromHeader(headerName: string): JwtFromRequestFunction
  function fromBodyField(fieldName: string): JwtFromRequestFunction
  function fromUrlQueryParameter(paramName: string): JwtFromRequestFunction
  function fromAuthHeaderWithScheme(authScheme: string): JwtFromRequestFunction
  function fromExtractors(extractors: JwtFromRequestFunction[]): JwtFromRequestFunction
  function fromAuthHeaderAsBearerToken(): JwtFromRequestFunction
  function versionOneCompatibility(options: { authScheme?: string; tokenBodyField?: string; tokenQueryParameterName?: string }): JwtFromRequestFunction
}
