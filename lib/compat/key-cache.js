'use strict'

const { KeyObject, createSecretKey } = require('node:crypto')

/**
 * Parsed keys for the jsonwebtoken drop-in, which like jsonwebtoken takes key
 * material on every call: parsing costs more than the HMAC or the signature
 * itself, so each parsed key is kept with its native objects (a verifier or a
 * signer per algorithm). Strings and Buffers are found by content (bounded,
 * oldest dropped first; a Buffer written later has other content), KeyObjects
 * by identity. Other objects ({ key, format }) are mutable and parsed each time.
 */
class KeyCache {
  #byContent = new Map()
  #byObject = new WeakMap()
  #parse
  #max

  /** `parse(material)` makes the KeyObject (public or private); a secret is the fallback. */
  constructor(parse, max) {
    this.#parse = parse
    this.#max = max
  }

  /** `{ key: KeyObject, natives: Map<alg, native> }` for `material`, or null when it is not key material. */
  entry(material) {
    if (material instanceof KeyObject) {
      let entry = this.#byObject.get(material)
      if (!entry) this.#byObject.set(material, (entry = { key: material, natives: new Map() }))
      return entry
    }
    const id = typeof material === 'string' ? `s${material}` : Buffer.isBuffer(material) ? `b${material.toString('latin1')}` : undefined
    const hit = id === undefined ? undefined : this.#byContent.get(id)
    if (hit) return hit
    const key = this.#keyOf(material)
    if (!key) return null
    const entry = { key, natives: new Map() }
    if (id !== undefined) {
      if (this.#byContent.size >= this.#max) this.#byContent.delete(this.#byContent.keys().next().value)
      this.#byContent.set(id, entry)
    }
    return entry
  }

  #keyOf(material) {
    try {
      return this.#parse(material)
    } catch {
      try {
        return createSecretKey(typeof material === 'string' ? Buffer.from(material) : material)
      } catch {
        return null
      }
    }
  }

  get size() {
    return this.#byContent.size
  }
}

/** The native object for `alg` kept on `entry`, made once with `make(key)`. */
function nativeFor(entry, alg, make) {
  let native = entry.natives.get(alg)
  if (!native) entry.natives.set(alg, (native = make(entry.key)))
  return native
}

module.exports = { KeyCache, nativeFor }
