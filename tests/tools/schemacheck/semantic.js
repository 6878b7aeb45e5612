// usage: node semantic.js sarif|cdx|spdx DOC
// Checks the JSON schemas cannot express: GitHub's SARIF ingestion rules
// (shared/data/schemas/VALIDATE.md) and reference integrity in the SBOMs.
// exit 0 ok, 1 problems (listed on stderr).
"use strict";
const fs = require("fs");
const [kind, docPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docPath, "utf8"));
const errs = [];
// messages quote names from the image: no terminal escapes get through
const need = (cond, msg) => { if (!cond) errs.push(msg.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?")); };
const nonEmpty = (s) => typeof s === "string" && s.length > 0;

function sarif() {
  need(doc.version === "2.1.0", "version must be 2.1.0");
  need(nonEmpty(doc.$schema), "$schema missing");
  need(Array.isArray(doc.runs) && doc.runs.length >= 1 && doc.runs.length <= 20, "1..20 runs");
  (doc.runs || []).forEach((run, ri) => {
    const d = run.tool && run.tool.driver;
    need(d && nonEmpty(d.name), `run ${ri}: tool.driver.name`);
    need(d && Array.isArray(d.rules), `run ${ri}: tool.driver.rules[] required`);
    const rules = (d && d.rules) || [];
    const ids = new Set();
    rules.forEach((r, i) => {
      const at = `run ${ri} rule ${i} (${r.id})`;
      need(nonEmpty(r.id), `${at}: id`);
      need(!ids.has(r.id), `${at}: duplicate id`);
      ids.add(r.id);
      need(!r.name || r.name.length <= 255, `${at}: name > 255 chars`);
      for (const k of ["shortDescription", "fullDescription"]) {
        need(r[k] && nonEmpty(r[k].text), `${at}: ${k}.text empty`);
        need(!r[k] || !r[k].text || r[k].text.length <= 1024, `${at}: ${k}.text > 1024 chars`);
      }
      need(r.help && nonEmpty(r.help.text), `${at}: help.text empty`);
      const p = r.properties || {};
      const sev = Number(p["security-severity"]);
      need(typeof p["security-severity"] === "string" && sev >= 0.1 && sev <= 10,
           `${at}: security-severity must be a string 0.1..10`);
      need(Array.isArray(p.tags) && p.tags.includes("security") && p.tags.length <= 20,
           `${at}: tags must include "security" (max 20)`);
      const lvl = r.defaultConfiguration && r.defaultConfiguration.level;
      need(!lvl || ["note", "warning", "error"].includes(lvl), `${at}: level ${lvl}`);
    });
    need((run.results || []).length <= 25000, `run ${ri}: more than 25000 results`);
    (run.results || []).forEach((res, i) => {
      const at = `run ${ri} result ${i}`;
      need(ids.has(res.ruleId), `${at}: ruleId ${res.ruleId} not in rules`);
      if (res.ruleIndex !== undefined)
        need(rules[res.ruleIndex] && rules[res.ruleIndex].id === res.ruleId, `${at}: ruleIndex mismatch`);
      need(res.message && nonEmpty(res.message.text), `${at}: message.text empty`);
      need(["note", "warning", "error"].includes(res.level), `${at}: level ${res.level}`);
      const locs = res.locations || [];
      need(locs.length >= 1 && locs.length <= 1000, `${at}: 1..1000 locations`);
      const pl = locs[0] && locs[0].physicalLocation;
      need(pl && pl.artifactLocation && nonEmpty(pl.artifactLocation.uri), `${at}: location uri`);
      need(pl && pl.artifactLocation && !/^[a-z][a-z0-9+.-]*:/i.test(pl.artifactLocation.uri || ""),
           `${at}: uri should be repository-relative`);
      need(pl && pl.region && pl.region.startLine >= 1, `${at}: region.startLine >= 1`);
    });
  });
}

function cdx() {
  const refs = new Set();
  const addRef = (r, at) => {
    need(nonEmpty(r), `${at}: bom-ref missing`);
    need(!refs.has(r), `${at}: duplicate bom-ref ${r}`);
    refs.add(r);
  };
  const meta = doc.metadata || {};
  need(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(doc.serialNumber || ""),
       "serialNumber must be a lowercase RFC 4122 urn:uuid");
  need(nonEmpty(meta.timestamp), "metadata.timestamp");
  if (meta.component) addRef(meta.component["bom-ref"], "metadata.component");
  (doc.components || []).forEach((c, i) => addRef(c["bom-ref"], `component ${i} (${c.name})`));
  (doc.dependencies || []).forEach((d, i) => {
    need(refs.has(d.ref), `dependency ${i}: unknown ref ${d.ref}`);
    (d.dependsOn || []).forEach((r) => need(refs.has(r), `dependency ${i}: unknown dependsOn ${r}`));
  });
  (doc.vulnerabilities || []).forEach((v, i) => {
    (v.affects || []).forEach((a) => need(refs.has(a.ref), `vulnerability ${i} (${v.id}): unknown ref ${a.ref}`));
  });
}

function spdx() {
  const ids = new Set(["SPDXRef-DOCUMENT"]);
  need(doc.SPDXID === "SPDXRef-DOCUMENT", "SPDXID must be SPDXRef-DOCUMENT");
  need(/^[a-z][a-z0-9+.-]*:\/\/[^#]+$/i.test(doc.documentNamespace || ""), "documentNamespace: absolute URI without #");
  need(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test((doc.creationInfo || {}).created || ""), "created: YYYY-MM-DDThh:mm:ssZ");
  (doc.packages || []).forEach((p, i) => {
    need(/^SPDXRef-[A-Za-z0-9.-]+$/.test(p.SPDXID || ""), `package ${i}: bad SPDXID ${p.SPDXID}`);
    need(!ids.has(p.SPDXID), `package ${i}: duplicate SPDXID ${p.SPDXID}`);
    ids.add(p.SPDXID);
    (p.externalRefs || []).forEach((r) => need(!/\s/.test(r.referenceLocator), `package ${i}: locator has spaces`));
  });
  let describes = 0;
  (doc.relationships || []).forEach((r, i) => {
    need(ids.has(r.spdxElementId), `relationship ${i}: unknown ${r.spdxElementId}`);
    need(ids.has(r.relatedSpdxElement), `relationship ${i}: unknown ${r.relatedSpdxElement}`);
    if (r.relationshipType === "DESCRIBES" && r.spdxElementId === "SPDXRef-DOCUMENT") describes++;
  });
  need(describes >= 1 || (doc.documentDescribes || []).length >= 1, "document DESCRIBES nothing");
}

({ sarif, cdx, spdx }[kind] || (() => { console.error("unknown kind " + kind); process.exit(2); }))();
if (errs.length) {
  console.error(docPath + " semantically invalid (" + kind + ")\n" + errs.slice(0, 50).join("\n"));
  process.exit(1);
}
console.log(docPath + " semantics ok (" + kind + ")");
