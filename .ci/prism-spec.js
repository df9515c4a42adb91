// Writes the copy of PagerDuty's published specs that Stoplight Prism mocks (see prism.sh).
// Usage: node prism-spec.js <rest-openapiv3.json> <events-v2-openapiv3.json> <out.json>
//
// The copy is made at run time and never committed. It changes exactly two artefacts of the
// REST spec that would otherwise block every request as published, and mounts the Events API:
//
// 1. `header_Content-Type` is declared required on every operation, GETs included; a GET has
//    no body, so no client sends one. It becomes optional (its enum still applies when sent).
// 2. Responses are declared only as `application/json`, while `header_Accept` asks for
//    `application/vnd.pagerduty+json;version=2`, so Prism answers 406 to every correct
//    request. Each REST response gains the vnd media type with the same schema and examples.
//
// The Events API v2 (server `https://events.pagerduty.com/v2`) is mounted under `/v2`, as
// the client addresses it on a custom host, without the REST API's token requirement; its
// components get an `Events` prefix. Its
// responses stay `application/json` only, as published, so a REST `Accept` sent to it is
// still caught.
'use strict';
const fs = require('fs');

const [restPath, eventsPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node prism-spec.js REST.json EVENTS.json OUT.json');
  process.exit(2);
}
const rest = JSON.parse(fs.readFileSync(restPath, 'utf8'));
const events = JSON.parse(fs.readFileSync(eventsPath, 'utf8'));
const VND = 'application/vnd.pagerduty+json;version=2';

// 1. Content-Type optional.
const ct = rest.components.parameters['header_Content-Type'];
if (!ct || ct.required !== true) throw new Error('header_Content-Type is no longer required: review this fix');
ct.required = false;

// 2. Every REST response also served as the vnd media type.
let added = 0;
function addVnd(response) {
  if (!response || !response.content || response.content[VND]) return;
  const json = response.content['application/json'];
  if (json) {
    response.content[VND] = json;
    added += 1;
  }
}
for (const ops of Object.values(rest.paths)) {
  for (const op of Object.values(ops)) {
    if (op && op.responses) Object.values(op.responses).forEach(addVnd);
  }
}
Object.values(rest.components.responses || {}).forEach(addVnd);
if (added === 0) throw new Error('no application/json response found: review this fix');

// 3. The Events API under /v2, its components renamed to avoid clashes.
function rename(node) {
  if (Array.isArray(node)) return node.map(rename);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string'
        ? v.replace(/^#\/components\/(\w+)\/(.+)$/, '#/components/$1/Events$2')
        : rename(v);
    }
    return out;
  }
  return node;
}
for (const [kind, entries] of Object.entries(events.components || {})) {
  rest.components[kind] = rest.components[kind] || {};
  for (const [name, value] of Object.entries(entries)) {
    rest.components[kind][`Events${name}`] = rename(value);
  }
}
for (const [path, ops] of Object.entries(events.paths)) {
  const mounted = rename(ops);
  // The REST document's global security (an API token) does not apply: events carry a
  // routing key in their body instead.
  for (const op of Object.values(mounted)) {
    if (op && op.responses) op.security = events.security || [];
  }
  rest.paths[`/v2${path}`] = mounted;
}

fs.writeFileSync(outPath, JSON.stringify(rest));
console.error(`prism-spec: Content-Type optional, vnd media type on ${added} responses, ` +
  `Events API at ${Object.keys(events.paths).map((p) => `/v2${p}`).join(', ')}`);
