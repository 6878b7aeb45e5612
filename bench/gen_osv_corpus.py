#!/usr/bin/env python3
"""Generate a synthetic OSV corpus for bench/bench_db.sh.

The records imitate what osv.dev serves for the ecosystems brig imports:
GitHub-reviewed npm advisories (GHSA ids, CVE aliases, CVSS v3 vectors,
several ranges, many references, database_specific severity/CWEs), Debian
records (DEBIAN-CVE ids, upstream CVE, one affected entry per release with
an explicit versions list and ecosystem_specific urgency) and Alpine
records (ALPINE-CVE ids, one fixed version per branch). Output is a zip laid
out like osv.dev's all.zip (flat <ID>.json entries) or a directory.

Deterministic for a given --seed, so timings compare across runs.
"""
import argparse
import json
import os
import random
import zipfile

WORDS = ("buffer overflow heap use after free integer prototype pollution denial of "
         "service regular expression path traversal command injection cross site "
         "scripting request smuggling out of bounds read write null pointer "
         "dereference memory leak improper validation allows remote attackers to "
         "execute arbitrary code via crafted input in the parser when handling").split()
NPM = ["lodash", "minimist", "express", "axios", "node-fetch", "jsonwebtoken", "handlebars",
       "ws", "qs", "semver", "debug", "moment", "underscore", "tar", "glob", "yargs-parser",
       "ejs", "pug", "marked", "serialize-javascript"]
DEB = ["glibc", "openssl", "zlib", "curl", "apt", "tar", "coreutils", "util-linux", "systemd",
       "bash", "perl", "python3.11", "libxml2", "expat", "sqlite3", "gnutls28", "krb5",
       "e2fsprogs", "shadow", "pam", "ncurses", "libgcrypt20", "gzip", "xz-utils"]
APK = ["busybox", "openssl", "musl", "zlib", "apk-tools", "curl", "libxml2", "expat",
       "sqlite", "ncurses", "libcrypto3", "pcre2", "xz", "gnutls", "krb5"]
URGENCY = ["unimportant", "low", "medium", "high", "not yet assigned"]
GH_SEV = ["LOW", "MODERATE", "HIGH", "CRITICAL"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def cvss3(rng):
    m = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"),
         ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
    return "CVSS:3.1/" + "/".join(f"{k}:{rng.choice(v)}" for k, v in m)


def semver(rng):
    return f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}"


def refs(rng, cve, n):
    out = [{"type": "ADVISORY", "url": f"https://nvd.nist.gov/vuln/detail/{cve}"}]
    for i in range(n):
        out.append({"type": rng.choice(["WEB", "FIX", "PACKAGE", "REPORT"]),
                    "url": f"https://example.org/{cve.lower()}/{i}/{rng.getrandbits(32):08x}"})
    return out


GHSA_ALPHABET = "23456789cfghjmpqrvwx"


def ghsa_id(i):
    """A unique GHSA-xxxx-xxxx-xxxx for each i, in GitHub's alphabet."""
    n = i * 7919 + 104729  # spread consecutive records over the id space
    chars = []
    for _ in range(12):
        n, d = divmod(n, len(GHSA_ALPHABET))
        chars.append(GHSA_ALPHABET[d])
    s = "".join(chars)
    return f"GHSA-{s[0:4]}-{s[4:8]}-{s[8:12]}"


def npm_record(rng, i, cve):
    ghsa = ghsa_id(i)
    pkg = rng.choice(NPM) + ("" if rng.random() < 0.02 else f"-{rng.randint(1, 5000)}")
    affected = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        intro, fixed = semver(rng), semver(rng)
        affected.append({
            "package": {"ecosystem": "npm", "name": pkg},
            "ranges": [{"type": "ECOSYSTEM",
                        "events": [{"introduced": rng.choice(["0", intro])}, {"fixed": fixed}]}],
            "database_specific": {"source": f"https://github.com/github/advisory-database/{ghsa}"},
        })
    return ghsa, {
        "schema_version": "1.4.0", "id": ghsa, "modified": "2024-01-02T03:04:05Z",
        "published": "2023-05-06T07:08:09Z", "aliases": [cve],
        "summary": words(rng, 6), "details": words(rng, rng.randint(30, 120)),
        "severity": [{"type": "CVSS_V3", "score": cvss3(rng)}],
        "affected": affected, "references": refs(rng, cve, rng.randint(3, 15)),
        "database_specific": {"cwe_ids": [f"CWE-{rng.randint(20, 1300)}"],
                              "severity": rng.choice(GH_SEV), "github_reviewed": True,
                              "nvd_published_at": None},
    }


def debian_record(rng, i, cve):
    pkg = rng.choice(DEB) + ("" if rng.random() < 0.05 else f"{rng.randint(1, 3000)}")
    affected = []
    for rel in ("11", "12", "13"):
        if rng.random() < 0.25:
            continue
        base = f"{rng.randint(1, 9)}.{rng.randint(0, 20)}"
        events = [{"introduced": "0"}]
        if rng.random() < 0.7:
            events.append({"fixed": f"{base}-{rng.randint(1, 9)}+deb{rel}u{rng.randint(1, 5)}"})
        entry = {
            "package": {"ecosystem": f"Debian:{rel}", "name": pkg,
                        "purl": f"pkg:deb/debian/{pkg}?arch=source"},
            "ranges": [{"type": "ECOSYSTEM", "events": events}],
            "ecosystem_specific": {"urgency": rng.choice(URGENCY)},
        }
        if rng.random() < 0.6:
            entry["versions"] = [f"{base}-{k}" for k in range(1, rng.randint(3, 25))]
        affected.append(entry)
    if not affected:
        affected.append({"package": {"ecosystem": "Debian:12", "name": pkg},
                         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]})
    rid = f"DEBIAN-{cve}"
    return rid, {
        "schema_version": "1.6.0", "id": rid, "modified": "2024-01-02T03:04:05Z",
        "upstream": [cve], "details": words(rng, rng.randint(20, 80)), "affected": affected,
        "references": [{"type": "ADVISORY",
                        "url": f"https://security-tracker.debian.org/tracker/{cve}"}],
    }


def alpine_record(rng, i, cve):
    pkg = rng.choice(APK) + ("" if rng.random() < 0.05 else f"{rng.randint(1, 2000)}")
    affected = []
    for br in ("v3.16", "v3.17", "v3.18", "v3.19", "v3.20"):
        if rng.random() < 0.4:
            continue
        affected.append({
            "package": {"ecosystem": f"Alpine:{br}", "name": pkg,
                        "purl": f"pkg:apk/alpine/{pkg}?arch=source"},
            "ranges": [{"type": "ECOSYSTEM", "events": [
                {"introduced": "0"}, {"fixed": f"{semver(rng)}-r{rng.randint(0, 12)}"}]}],
        })
    if not affected:
        affected.append({"package": {"ecosystem": "Alpine:v3.18", "name": pkg},
                         "ranges": [{"type": "ECOSYSTEM", "events": [
                             {"introduced": "0"}, {"fixed": "1.0.0-r0"}]}]})
    rid = f"ALPINE-{cve}"
    return rid, {
        "schema_version": "1.6.0", "id": rid, "modified": "2024-01-02T03:04:05Z",
        "upstream": [cve], "details": words(rng, 12), "affected": affected,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--out", required=True, help="NAME.zip, or a directory")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    as_zip = args.out.endswith(".zip")
    if as_zip:
        tmp = args.out + ".part"
        z = zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
    else:
        os.makedirs(args.out, exist_ok=True)
    kinds = {"npm": 0, "debian": 0, "alpine": 0}
    for i in range(args.count):
        cve = f"CVE-{2000 + i % 25}-{10000 + i}"
        r = rng.random()
        if r < 0.40:
            rid, rec = npm_record(rng, i, cve)
            kinds["npm"] += 1
        elif r < 0.75:
            rid, rec = debian_record(rng, i, cve)
            kinds["debian"] += 1
        else:
            rid, rec = alpine_record(rng, i, cve)
            kinds["alpine"] += 1
        text = json.dumps(rec, indent=2)
        if as_zip:
            z.writestr(f"{rid}.json", text)
        else:
            with open(os.path.join(args.out, f"{rid}.json"), "w") as f:
                f.write(text)
    if as_zip:
        z.close()
        os.replace(tmp, args.out)
    print(f"{args.count} records ({kinds['npm']} npm, {kinds['debian']} Debian, "
          f"{kinds['alpine']} Alpine) -> {args.out}")


if __name__ == "__main__":
    main()
