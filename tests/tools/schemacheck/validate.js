// usage: node validate.js SCHEMA DOC [REF...]   (refs only for CycloneDX)
// exit 0 valid, 1 invalid, 2 schema error (shared/data/schemas/VALIDATE.md).
const fs = require("fs");
const [schemaPath, docPath, ...refs] = process.argv.slice(2);
const load = (p) => JSON.parse(fs.readFileSync(p, "utf8"));
const schema = load(schemaPath), d = String(schema.$schema || "");
const Ajv = d.includes("draft-04") ? require("ajv-draft-04") : d.includes("2020-12") ? require("ajv/dist/2020")
          : d.includes("2019-09") ? require("ajv/dist/2019") : require("ajv");
const ajv = new (Ajv.default || Ajv)({ allErrors: true });   // do NOT pass strict:true (strictRequired trips on SARIF)
require("./ajv-extras.js")(ajv);
let v;
try { refs.forEach((r) => ajv.addSchema(load(r))); v = ajv.compile(schema); }
catch (e) { console.error("schema error: " + e.message); process.exit(2); }
if (v(load(docPath))) { console.log(docPath + " valid"); process.exit(0); }
console.error(docPath + " invalid\n" + ajv.errorsText(v.errors, { separator: "\n" })); process.exit(1);
