/// <reference types="node" />
import type { KeyObject } from 'node:crypto'

// Types for `revocable/jsonwebtoken`, the drop-in for jsonwebtoken 9.0.2.

export type Algorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA' | 'none'

export type Secret = string | Buffer | KeyObject | { key: string | Buffer; passphrase: string }
export type PublicKey = string | Buffer | KeyObject
export type GetPublicKeyOrSecret = (header: JwtHeader, callback: (err: Error | null, key?: PublicKey) => void) => void

export interface JwtHeader {
  alg: string | Algorithm
  typ?: string
  cty?: string
  crit?: string[]
  kid?: string
  jku?: string
  x5u?: string | string[]
  'x5t#S256'?: string
  x5t?: string
  x5c?: string | string[]
  [member: string]: unknown
}

export interface JwtPayload {
  [key: string]: any
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
}

export interface Jwt {
  header: JwtHeader
  payload: JwtPayload | string
  signature: string
}

export interface SignOptions {
  /** Default 'HS256'. 'none' is refused. */
  algorithm?: Algorithm
  keyid?: string
  /** Seconds (integer) or a duration string such as '2h'. */
  expiresIn?: string | number
  notBefore?: string | number
  audience?: string | string[]
  subject?: string
  issuer?: string
  jwtid?: string
  mutatePayload?: boolean
  noTimestamp?: boolean
  header?: Partial<JwtHeader>
  encoding?: string
  /** Accepted for compatibility; RSA keys under 2048 bits are refused regardless. */
  allowInsecureKeySizes?: boolean
  allowInvalidAsymmetricKeyTypes?: boolean
}

export interface VerifyOptions {
  /** Default: from the key type (secret: HS256-512, RSA: RS and PS, EC: ES, Ed25519: EdDSA). 'none' never verifies. */
  algorithms?: Algorithm[]
  audience?: string | RegExp | Array<string | RegExp>
  /** Seconds since the epoch to use as "now". Default: Math.floor(Date.now() / 1000), read per call. */
  clockTimestamp?: number
  /** Seconds of leeway for nbf, exp and maxAge. */
  clockTolerance?: number
  complete?: boolean
  issuer?: string | string[]
  ignoreExpiration?: boolean
  ignoreNotBefore?: boolean
  jwtid?: string
  nonce?: string
  subject?: string
  /** Seconds or a duration string such as '1d'. */
  maxAge?: string | number
  allowInvalidAsymmetricKeyTypes?: boolean
}

export interface DecodeOptions {
  complete?: boolean
  json?: boolean
}

export type VerifyCallback<T = Jwt | JwtPayload | string> = (error: VerifyErrors | null, decoded: T | undefined) => void
export type SignCallback = (error: Error | null, encoded?: string) => void

export class JsonWebTokenError extends Error {
  inner?: Error
  /** revocable's stable code (ERR_JWT_SIGNATURE, ERR_JWT_CLAIM, …). */
  code?: string
  constructor(message: string, error?: Error)
}
export class TokenExpiredError extends JsonWebTokenError {
  expiredAt: Date
  constructor(message: string, expiredAt: Date)
}
export class NotBeforeError extends JsonWebTokenError {
  date: Date
  constructor(message: string, date: Date)
}
export type VerifyErrors = JsonWebTokenError | NotBeforeError | TokenExpiredError

export function sign(payload: string | Buffer | object, secretOrPrivateKey: Secret, options?: SignOptions): string
export function sign(payload: string | Buffer | object, secretOrPrivateKey: Secret, callback: SignCallback): void
export function sign(payload: string | Buffer | object, secretOrPrivateKey: Secret, options: SignOptions, callback: SignCallback): void

export function verify(token: string, secretOrPublicKey: Secret | PublicKey, options: VerifyOptions & { complete: true }): Jwt
export function verify(token: string, secretOrPublicKey: Secret | PublicKey, options?: VerifyOptions & { complete?: false }): JwtPayload | string
export function verify(token: string, secretOrPublicKey: Secret | PublicKey, options?: VerifyOptions): Jwt | JwtPayload | string
export function verify(token: string, secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret, callback?: VerifyCallback<JwtPayload | string>): void
export function verify(token: string, secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret, options: VerifyOptions & { complete: true }, callback?: VerifyCallback<Jwt>): void
export function verify(token: string, secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret, options?: VerifyOptions & { complete?: false }, callback?: VerifyCallback<JwtPayload | string>): void
export function verify(token: string, secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret, options?: VerifyOptions, callback?: VerifyCallback): void

/** Reads a token WITHOUT verifying it. */
export function decode(token: string, options: DecodeOptions & { complete: true }): null | Jwt
export function decode(token: string, options?: DecodeOptions): null | JwtPayload | string
