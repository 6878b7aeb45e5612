/* One finding model for every kind: vulnerabilities, misconfigurations,
 * secrets and runtime problems. Every reporter consumes only this. */
#ifndef BRIG_REPORT_FINDING_H
#define BRIG_REPORT_FINDING_H

#include <stdbool.h>
#include <stddef.h>

enum brig_severity {
	BRIG_SEV_UNKNOWN,
	BRIG_SEV_LOW,
	BRIG_SEV_MEDIUM,
	BRIG_SEV_HIGH,
	BRIG_SEV_CRITICAL,
};

enum brig_finding_kind {
	BRIG_FINDING_VULNERABILITY,
	BRIG_FINDING_MISCONFIG,
	BRIG_FINDING_SECRET,
	BRIG_FINDING_RUNTIME,
};

struct brig_finding {
	enum brig_finding_kind kind;
	char *id;	/* CVE-2023-1234, BRIG-DF-001 */
	enum brig_severity severity;
	char *title;
	char *description;
	char *target;	/* Results[].Target it belongs to */
	/* location */
	char *file_path;
	int start_line; /* 0 when not applicable */
	int end_line;
	char **code_lines; /* offending lines (misconfig) */
	size_t n_code_lines;
	char *message;
	char *fix;	/* Resolution / FixedVersion */
	char **references;
	size_t n_references;
	/* vulnerability specifics (NULL otherwise) */
	const struct brig_package *pkg; /* borrowed from the inventory */
	char *status;	   /* fixed, affected, will_not_fix, fix_deferred, end_of_life */
	char *severity_source;
	char *primary_url;
	char **vendor_ids;
	size_t n_vendor_ids;
	double cvss_score; /* 0 when unknown */
	char *cvss_vector;
	char *source; /* runtime: "api" or "proc" */
	/* Results[].Type of the target (misconfig/runtime/secret): "dockerfile",
	 * "docker-compose", "docker"...; NULL when unknown. */
	char *target_type;
	/* private: when set, the one block holding target, file_path,
	 * code_lines, message, target_type, and id, title, description and fix
	 * unless they are static (brig_finding_set_text) */
	void *text_;
};

struct brig_finding_list {
	struct brig_finding *items;
	size_t n;
	size_t cap;
};

struct brig_finding *brig_finding_list_add(struct brig_finding_list *l);
void brig_finding_list_free(struct brig_finding_list *l);
/* Frees what f owns (not f itself; pkg is borrowed) and zeroes it. */
void brig_finding_free(struct brig_finding *f);

/* The texts of a finding, copied by brig_finding_set_text. */
struct brig_finding_text {
	const char *id, *title, *description, *target, *file_path, *message, *fix,
		*target_type;
	const char *const *code_lines;
	size_t n_code_lines;
	/* id, title, description and fix outlive every finding (a static rule
	 * table): they are pointed to, not copied. Nothing writes into a
	 * finding's strings. */
	bool static_rule_texts;
};
/* Sets f's text fields (all NULL before) to copies of t's, in one
 * allocation: a rule's finding is a dozen strings, and one malloc instead
 * of a dozen is most of what reporting it costs. NULLs stay NULL. */
void brig_finding_set_text(struct brig_finding *f, const struct brig_finding_text *t);

const char *brig_severity_name(enum brig_severity s); /* "CRITICAL" ... */
/* Case-insensitive; accepts "MODERATE" as MEDIUM. -1 if unknown. */
int brig_severity_parse(const char *s, enum brig_severity *out);

#endif
