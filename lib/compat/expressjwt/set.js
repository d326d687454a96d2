'use strict'

// Names that would reach Object.prototype through req: never a sensible requestProperty.
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])
const isIndex = (name) => name !== undefined && Math.abs(name) >> 0 === +name

/** requestProperty split the way express-jwt splits it: at dots and brackets ('user.auth', 'a[0].b'). */
function propertyPath(requestProperty) {
  const names = requestProperty.match(/[^.[\]]+/g) || []
  if (names.some((name) => UNSAFE.has(name))) {
    throw new RangeError(`express-jwt: \`requestProperty\` may not contain ${names.find((name) => UNSAFE.has(name))}`)
  }
  return names
}

/**
 * Stores `value` at `names` under `target`, creating the missing steps as
 * express-jwt 8.5.1 does: an array when the next name is an index, else an
 * object; an existing object or function on the way is kept.
 */
function setAt(target, names, value) {
  let at = target
  for (let i = 0; i < names.length - 1; i++) {
    const name = names[i]
    if (Object(at[name]) !== at[name]) at[name] = isIndex(names[i + 1]) ? [] : {}
    at = at[name]
  }
  at[names[names.length - 1]] = value
}

module.exports = { propertyPath, setAt }
