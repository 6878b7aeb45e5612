// ajv-cli `-c` module and validate.js helper: formats and keywords the
// official schemas use that a default Ajv 8 rejects, with strict mode kept on
// (see shared/data/schemas/VALIDATE.md).
const addFormats = require("ajv-formats");
module.exports = (ajv) => {
  addFormats(ajv);
  for (const f of ["iri", "iri-reference", "idn-email", "idn-hostname"]) ajv.addFormat(f, /^\S+$/u);
  ajv.addKeyword("meta:enum");   // CycloneDX 1.6 annotation
};
