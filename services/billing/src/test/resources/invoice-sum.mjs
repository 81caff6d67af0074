// What a JavaScript client does with an invoice from the billing API (read on stdin): every amount must be an exact
// decimal string, and the lines must sum to the total exactly, in BigInt arithmetic on those strings. Exit 1 if not.
const chunks = [];
process.stdin.on('data', c => chunks.push(c)).on('end', () => {
  const invoice = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const exact = (name, s) => {
    if (typeof s !== 'string' || !/^-?\d+(\.\d+)?$/.test(s)) {
      throw new Error(`${name} is not an exact decimal string: ${JSON.stringify(s)}`);
    }
    const [whole, fraction = ''] = s.replace('-', '').split('.');
    return { sign: s.startsWith('-') ? -1n : 1n, digits: BigInt(whole + fraction), scale: fraction.length };
  };
  const amounts = invoice.lines.map((line, i) => exact(`lines[${i}].amount`, line.amount));
  const total = exact('total', invoice.total);
  const scale = Math.max(total.scale, ...amounts.map(a => a.scale));
  const scaled = a => a.sign * a.digits * 10n ** BigInt(scale - a.scale);
  const sum = amounts.reduce((acc, a) => acc + scaled(a), 0n);
  // binary floats, as JSON numbers would be read: shown, not relied on
  const floats = invoice.lines.reduce((acc, line) => acc + Number(line.amount), 0);
  console.log(JSON.stringify({ total: invoice.total, sum: sum.toString(), scale, floatSum: floats }));
  process.exit(sum === scaled(total) ? 0 : 1);
});
