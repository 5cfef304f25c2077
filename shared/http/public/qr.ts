import qrCore from 'qrcode/lib/core/qrcode.js';
import svgTag from 'qrcode/lib/renderer/svg-tag.js';

/**
 * An SVG QR code, exactly what `QRCode.toString(text, { type: 'svg', ... })` returns. The package's main
 * entry also loads its PNG renderer (and pngjs); the public Lambda needs only the encoder and the SVG
 * renderer, so it imports those two modules.
 */
export function qrSvg(
  text: string,
  opts: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'; margin: number },
): string {
  return svgTag.render(qrCore.create(text, opts), opts);
}
