import type { Guard } from '../index'

/** What `register` added: the metric names, and how to take them out again. */
export interface Registered {
  names: string[]
  unregister(): void
}

export interface RegisterOptions {
  /** The app's prom-client Registry (default: prom-client's global `register`). */
  registry?: unknown
  /** Prefix of every metric name. Default `'revocable_'`. */
  prefix?: string
  /** The prom-client module, when it cannot be required from revocable's folder. */
  client?: unknown
}

/**
 * Registers a Guard's `metrics()` with the app's prom-client registry:
 * `revocable_verifications_total{result}`, `revocable_revoked_tokens_total{reason}`,
 * `revocable_revocations_total{kind}`, cache hits and misses, table entries and bytes,
 * store up / pending / oldest pending age, sync connected / lag / reloads,
 * remote key set fetches / up / age (`revocable_jwks_*{uri}`).
 */
export function register(auth: Guard, options?: RegisterOptions): Registered
