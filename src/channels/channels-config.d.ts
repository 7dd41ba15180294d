// The repository's channels.json, aliased by webpack.config.js and jest.config.js; it is
// validated with the contract's schema before use.
declare module '@channels-config' {
  const document: unknown;
  export default document;
}
