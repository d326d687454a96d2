import cjs from './express-jwt.js'
export * from './express-jwt.js'
export default cjs
