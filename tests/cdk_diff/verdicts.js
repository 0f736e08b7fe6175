// AWS's own template diff on pairs of CloudFormation templates (already SAM-translated).
// usage: node verdicts.js PAIRS.json  where PAIRS.json is [{"name", "old", "new"}] (JSON files)
// Prints one JSON object: {name: {LogicalId: changeImpact}} for every resource of either side.
const fs = require('fs');
const { fullDiff } = require('@aws-cdk/cloudformation-diff');

const pairs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = {};
for (const pair of pairs) {
  const before = JSON.parse(fs.readFileSync(pair.old, 'utf8'));
  const after = JSON.parse(fs.readFileSync(pair.new, 'utf8'));
  const diff = fullDiff(before, after);
  const verdicts = {};
  const ids = new Set([
    ...Object.keys(before.Resources || {}),
    ...Object.keys(after.Resources || {}),
  ]);
  for (const id of [...ids].sort()) {
    const change = diff.resources.has(id) ? diff.resources.get(id) : undefined;
    // An identical Resources section is not diffed at all: no difference for any resource.
    const both = id in (before.Resources || {}) && id in (after.Resources || {});
    verdicts[id] = change ? change.changeImpact : both ? 'NO_CHANGE' : 'ABSENT';
  }
  out[pair.name] = verdicts;
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
