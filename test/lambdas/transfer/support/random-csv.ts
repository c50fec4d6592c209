// Seeded random CSV that a strict csv-parse accepts, dense with what makes counting hard: quoted
// fields holding commas, doubled quotes, LF, CRLF and lone CR; records ending in LF or CRLF.
export function randomCsv(seed: number, records: number): Buffer {
  let x = seed >>> 0 || 1;
  const next = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const quotedPieces = ['a', 'bc', ',', '""', '\n', '\r\n', '\r', ' ', 'é', '""""'];
  const plainPieces = ['a', 'xyz', '1', ' ', 'é', '-'];
  const field = () => {
    const pieces = next(3) === 0 ? quotedPieces : plainPieces;
    const quoted = pieces === quotedPieces;
    let text = '';
    for (let k = next(5); k > 0; k--) text += pieces[next(pieces.length)];
    return quoted ? `"${text}"` : text || 'e';
  };
  let out = 'h1,h2,h3\n';
  for (let r = 0; r < records; r++) out += [field(), field(), field()].join(',') + (next(2) ? '\n' : '\r\n');
  return Buffer.from(out, 'utf8');
}
