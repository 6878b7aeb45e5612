/* What the user asked not to see: severities, unfixed, ignore files
 * (.brigignore / .trivyignore syntax) and OpenVEX statements. */
#ifndef BRIG_MATCH_FILTER_H
#define BRIG_MATCH_FILTER_H

#include <stdbool.h>
#include <time.h>

#include "core/error.h"
#include "report/finding.h"

struct brig_filter {
	bool severities[BRIG_SEV_CRITICAL + 1]; /* all false = all shown */
	bool any_severity_set;
	bool ignore_unfixed;
	char **ignored_ids; /* from ignore files, unexpired */
	size_t n_ignored;
	/* OpenVEX not_affected / fixed statements */
	struct brig_vex_stmt *vex;
	size_t n_vex;
};

/* "HIGH,CRITICAL" */
int brig_filter_set_severities(struct brig_filter *f, const char *list, struct brig_error *err);
/* .trivyignore syntax: one ID a line, '#' comments, "exp:YYYY-MM-DD"
 * after the ID; entries past their date are dropped (now = today). */
int brig_filter_load_ignorefile(struct brig_filter *f, const char *path, time_t now,
				struct brig_error *err);
int brig_filter_load_ignore_buffer(struct brig_filter *f, const char *name, const char *data,
				   time_t now, struct brig_error *err);
/* The ignore file given (--ignorefile), else whichever of .brigignore and
 * .trivyignore exist in the working directory (both optional). */
int brig_filter_load_ignores(struct brig_filter *f, const char *path, time_t now,
			     struct brig_error *err);
/* OpenVEX JSON. */
int brig_filter_load_vex(struct brig_filter *f, const char *path, struct brig_error *err);
int brig_filter_load_vex_buffer(struct brig_filter *f, const char *name, const char *data,
				size_t len, struct brig_error *err);

/* Removes filtered findings from l (keeps order). Returns how many stay. */
size_t brig_filter_apply(const struct brig_filter *f, struct brig_finding_list *l);
void brig_filter_free(struct brig_filter *f);

#endif
