/** Where the client keeps the tokens. */
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface TokenPair { accessToken: string; refreshToken?: string }

export interface LoggedOutEvent {
  /** The server's code (`ERR_JWT_REVOKED`, or why the refresh failed), or `LOGGED_OUT_ELSEWHERE` when another tab cleared the shared localStorage. */
  code: string | undefined
  /** `user`, `session`, `token`, `global`, `reuse`... when the server said. */
  reason?: string
}

export interface ClientOptions {
  /** Default `'local'` where localStorage exists, else `'memory'`. */
  storage?: 'local' | 'session' | 'memory' | TokenStorage
  /** Storage keys are `${key}.access` and `${key}.refresh`. Default `'revocable'`. */
  key?: string
  /** Response header carrying a rotated token (the middleware's `rotate.header`). Default `'x-access-token'`; false to ignore. */
  header?: string | false
  /** URL taking POST `{ refreshToken }` and answering a pair, or a function returning one, or false. Default `'/refresh'`. */
  refresh?: string | false | ((refreshToken: string) => Promise<TokenPair>)
  /** Called after the stored tokens were cleared because the server said revoked, a refresh failed, or another tab cleared them. */
  onLoggedOut?: (event: LoggedOutEvent) => void
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch
}

export interface Client {
  /** fetch() with the stored token attached, rotated tokens picked up, one refresh on an expired token. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Installs interceptors on an axios instance; returns a function that removes them. */
  axios(instance: { interceptors: { request: any; response: any } } & ((config: any) => Promise<any>)): () => void
  /** Stores a pair, e.g. what the login route answered. */
  setTokens(pair: TokenPair): void
  /** Forgets the stored tokens; does not call onLoggedOut. */
  clear(): void
  readonly accessToken: string | null
  readonly refreshToken: string | null
  readonly loggedIn: boolean
}

export function createClient(options?: ClientOptions): Client
