// The two CommonJS modules of `qrcode` the SVG door sign needs (see qr.ts); @types/qrcode types only the main entry.
declare module 'qrcode/lib/core/qrcode.js' {
  const core: { create(text: string, opts: object): unknown };
  export default core;
}
declare module 'qrcode/lib/renderer/svg-tag.js' {
  const renderer: { render(qr: unknown, opts: object): string };
  export default renderer;
}
