#include "report/finding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

struct brig_finding *brig_finding_list_add(struct brig_finding_list *l)
{
	struct brig_finding *f;

	BRIG_GROW(l->items, l->cap, l->n + 1);
	f = &l->items[l->n++];
	/* brig_grow zeroes fresh capacity, but a slot may be reused after a
	 * caller shrank n: a finding always starts empty. */
	memset(f, 0, sizeof(*f));
	return f;
}

static void text_size(const char *s, size_t *total)
{
	if (s && !brig_add_ok(*total, strlen(s) + 1, total))
		*total = SIZE_MAX; /* brig_xmalloc reports the OOM */
}

/* the copy of s at *at, or NULL */
static char *text_put(char **at, const char *s)
{
	char *d = *at;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(d, s, n);
	*at += n;
	return d;
}

void brig_finding_set_text(struct brig_finding *f, const struct brig_finding_text *t)
{
	const char *const src[] = {t->id,     t->title,	  t->description, t->fix,
				   t->target, t->file_path, t->message,	   t->target_type};
	char **const dst[] = {&f->id,	  &f->title,	 &f->description, &f->fix,
			      &f->target, &f->file_path, &f->message,	  &f->target_type};
	/* src[0..3] are the rule's texts; file_path is mostly the target */
	enum { N_RULE_TEXTS = 4, I_TARGET = 4, I_FILE_PATH = 5 };
	size_t total, n_lines = t->n_code_lines;
	bool same_path = t->target && t->file_path && strcmp(t->target, t->file_path) == 0;
	char *at;

	if (!brig_mul_ok(n_lines, sizeof(char *), &total))
		total = SIZE_MAX;
	for (size_t i = t->static_rule_texts ? N_RULE_TEXTS : 0; i < sizeof(src) / sizeof(src[0]); i++)
		if (!(i == I_FILE_PATH && same_path))
			text_size(src[i], &total);
	for (size_t i = 0; i < n_lines; i++)
		text_size(t->code_lines[i], &total);
	f->text_ = brig_xmalloc(total ? total : 1);
	/* the pointer array first: the block is malloc-aligned */
	f->code_lines = n_lines ? f->text_ : NULL;
	f->n_code_lines = n_lines;
	at = (char *)f->text_ + n_lines * sizeof(char *);
	for (size_t i = 0; i < n_lines; i++)
		f->code_lines[i] = text_put(&at, t->code_lines[i]);
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
		*dst[i] = t->static_rule_texts && i < N_RULE_TEXTS ? (char *)src[i]
			  : i == I_FILE_PATH && same_path	     ? *dst[I_TARGET]
							     : text_put(&at, src[i]);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void brig_finding_free(struct brig_finding *f)
{
	if (!f)
		return;
	if (f->text_) {
		free(f->text_);
	} else {
		free(f->id);
		free(f->title);
		free(f->description);
		free(f->target);
		free(f->file_path);
		free_strv(f->code_lines, f->n_code_lines);
		free(f->message);
		free(f->fix);
		free(f->target_type);
	}
	free_strv(f->references, f->n_references);
	free(f->status);
	free(f->severity_source);
	free(f->primary_url);
	free_strv(f->vendor_ids, f->n_vendor_ids);
	free(f->cvss_vector);
	free(f->source);
	memset(f, 0, sizeof(*f));
}

void brig_finding_list_free(struct brig_finding_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		brig_finding_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

static const char *const severity_names[] = {
	[BRIG_SEV_UNKNOWN] = "UNKNOWN", [BRIG_SEV_LOW] = "LOW",
	[BRIG_SEV_MEDIUM] = "MEDIUM",	[BRIG_SEV_HIGH] = "HIGH",
	[BRIG_SEV_CRITICAL] = "CRITICAL",
};

const char *brig_severity_name(enum brig_severity s)
{
	/* A corrupted value must still print as something a reader can act on. */
	if ((unsigned)s >= sizeof(severity_names) / sizeof(severity_names[0]))
		return "UNKNOWN";
	return severity_names[s];
}

int brig_severity_parse(const char *s, enum brig_severity *out)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]); i++) {
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (enum brig_severity)i;
			return 0;
		}
	}
	/* GitHub advisories (and so npm audit) say MODERATE. */
	if (strcasecmp(s, "MODERATE") == 0) {
		*out = BRIG_SEV_MEDIUM;
		return 0;
	}
	return -1;
}
