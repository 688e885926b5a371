// node-forge's modules by path: their types are node-forge's own (core/node-forge-parts.ts).
declare module 'node-forge/lib/forge' {
  const forge: unknown;
  export default forge;
}
declare module 'node-forge/lib/util';
declare module 'node-forge/lib/asn1';
declare module 'node-forge/lib/rc2';
declare module 'node-forge/lib/cipher';
declare module 'node-forge/lib/des';
