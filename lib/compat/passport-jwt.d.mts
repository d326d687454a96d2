import cjs from './passport-jwt.js'
export * from './passport-jwt.js'
export default cjs
