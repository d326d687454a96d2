import cjs from './jsonwebtoken.js'
export * from './jsonwebtoken.js'
export default cjs
