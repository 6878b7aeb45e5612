/* Private to lib/report: the result model every writer shares, and text
 * helpers. Writers never group or order findings themselves, so the same
 * scan reads the same in every format. */
#ifndef BRIG_REPORT_REPORT_INT_H
#define BRIG_REPORT_REPORT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "report/report.h"

/* Where the tool documents itself (SARIF tool.driver.informationUri). */
#ifndef BRIG_INFORMATION_URI
/* No public home yet: SPDX namespaces follow SPDX's own convention for
 * documents without one. */
#define BRIG_INFORMATION_URI "https://spdx.org/spdxdocs/brig"
#endif

/* Result classes, in output order. */
enum brig_rpt_class {
	BRIG_RPT_OS,	  /* "os-pkgs" */
	BRIG_RPT_LANG,	  /* "lang-pkgs" */
	BRIG_RPT_CONFIG,  /* "config" */
	BRIG_RPT_RUNTIME, /* "runtime" */
	BRIG_RPT_SECRET,  /* "secret" */
};

/* Borrowed pointers, grown with BRIG_GROW. */
struct brig_rpt_vec {
	const void **items;
	size_t n;
	size_t cap;
};

/* One Results[] entry. */
struct brig_rpt_result {
	enum brig_rpt_class cls;
	char *target;	  /* owned */
	const char *type; /* borrowed; NULL when unknown */
	bool node_modules; /* the "Node.js" result: first among lang results */
	struct brig_rpt_vec pkgs;     /* const struct brig_package * */
	struct brig_rpt_vec vulns;    /* const struct brig_finding * */
	struct brig_rpt_vec misconfs; /* MISCONFIG and RUNTIME findings */
	struct brig_rpt_vec secrets;
};

struct brig_rpt {
	const struct brig_report_input *in;
	char created[32]; /* UTC "YYYY-MM-DDThh:mm:ssZ" */
	struct brig_rpt_result *results;
	size_t n_results;
	size_t cap_results;
	size_t last_hit; /* inventories come in runs of one file: lookup cache */
};

/* results.c */
int brig_rpt_build(struct brig_rpt *r, const struct brig_report_input *in, struct brig_error *err);
void brig_rpt_free(struct brig_rpt *r);
const char *brig_rpt_class_name(enum brig_rpt_class c);
const char *brig_rpt_pkg_type_name(enum brig_pkg_type t);

/* text.c */
/* Length of the valid UTF-8 sequence at s (1..4) with its code point, or 0
 * when the byte at s starts no valid sequence (overlong forms, surrogates
 * and values past U+10FFFF included: they are how filters get bypassed;
 * jansson's json_string refuses the same set). A NUL ends any sequence. */
size_t brig_rpt_utf8_next(const unsigned char *s, uint32_t *cp);
/* No byte of s starts an invalid sequence: jansson would take s as it is. */
bool brig_rpt_utf8_valid(const char *s);
/* A valid-UTF-8 copy of s; each invalid byte becomes `repl`. Never NULL. */
char *brig_rpt_utf8_repair(const char *s, const char *repl);
/* A copy safe for a terminal: tabs/newlines become spaces, other C0/C1
 * controls, DEL, bidi overrides and invalid UTF-8 become '?'. */
char *brig_rpt_term_clean(const char *s);
/* Columns s takes on a terminal (approximate wcwidth over UTF-8). */
size_t brig_rpt_display_width(const char *s);
/* A copy of s cut to at most max columns, ending in "…" when cut. */
char *brig_rpt_truncate(const char *s, size_t max);
/* json_string that survives invalid UTF-8 (U+FFFD) and NULL (""). */
json_t *brig_rpt_jstr(const char *s);
/* Sets key to s unless s is NULL or empty (Go's omitempty). */
void brig_rpt_jset_str(json_t *obj, const char *key, const char *s);
json_t *brig_rpt_jstr_array(const char *const *v, size_t n);
/* Lowercase RFC 4122 version-4 UUID from the kernel's CSPRNG. */
int brig_rpt_uuid4(char out[37], struct brig_error *err);
/* RFC 3339 input (any offset, optional fraction) or NULL for now, to UTC
 * "YYYY-MM-DDThh:mm:ssZ". */
int brig_rpt_timestamp(const char *in, char out[32], struct brig_error *err);
/* Percent-encodes all but unreserved characters and '/'. */
char *brig_rpt_uri_path(const char *s);
/* Repository path of an image reference, as Docker normalises it:
 * "alpine:3.18" -> "library/alpine", "ghcr.io/o/i:1@sha256:.." -> "o/i".
 * *domain (when asked) gets the registry, or NULL for Docker Hub. */
char *brig_rpt_image_path(const char *ref, char **domain);
/* "sha256:0123456789abcdef..." -> "0123456789ab"; "-" when NULL. */
void brig_rpt_short_digest(const char *d, char out[13]);
/* Dumps doc (indent 2, fixed key order) plus a newline; checks the stream.
 * report/jsonw.h writes the same bytes without a tree. */
int brig_rpt_dump(FILE *out, json_t *doc, struct brig_error *err);

/* license.c */
/* Canonical spelling of a known SPDX licence id (case-insensitive), or NULL. */
const char *brig_rpt_spdx_license_id(const char *s);
/* A canonical SPDX expression (known ids, LicenseRef-, AND/OR/WITH, parens),
 * or NULL when s is not one. Caller frees. */
char *brig_rpt_spdx_expression(const char *s);

/* one writer per format */
int brig_rpt_write_json(FILE *out, const struct brig_rpt *r, struct brig_error *err);
int brig_rpt_write_table(FILE *out, const struct brig_rpt *r, struct brig_error *err);
int brig_rpt_write_cyclonedx(FILE *out, const struct brig_rpt *r, struct brig_error *err);
int brig_rpt_write_spdx(FILE *out, const struct brig_rpt *r, struct brig_error *err);
int brig_rpt_write_sarif(FILE *out, const struct brig_rpt *r, struct brig_error *err);

static inline void brig_rpt_json_decrefp(json_t **j)
{
	json_decref(*j);
}
#define _cleanup_json_ __attribute__((cleanup(brig_rpt_json_decrefp)))

/* severity counts indexed by enum brig_severity */
void brig_rpt_count_severities(const struct brig_rpt_vec *findings, size_t counts[5]);

#endif
