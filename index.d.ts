/// <reference types="node" />
import type { KeyObject } from 'node:crypto'
import { EventEmitter } from 'node:events'

export type Algorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA'

/** Seconds, or a duration string such as '30s', '15m', '1h', '7d'. */
export type Duration = number | string

export interface Jwk { kty: string; kid?: string; alg?: string; use?: string; [member: string]: unknown }
export interface JwkSet { keys: Jwk[] }

/** HMAC secret, PEM (SPKI, PKCS#1, X.509 certificate; a private PEM is reduced to its public half), KeyObject, JWK or JWK Set. */
export type VerificationKey = string | Buffer | Uint8Array | KeyObject | Jwk | JwkSet

export interface VerifierOptions {
  /** Required. Allowed `alg` values; `none` is never accepted. */
  algorithms: readonly Algorithm[]
  /** The key (or JWK Set, selected by `kid`). Each key serves one algorithm family. An HMAC secret has at least 32 bytes. */
  key?: VerificationKey
  /** Alias of `key`. */
  secret?: VerificationKey
  /** Accepted `iss` values. */
  issuer?: string | string[]
  /** Accepted `aud` values; an array `aud` in the token matches if any element does. */
  audience?: string | string[]
  subject?: string
  jwtid?: string
  /** Expected `typ` header, compared as a media type (`at+jwt` matches `application/at+jwt`). */
  typ?: string
  /** Leeway for exp, nbf, iat and maxAge. Default 0. Never widens a revocation cut-off. */
  clockTolerance?: Duration
  /** Reject when `now >= iat + maxAge + clockTolerance`. Requires `iat`. */
  maxAge?: Duration
  /** Claims that must be present. Default `['exp']`; pass `[]` to accept tokens without exp. */
  requiredClaims?: string[]
  /** Longer tokens are rejected (ERR_JWT_TOO_LARGE) before any parsing. Default 16384. */
  maxTokenBytes?: number
  /** Names of `crit` header extensions the application understands and checks itself. */
  crit?: string[]
  /** Milliseconds since the epoch; read on every call. Default `() => Date.now()`. */
  clock?: () => number
  /**
   * Entries of the verified-result cache (keyed by the whole token; an entry
   * never outlives exp + clockTolerance, and for a Guard dies with any
   * revocation of its user, session, token or a global cut-off). Results are
   * fresh top-level objects whose nested values are frozen. Default 1000; 0 or
   * false turns it off.
   */
  cache?: number | false
  /** A remote JWK Set instead of `key`: fetched by `ready()` / `open()`, refreshed in the background. */
  jwks?: JwksOptions
  /**
   * Several accepted issuers, each with its own remote key set, instead of
   * `key`/`jwks`/`issuer`: a token's `iss` picks the set before any key is
   * tried. `{}` discovers the keys from the issuer itself.
   */
  issuers?: Record<string, { jwks?: JwksOptions }>
}

/** Where and how a remote JWK Set is fetched (lib/jwks). Durations are seconds or strings like '30s'. */
export interface JwksOptions {
  /** The JWK Set URL. Exactly one of `uri` and `issuer`. */
  uri?: string
  /**
   * The issuer: `jwks_uri` is read from `<issuer>/.well-known/openid-configuration`,
   * whose `issuer` must equal this (ERR_JWKS_ISSUER otherwise). Tokens must then
   * carry this `iss`, unless the `issuer` option says otherwise.
   */
  issuer?: string
  /** Refetch this long after the last good fetch. Default '10m'. */
  cacheMaxAge?: Duration
  /** An unknown `kid` refetches at most once per cooldown (also the retry delay after a failure). Default '30s'. */
  cooldown?: Duration
  /** Deadline for a whole answer. Default '5s'. */
  timeout?: Duration
  /** Largest accepted body, in bytes. Default 524288. */
  maxBytes?: number
  /** Redirects followed (never from https: to http:). Default 3. */
  maxRedirects?: number
  /** Accept http: URLs (local tests). Default false: https: only. */
  allowHttp?: boolean
  headers?: Record<string, string>
  /** An http(s).Agent (proxy, custom CA). */
  agent?: unknown
}

export interface JwksHealth {
  uri: string
  /** 'ok'; 'stale' when the last refetch failed and the last good set is in use; 'down' before any set. */
  status: 'ok' | 'stale' | 'down'
  fetchedAt: number | null
  fetches: number
  lastError: string | null
}

/** Why a remote key set could not be fetched or used. */
export type JwksErrorCode = 'ERR_JWKS_FETCH' | 'ERR_JWKS_TIMEOUT' | 'ERR_JWKS_TOO_LARGE' | 'ERR_JWKS_INVALID' | 'ERR_JWKS_ISSUER'
export class JwksError extends Error {
  code: JwksErrorCode
  uri?: string
}

export interface CacheStats { size: number; max: number; hits: number; misses: number }

export interface JwtHeader { alg: Algorithm; typ?: string; kid?: string; [member: string]: unknown }
export interface JwtPayload {
  iss?: string; sub?: string; aud?: string | string[]; jti?: string
  exp?: number; nbf?: number; iat?: number
  /** Session (sessionClaims' default) and when the session began (tokens revocable mints from earlier ones). */
  sid?: string; auth_time?: number
  [claim: string]: unknown
}
export interface CompleteResult<P = JwtPayload> { header: JwtHeader; payload: P; signature: string }

export class Verifier {
  /** Checks every option and parses the key; throws ERR_JWT_INVALID_OPTION or ERR_JWT_KEY. */
  constructor(options: VerifierOptions)
  /** Returns the claims; throws a JwtError with a stable `code`. */
  verify<P = JwtPayload>(token: string): P
  verify<P = JwtPayload>(token: string, options: { complete: true }): CompleteResult<P>
  verify<P = JwtPayload>(token: string, options?: { complete?: boolean }): P | CompleteResult<P>
  /** verify(), waiting once for the key set refetch an unknown `kid` started (`err.refetching`). */
  verifyAsync<P = JwtPayload>(token: string, options?: { complete?: boolean }): Promise<P>
  /** Resolves once remote key sets are loaded; rejects with a JwksError (fail closed). */
  ready(): Promise<this>
  health(): { jwks?: Record<string, JwksHealth> }
  /** Stops background key set refreshes. */
  close(): void
  cacheStats(): CacheStats
}

export interface SignOptions {
  /** Default 'HS256'. */
  algorithm?: Algorithm
  expiresIn?: Duration
  notBefore?: Duration
  issuer?: string
  audience?: string | string[]
  subject?: string
  jwtid?: string
  /** Sets the header's `kid`. */
  keyid?: string
  /** Extra header members (`alg` is always the algorithm's). */
  header?: Record<string, unknown>
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number
}

/** Signs claims; fills `iat` (millisecond precision, fractional) and a random `jti` unless given. */
export function sign(claims: Record<string, unknown>, key: string | Buffer | KeyObject | Jwk, options?: SignOptions): string

/** Reads a token WITHOUT verifying it. Throws ERR_JWT_MALFORMED if it is not a well-formed JWT. */
export function decode<P = JwtPayload>(token: string): P
export function decode<P = JwtPayload>(token: string, options: { complete: true }): CompleteResult<P>

/** The codes a token or an option can fail with (a JwtError's `code`). */
export type JwtErrorCode =
  | 'ERR_JWT_MALFORMED' | 'ERR_JWT_TOO_LARGE' | 'ERR_JWT_ALGORITHM' | 'ERR_JWT_KEY'
  | 'ERR_JWT_SIGNATURE' | 'ERR_JWT_EXPIRED' | 'ERR_JWT_NOT_BEFORE' | 'ERR_JWT_MAX_AGE'
  | 'ERR_JWT_CLAIM' | 'ERR_JWT_CRIT' | 'ERR_JWT_INVALID_OPTION' | 'ERR_JWT_REVOKED'

/**
 * Codes of the `revocable` command line (bin/revocable.js, lib/cli/errors.js),
 * printed in its one-line error: ERR_CLI_USAGE is bad usage (exit status 2),
 * ERR_CLI an operation or check that failed (exit status 1, as ERR_STORE).
 */
export type CliErrorCode = 'ERR_CLI_USAGE' | 'ERR_CLI'

/**
 * Every code revocable produces: a JwtError's, the middleware's for a request
 * with no token (ERR_JWT_MISSING) or a verifier that failed without a code
 * (ERR_JWT), a store's (ERR_STORE), the command line's, a key set's (JwksErrorCode),
 * a refused OIDC logout token's, a missing native addon's, and revokeMany's
 * for a failure that had none (ERR_UNKNOWN). README "Error codes" lists each.
 */
export type ErrorCode = JwtErrorCode | 'ERR_JWT_MISSING' | 'ERR_JWT' | 'ERR_STORE' | 'ERR_STORE_REFUSED' | CliErrorCode
  | JwksErrorCode | 'ERR_LOGOUT_TOKEN' | 'ERR_REVOCABLE_NATIVE' | 'ERR_UNKNOWN'

/** A failure from a store (opening, loading, writing); `cause` has the driver's error. */
/**
 * ERR_STORE: unreachable, timed out, closed (a queued change is retried).
 * ERR_STORE_REFUSED: the store refuses that record for good (`permanent`); its promise alone rejects.
 */
export interface StoreError extends Error { code: 'ERR_STORE' | 'ERR_STORE_REFUSED'; permanent: boolean; store?: string; operation?: string; cause?: unknown }

/** What the Express and Koa middleware put on a 401 (`errors: 'next'` hands it to you). */
export interface AuthenticationError extends Error {
  code: JwtErrorCode | 'ERR_JWT_MISSING' | 'ERR_JWT'
  status: 401
  statusCode: 401
  headers: { 'WWW-Authenticate': string }
  /** Why a token was revoked ('user', 'token', 'session', 'global', 'not_allowed', 'group'). */
  reason?: string
}

export class JwtError extends Error {
  static code: JwtErrorCode | 'ERR_JWT'
  code: JwtErrorCode
  /** The claim (`iss`, `aud`, a required claim, …) or option the error is about. */
  claim?: string
  /** The native error this one wraps. */
  cause?: unknown
}
export class JwtMalformedError extends JwtError {}
export class JwtTooLargeError extends JwtError {}
export class JwtAlgorithmError extends JwtError {}
export class JwtKeyError extends JwtError {
  /** Set when the key set lacked the token's kid: true if a refetch was started (verifyAsync waits for it). */
  refetching?: boolean
}
export class JwtSignatureError extends JwtError {}
export class JwtExpiredError extends JwtError { expiredAt: Date }
export class JwtNotBeforeError extends JwtError { date: Date }
export class JwtMaxAgeError extends JwtError {}
export class JwtClaimError extends JwtError {}
export class JwtCritError extends JwtError {}
export class JwtInvalidOptionError extends JwtError {}

export class JwtRevokedError extends JwtError {
  /** Which rule refused the token. */
  reason: 'user' | 'token' | 'session' | 'global' | 'not_allowed' | 'group' | 'reuse'
}

/** A revocation as a store keeps it (times in ms). */
export interface RevocationRecord {
  kind: 'user' | 'session' | 'token' | 'allow' | 'global' | 'group'
  /** user: the sub; session: JSON [claim, value]; token/allow: JSON [iss, jti]; global: ''; group: its number. */
  key: string
  /** Cut-off time (user, session, global) or token exp (token, allow), in ms. */
  at: number
  /** When the record may be dropped (ms), or null for never. */
  expiresAt: number | null
}

/** One entry of `guard.revokeMany(records)`: the arguments of revokeToken, revokeUser, revokeSession or revokeAll. */
export type RevocationRequest =
  | { type: 'token'; token: string | { iss?: string; jti: string; exp: number } }
  | { type: 'user'; sub: string; before?: Date | number }
  | { type: 'session'; value: string; claim?: string; before?: Date | number }
  | { type: 'all'; before?: Date | number }

export interface Store {
  readonly name: string
  /** Names the durable location; Guards on stores with equal ids share one table per process. */
  readonly id: string
  open(): Promise<void>
  put(record: RevocationRecord): Promise<void>
  /**
   * Optional: writes many records in one round trip (transaction, statement or script call), resolving
   * once all are durable. The Guard's queue uses it for group commit; without it, records go one put at a time.
   * A record the store can never hold rejects with `permanent: true` (code ERR_STORE_REFUSED) before anything is written.
   */
  putMany?(records: RevocationRecord[]): Promise<void>
  /** Optional: false while the store knows it cannot reach its server (health() then says 'down' at once). */
  ready?(): boolean
  load(onBatch: (records: RevocationRecord[]) => void | Promise<void>): Promise<number>
  prune(nowMs: number): Promise<number>
  close(): Promise<void>
  /** Sync (optional): where the store's change log ends now; the Guard takes it before loading. */
  position?(): Promise<string>
  /** Sync (optional): follows changes other instances write, from `from`; null when this store cannot be followed. */
  watch?(handlers: {
    from: string
    onRecords(records: Array<RevocationRecord & { ts: number }>, lastId: string): void
    /** The log no longer reaches back to the reader's place: reload everything. */
    onGap(): Promise<void>
    onState(state: { connected: boolean; error: Error | null }): void
  }): { close(): Promise<void> } | null
}

/** Changes other instances made reach this one (see README "Running several instances"). */
export interface SyncHealth {
  /** The watch connection is up and caught up (SQLite: the last check succeeded). */
  connected: boolean
  /** ms from the last applied change being written (writer's clock) to it being applied here. */
  lagMs: number | null
  /** Id of the last change applied from the log (Redis `0-<n>`, PostgreSQL/SQLite the row id). */
  lastId: string | null
  /** Full reloads because the log was trimmed past this instance. */
  reloads: number
  lastError: string | null
}

export const stores: {
  /** The table with no durable copy, private to the Guards opened on this store object: for tests (and the default under Jest). */
  memory(): Store
  /** The embedded default (better-sqlite3 12): WAL, synchronous=FULL. `':memory:'` for tests. */
  sqlite(file?: string, options?: {
    table?: string
    /** ms a write waits for another process's write lock before failing (the queue retries). Default 50. */
    busyTimeout?: number
    /** ms open() keeps retrying the switch to WAL and a schema migration while another process holds the lock; a current schema is only read. Default 5000. */
    openTimeout?: number
    /** ms between checks for other processes' changes (PRAGMA data_version); 0: off. Default 20. */
    syncInterval?: number
    /** ms the change log keeps a change. Default 3600000. */
    logRetention?: number
  }): Store
  /** Your `pg` Pool; never ended by the store. `timeout` (ms, default 5000) bounds each call. */
  postgres(options: {
    pool: unknown; table?: string; timeout?: number
    /** LISTEN for other instances' changes on a connection of its own. Default true. */
    sync?: boolean
    /** ms the change log keeps a change. Default 3600000. */
    logRetention?: number
  }): Store
  /** Your ioredis or node-redis client; never closed by the store. */
  redis(options: {
    client: unknown; prefix?: string; timeout?: number
    /** Follow the `<prefix>:changes` stream on a connection of its own. Default true. */
    sync?: boolean
    /** Entries the stream keeps (about). Default 100000. */
    streamLength?: number
    /**
     * A write counts as stored only once `replicas` replicas have it (Redis
     * WAIT, up to `timeoutMs`, default 1000, per attempt; fewer is a failed
     * attempt, retried): a failover cannot lose an acknowledged revocation.
     */
    wait?: { replicas: number; timeoutMs?: number }
  }): Store
}

export interface GuardOptions extends VerifierOptions {
  /** Required: the longest `exp - iat` accepted; bounds how long revocations are kept. */
  maxTokenLifetime: Duration
  /** Default `stores.sqlite('revocable.db')`; under Jest (JEST_WORKER_ID set) a fresh `stores.memory()` per open(). */
  store?: Store
  /** Claims naming a session or device. Default `['sid']`. */
  sessionClaims?: string[]
  /** Refuse every token `sign` did not issue. Default false. */
  allowList?: boolean
  /**
   * Tokens may come from a whole-second issuer (jsonwebtoken's `sign`: integer
   * `iat`): a cut-off made now (revokeUser, revokeSession, revokeAll without
   * `before`) resolves only once its second has passed (at most 1 s), so a
   * token signed after it passes. Default false; on for a Guard given to
   * revocable/express-jwt as `guard`.
   */
  wholeSecondIat?: boolean
  /** Reads cut-offs from the app's own tables at start-up (not persisted by revocable). */
  loadUserCutoffs?: () => AsyncIterable<{ sub: string; at: Date | number }>
  /** Key and algorithm `sign` uses; default the HMAC `key` and `algorithms[0]`. */
  signingKey?: string | Buffer | KeyObject | Jwk
  signingAlgorithm?: Algorithm
  /** ms between prunes. Default 60000. */
  pruneInterval?: number
  /** ms before a store write counts as failed and is retried. Default 5000. */
  storeTimeout?: number
  /** Listeners attached before loading starts. */
  /** Sync events: 'synced' (changes from other instances applied), 'reloaded' (full reload), 'sync' (connected or not). */
  on?: Partial<Record<'loaded' | 'error' | 'revoked' | 'recovered' | 'reuse' | 'synced' | 'reloaded' | 'sync', (event: any) => void>>
  /** Refresh tokens (`issue`/`refresh`); on by default when the Guard can sign, `false` turns them off. */
  refresh?: RefreshOptions | false
  /**
   * Group epochs with a slow path: tokens of a sub whose group was marked
   * (markGroup) after they were issued are refused with reason 'group' by
   * verify(); recheck() and the middleware ask `check(claims)` instead and,
   * if it returns true, hand out a fresh token in `header`.
   */
  groups?: {
    /** Groups (a hash of sub); a power of two up to 4096. Default 1024. */
    count?: number
    check: (claims: JwtPayload) => boolean | Promise<boolean>
    /** Response header for the fresh token. Default 'x-access-token'. */
    header?: string
  }
}

export interface RefreshOptions {
  /** Life of a refresh token; at most (and by default) maxTokenLifetime, which bounds how long revocations are kept. */
  lifetime?: Duration
  /** Life of the access tokens `issue` and `refresh` return. Default 15 minutes (or `lifetime` if shorter). */
  accessLifetime?: Duration
  /** A used refresh token presented again within this interval gets a sibling pair instead of revoking the family. Default '5s'. */
  reuseInterval?: Duration
  /** Key material to derive the refresh-token key from (HKDF); default the signing key. */
  secret?: string | Buffer | KeyObject | Jwk
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  /** The family (session id, in the first of sessionClaims): `revokeSession(session)` ends it. */
  session: string
  /** Seconds the access token lives. */
  expiresIn: number
}

export interface RotateOptions {
  /** Uses of one token (by iss, jti; counted per process) before a fresh token is handed out. Required. */
  every: number
  /** ms the old token keeps working after the fresh one is issued. Default 30000. */
  graceMs?: number
  /** Response header carrying the fresh token. Default 'x-access-token'; false for none (then give `cookie`). */
  header?: string | false
  /** Also (or instead) set the fresh token as a cookie: its name, or { name, path ('/'), domain, sameSite ('Lax'), secure (false), httpOnly (true) }. */
  cookie?: string | { name: string; path?: string; domain?: string; sameSite?: 'Strict' | 'Lax' | 'None'; secure?: boolean; httpOnly?: boolean }
  /** Milliseconds since the epoch; default Date.now. Tests pass the Guard's clock. */
  clock?: () => number
}

export interface MiddlewareOptions {
  getToken?: (reqOrCtx: any) => string | undefined | Promise<string | undefined>
  /** Read the token from this cookie instead of `Authorization: Bearer`. */
  cookie?: string
  /** Default true. */
  credentialsRequired?: boolean
  /** Continue without claims on failure. */
  passthrough?: boolean
  unless?: ((reqOrCtx: any) => boolean) | { path?: Array<string | RegExp>; method?: string[] }
  /** Use the error's own message in the 401 body. Default false. */
  debug?: boolean
  /** Rotation every N uses (Guard middleware only). */
  rotate?: RotateOptions
}

/** A request as the authentication core sees it; every field is optional. */
export interface AuthRequest {
  /** The Authorization header (`Bearer <token>`). */
  authorization?: string
  /** The Cookie header, read when the `cookie` option names a cookie. */
  cookie?: string
  /** Cookies already parsed by the framework; preferred over `cookie`. */
  cookies?: Record<string, string | undefined>
  /** A token read by the caller; skips the header and cookie. */
  token?: string
  method?: string
  url?: string
}

/**
 * What the authentication core decided: claims (undefined when no token was
 * sent and none is required), or `error`; `headers` are `[name, value]` pairs
 * to append to the response (a fresh token and the CORS header exposing it).
 */
export type AuthOutcome<P = JwtPayload> =
  | { claims: P | undefined; error: undefined; headers: Array<[string, string]> | null }
  | { claims: undefined; error: AuthenticationError; headers: null }

export interface AuthenticatorOptions {
  /** Read the token from this cookie instead of `Authorization: Bearer`. */
  cookie?: string
  /** Default true. */
  credentialsRequired?: boolean
  /** Use the error's own message instead of a generic one. Default false. */
  debug?: boolean
  rotate?: RotateOptions
}

/** Why `isRevoked` refuses claims; 'claims' when no rule can decide (no iat/exp, too long a life, a wrongly typed claim). */
export type RevokedReason = 'user' | 'token' | 'session' | 'global' | 'not_allowed' | 'group' | 'claims'

export interface TableStats {
  users: number; tokens: number; sessions: number; allowed: number
  /** Approximate heap bytes of the table, in all and per kind. */
  bytes: number; userBytes: number; tokenBytes: number; sessionBytes: number; allowedBytes: number
  global: number
}
export interface Health {
  store: 'ok' | 'down'; pending: number; lastError: string | null
  /** Present when the store syncs with other instances. */
  sync?: SyncHealth
  /** Remote key sets, by issuer (or URI). */
  jwks?: Record<string, JwksHealth>
}

/** What `guard.metrics()` reads; counters count since the Guard opened. */
export interface Metrics {
  /** Verifications by result: `ok` or the error code (every JwtErrorCode present, zeros included). */
  verifications: Record<'ok' | JwtErrorCode, number> & Record<string, number>
  /** ERR_JWT_REVOKED verifications by `err.reason` (user, token, session, global, not_allowed, group). */
  revoked: Record<string, number>
  /** Revocations this Guard wrote, by record kind (user, session, token, global, allow, group). */
  revocations: Record<string, number>
  cache: CacheStats
  table: {
    entries: { user: number; session: number; token: number; allow: number }
    bytes: number
    bytesByKind: { user: number; session: number; token: number; allow: number }
    global: boolean
  }
  /** `up` is false while writes to the store fail; pending writes and the age of the oldest, in ms. */
  persistence: { up: boolean; pending: number; oldestPendingMs: number }
  /** Null when the store does not sync (one instance, an in-memory database, `sync: false`). */
  sync: { connected: boolean; lagMs: number | null; reloads: number } | null
  /** Remote key sets (`jwks`, `issuers`): fetches, whether the set in use is fresh, ms since the last fetch. Null for a static key. */
  jwks: Array<{ uri: string; up: boolean; fetches: number; ageMs: number | null }> | null
}

export class Guard extends EventEmitter {
  /** Same as `revocable.open`, without the default store. */
  static open(options: GuardOptions): Promise<Guard>
  readonly allowList: boolean
  readonly sessionClaims: string[]
  verify<P = JwtPayload>(token: string): P
  verify<P = JwtPayload>(token: string, options: { complete: true }): CompleteResult<P>
  /** verify(), waiting once for the key set refetch an unknown `kid` started. */
  verifyAsync<P = JwtPayload>(token: string): Promise<P>
  cacheStats(): CacheStats
  sign(claims: Record<string, unknown>, options?: SignOptions): string
  /**
   * A token, or its claims (verify()'s result, taken as they are). A token
   * string must verify (signature, algorithm, issuer, audience) except for its
   * times: an expired one can still be logged out, a forgery rejects with its
   * code (ERR_JWT_SIGNATURE, ...) and writes nothing. Rejects with
   * ERR_JWT_CLAIM (claim 'jti') when there is no jti (revoke the session or
   * user instead) and ERR_JWT_MALFORMED without a finite exp.
   */
  revokeToken(tokenOrClaims: string | JwtPayload): Promise<void>
  /** `before` defaults to now; `Infinity` (or any time past the Date range) bans for good: kept at 8.64e15 ms, never pruned. */
  revokeUser(sub: string, options?: { before?: Date | number }): Promise<void>
  revokeSession(value: string, options?: { claim?: string; before?: Date | number }): Promise<void>
  /** Group epochs: tokens of sub's group issued before `before` (default now) go through groups.check. */
  markGroup(sub: string, options?: { before?: Date | number }): Promise<void>
  /** verify(), plus the groups slow path; `token` is a fresh token when the slow path passed. */
  recheck<P = JwtPayload>(token: string): Promise<{ claims: P; token?: string; header?: string }>
  revokeAll(options?: { before?: Date | number }): Promise<void>
  /**
   * Many revocations in one call, for scripts and the command line: each is in force at once and
   * written in batches. Resolves once every valid one is stored or refused; `failed` lists the others.
   */
  revokeMany(records: RevocationRequest[]): Promise<{ stored: number; failed: Array<{ index: number; code: string; message: string }> }>
  prune(): number
  health(): Health
  stats(): TableStats
  /** Counters and gauges, read on call; `revocable/prometheus` exports them. */
  metrics(): Metrics
  /** Starts a refresh-token family for `user` (a sub, or claims with a `sub` carried into every access token). */
  issue(user: string | ({ sub: string } & Record<string, unknown>), options?: { session?: string; issuer?: string; audience?: string | string[] }): TokenPair
  /** Rotates a refresh token into a new pair. Rejects with ERR_JWT_REVOKED (reason 'reuse') for a reused one, whose family it revokes. */
  refresh(refreshToken: string): Promise<TokenPair>
  /** The authentication core: synchronous on the fast path, a Promise only on the group slow path. */
  authenticate<P = JwtPayload>(request: AuthRequest): AuthOutcome<P> | Promise<AuthOutcome<P>>
  /** `authenticate` with options, checked once. */
  authenticator<P = JwtPayload>(options?: AuthenticatorOptions): (request: AuthRequest) => AuthOutcome<P> | Promise<AuthOutcome<P>>
  /** For claims another library verified: false, or why the table refuses them. Synchronous, native. */
  isRevoked(claims: unknown): false | RevokedReason
  /** Express middleware: the claims on `req.auth` (typed by the `Express.Request` augmentation below). */
  express(options?: MiddlewareOptions & { requestProperty?: string; errors?: 'respond' | 'next' }): (req: any, res: any, next: (err?: unknown) => void) => void
  /**
   * OIDC Back-Channel Logout endpoint: an Express handler (mount it with
   * app.post), with `.koa` for Koa. Logout tokens are checked with `key`/`jwks`,
   * else with this Guard's keys for `issuer`; `sid` revokes that session
   * (`sessionClaim`, default 'sid'), `sub` alone every session of the user.
   */
  backchannelLogout(options: {
    issuer: string; audience: string | string[]; key?: VerificationKey; jwks?: JwksOptions
    algorithms?: Algorithm[]; sessionClaim?: string; clockTolerance?: Duration; maxAge?: Duration
  }): ((req: any, res: any, next: (err?: unknown) => void) => void) & { koa: (ctx: any) => Promise<void>; close(): void }
  koa(options?: MiddlewareOptions & { key?: string; errors?: 'respond' | 'throw' }): (ctx: any, next: () => Promise<unknown>) => Promise<void>
  close(options?: { timeout?: number }): Promise<{ pending: number }>
}

/** Opens a Guard: loads the store (and `loadUserCutoffs`) before resolving; rejects with ERR_STORE if it cannot (fails closed). */
export function open(options: GuardOptions): Promise<Guard>

declare global {
  namespace Express {
    interface Request {
      /** The verified claims, set by `guard.express()` (or revocable/express-jwt); absent on routes it does not guard. */
      auth?: JwtPayload
    }
  }
}

/** An Express request on a route `guard.express()` guards: `req.auth` is set. */
export type AuthenticatedRequest<P = JwtPayload> = Express.Request & { auth: P }
