// Writes ranges.tsv: what npm's own semver package (the one the npm CLI resolves with) says about a set of ranges
// and versions. The registry's range resolution is tested against this table (NpmRangeConformanceTest).
// Regenerate:  cd /tmp && npm install semver@7 && node <this file> > ranges.tsv   (semver's version is in the header)
const semver = require('semver');

const versions = [
  '0.0.0', '0.0.1', '0.0.2', '0.1.0', '0.1.5', '0.2.0', '0.2.3-beta.1', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta',
  '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.2.3-beta.2', '1.2.3', '1.2.4', '1.3.0', '1.9.9', '2.0.0-rc.1', '2.0.0',
  '2.1.0', '2.5.7', '3.0.0-alpha.0', '3.0.0', '10.0.0', '10.2.3+build.7', '11.0.0-0', '100.200.300',
];

const ranges = [
  // x-ranges and the empty range
  '', '*', 'x', 'X', '1', '1.x', '1.X', '1.*', '1.2', '1.2.x', '1.x.x', '1.*.*', '*.*.*', '0', '0.x', '0.0', '0.0.x',
  // exact and primitive comparators, with and without "=" / "v" / spaces
  '1.2.3', '=1.2.3', 'v1.2.3', '=v1.2.3', ' 1.2.3 ', '>1.2.3', '>=1.2.3', '<1.2.3', '<=1.2.3', '> 1.2.3', '>= 1.2.3',
  '<2', '<=2', '>1', '>=1', '<1.2', '>1.2', '<=1.2', '>=1.2', '<0.0.1', '>=0.0.0', '<0.0.0-0', '>=0.0.0-0',
  '>=1.x', '<2.x', '>1.x', '<=1.x', '>*', '<*', '>=*', '<=*',
  // tilde and caret
  '~1', '~1.2', '~1.2.3', '~0', '~0.0', '~0.0.1', '~1.x', '~1.2.x', '~>1.2', '~> 1.2.3', '~1.2.3-beta.2',
  '^1', '^1.2', '^1.2.3', '^0', '^0.0', '^0.1', '^0.0.1', '^0.1.5', '^0.x', '^0.0.x', '^1.x', '^1.2.x', '^*', '^x',
  '^1.2.3-beta.2', '^0.2.3-beta.1', '^1.0.0-alpha', '^ 1.2', '~ 1.2',
  // hyphen ranges
  '1.2.3 - 2.3.4', '1.2 - 2.3.4', '1.2.3 - 2.3', '1.2.3 - 2', '1 - 2', '1.x - 2.x', '0.1.0 - 0.2.0',
  '1.0.0-alpha - 1.0.0', '1.2.3 -2.3.4', '1.2.3- 2.3.4',
  // intersections and unions
  '>=1.2.3 <2', '>=1.2.3 <2.0.0-0', '>1 <3', '>=0.1.0 <0.2.0 || >=1', '1.x || 2.x', '^1 || ^3', '1.2.3 || 2.0.0',
  '<1 || >=2.5', '>=1.0.0 <=1.2.3', '>= 1.0.0 <= 1.2.3', '~1.2 || ~2.1', '1 || 2 || 3', '||', '1.2.3 ||', '|| 1.2.3',
  '>=1.2.3   <2', '>=1.2.3\t<2',
  // prerelease comparators
  '>=1.0.0-beta', '>1.0.0-alpha <1.0.1', '<1.0.0', '>=2.0.0-rc.1 <2.0.1', '1.0.0-rc.1', '>=11.0.0-0', '^3.0.0-alpha.0',
  // build metadata
  '1.2.3+build', '>=1.2.3+build', '10.2.3+build.7', '^10.2.3+anything',
  // what npm does not take as a range (a registry looks these up as dist-tags)
  'latest', 'next', 'beta', '1.2.3.4', 'a.b.c', '>=', '^', '~', '<', '1.2.3-', '01.2.3', '1.02.3', '1.2.03',
  '99999999999999999999', '1.99999999999999999999', '>=99999999999999999999', '9007199254740991',
  '9007199254740992', '1 2', '1.2.3 1.2.4', '>1.2.3 || <', '=>1.2.3', '=<1.2.3', '!1.2.3', '1.2.3 - ', '- 1.2.3',
  '^1.2.3 - 2', 'x.1.2', '1.x.2', '*1', 'v', 'vx', 'V1.2.3', 'latest-1', '1.2.3-beta..1', '1.2.3-01', '1.2.3-beta.01',
];

function cell(value) {
  return value === null || value === undefined ? '-' : String(value).replace(/\t/g, '\\t');
}

console.log(['#', 'semver', require('semver/package.json').version, 'npm semver, default options'].join('\t'));
console.log(['#', 'kind', 'range', 'normalized range or - (not a range)', 'satisfying versions, prereleases excluded',
  'satisfying with includePrerelease', 'maxSatisfying', 'maxSatisfying with includePrerelease'].join('\t'));
console.log(['versions'].concat(versions).join('\t'));
for (const range of ranges) {
  const valid = semver.validRange(range);
  const ok = v => valid !== null && semver.satisfies(v, range);
  const okPre = v => valid !== null && semver.satisfies(v, range, { includePrerelease: true });
  console.log(['range', cell(range), cell(valid), versions.filter(ok).join(' ') || '-',
    versions.filter(okPre).join(' ') || '-',
    cell(valid === null ? null : semver.maxSatisfying(versions, range)),
    cell(valid === null ? null : semver.maxSatisfying(versions, range, { includePrerelease: true }))].join('\t'));
}
