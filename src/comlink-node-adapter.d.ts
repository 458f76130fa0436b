/** Types for comlink's Node adapter, which ships as .mjs beside a .d.ts (TS7016 otherwise). */
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export * from 'comlink/dist/esm/node-adapter';
  export { default } from 'comlink/dist/esm/node-adapter';
}
