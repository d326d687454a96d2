'use strict'

const { claimNames: NAMES, shapeTypes: T } = require('./contract')

// An array that holds no element, and never will: `j in NO_ELEMENTS` is true
// only when Array.prototype or Object.prototype has an index j.
const NO_ELEMENTS = Object.freeze([])

// The claims of a verify, built from their JSON text by the shape the native
// verify wrote (src/binding/shape.rs has the layout and what it leaves out):
// names and strings are slices of the text, numbers come as numbers. On
// Node 20 this costs about a quarter of JSON.parse(text), which is a third of
// a cold verify. Where the native side wrote no shape, JSON.parse reads the
// text, so the result is always what JSON.parse would have returned.

/** The claims in `text`, the JSON the last verify returned; `s` is that verifier's shape view. */
function claimsFrom(text, s) {
  const count = s[0]
  if (count < 0) return JSON.parse(text)
  const claims = {}
  for (let m = 0, i = 1; m < count; m++, i += 5) {
    const at = s[i]
    const name = at < 0 ? NAMES[-at - 1] : text.slice(at, s[i + 1])
    // JSON.parse defines its members; an assignment would run a setter on
    // Object.prototype, or throw on a name made read-only there (frozen
    // intrinsics): such a name is left to JSON.parse.
    if (name in Object.prototype) return JSON.parse(text)
    const type = s[i + 2]
    let value
    if (type === T.string) value = text.slice(s[i + 3], s[i + 4])
    else if (type === T.number) value = s[i + 3]
    else if (type === T.true) value = true
    else if (type === T.false) value = false
    else if (type === T.null) value = null
    else {
      value = []
      for (let j = 0, n = s[i + 3]; j < n; j++, i += 2) {
        // JSON.parse defines elements too; an assignment (or push) would run
        // an index setter on Array.prototype or Object.prototype, or throw on
        // a read-only one: with any such index, JSON.parse reads the text.
        if (j in NO_ELEMENTS) return JSON.parse(text)
        value[j] = text.slice(s[i + 5], s[i + 6])
      }
    }
    claims[name] = value
  }
  return claims
}

module.exports = { claimsFrom }
