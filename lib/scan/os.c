/* OS identification from os-release(5), etc/alpine-release and
 * etc/debian_version. */
#include <stdlib.h>
#include <string.h>

#include "core/path.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "scan/analyzer.h"
#include "scan/scan_internal.h"

#define OSR_ETC "etc/os-release"
#define OSR_USR "usr/lib/os-release"
#define ALPINE_RELEASE "etc/alpine-release"
#define DEBIAN_VERSION "etc/debian_version"

static bool os_wants(const char *path)
{
	return strcmp(path, OSR_ETC) == 0 || strcmp(path, OSR_USR) == 0 ||
	       strcmp(path, ALPINE_RELEASE) == 0 || strcmp(path, DEBIAN_VERSION) == 0;
}

static bool in_set(char c, const char *set, size_t n)
{
	return memchr(set, c, n) != NULL;
}

/* One os-release value as the shell would read it: double quotes allow
 * \" \\ \$ \` escapes, single quotes are literal, an unquoted backslash
 * escapes the next character, unquoted whitespace ends the value. The
 * result is never longer than the input. */
static char *osr_unquote(struct brig_scan_span v)
{
	char *out = brig_xmalloc(v.n + 1);
	size_t o = 0, i = 0;
	char q = 0;

	while (i < v.n) {
		char c = v.s[i++];

		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				out[o++] = c;
		} else if (c == '\\' && i < v.n && (!q || in_set(v.s[i], "\"\\$`", 4))) {
			out[o++] = v.s[i++];
		} else if (q == '"') {
			if (c == '"')
				q = 0;
			else
				out[o++] = c;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == ' ' || c == '\t') {
			break;
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	brig_sanitize_inplace(out);
	if (!out[0]) {
		free(out);
		return NULL;
	}
	return out;
}

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static char **osr_slot(struct brig_os *os, struct brig_scan_span key)
{
	if (brig_scan_span_eq(key, "ID"))
		return &os->family;
	if (brig_scan_span_eq(key, "VERSION_ID"))
		return &os->version_id;
	if (brig_scan_span_eq(key, "VERSION_CODENAME"))
		return &os->codename;
	if (brig_scan_span_eq(key, "PRETTY_NAME"))
		return &os->pretty_name;
	return NULL;
}

/* KEY=value; anything else (comments, junk) is skipped. A repeated key
 * takes the last value, as sourcing the file in a shell would. */
static void osr_line(struct brig_os *os, struct brig_scan_span line)
{
	struct brig_scan_span key, val;
	char **slot;
	size_t i = 0;

	brig_scan_span_trim(&line);
	while (i < line.n && is_key_char(line.s[i]))
		i++;
	if (i == 0 || i >= line.n || line.s[i] != '=')
		return;
	key = (struct brig_scan_span){line.s, i};
	val = (struct brig_scan_span){line.s + i + 1, line.n - i - 1};
	slot = osr_slot(os, key);
	if (!slot)
		return;
	free(*slot);
	*slot = osr_unquote(val);
}

static void lowercase(char *s)
{
	for (; s && *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

static void parse_os_release(struct brig_os *os, const char *data, size_t len)
{
	struct brig_scan_lines it;
	struct brig_scan_span line;

	brig_scan_lines_init(&it, data, len);
	while (brig_scan_lines_next(&it, &line))
		osr_line(os, line);
	/* ID is lowercase by the spec; normalize so "Debian" still matches. */
	lowercase(os->family);
}

/* alpine-release / debian_version: the first line, trimmed. */
static void parse_release_file(struct brig_os *os, const char *family, const char *data,
			       size_t len)
{
	struct brig_scan_lines it;
	struct brig_scan_span line = {data, 0};

	os->family = brig_xstrdup(family);
	brig_scan_lines_init(&it, data, len);
	if (!brig_scan_lines_next(&it, &line))
		return;
	brig_scan_span_trim(&line);
	if (line.n) {
		os->name = brig_scan_span_dup(line);
		if (!os->name[0]) {
			free(os->name);
			os->name = NULL;
		}
	}
}

static int os_analyze(const char *path, const char *data, size_t len, struct brig_file_fact *fact,
		      struct brig_error *err)
{
	const char *base = brig_path_base(path);

	(void)err;
	fact->kind = BRIG_FACT_OS;
	if (strcmp(base, "alpine-release") == 0)
		parse_release_file(&fact->os, "alpine", data, len);
	else if (strcmp(base, "debian_version") == 0)
		parse_release_file(&fact->os, "debian", data, len);
	else
		parse_os_release(&fact->os, data, len);
	return 0;
}

const struct brig_analyzer brig_analyzer_os = {
	.name = "os-release",
	.version = 1,
	.wants = os_wants,
	.analyze = os_analyze,
};

/* --- resolution -------------------------------------------------------- */

static const struct brig_os *find_os(const struct brig_file_fact *const *facts, size_t n,
				     const char *path)
{
	for (size_t i = 0; i < n; i++) {
		const struct brig_file_fact *f = facts[i];

		if (f && f->kind == BRIG_FACT_OS && f->path && strcmp(f->path, path) == 0)
			return &f->os;
	}
	return NULL;
}

static bool family_is(const char *family, const char *want)
{
	return family && strcmp(family, want) == 0;
}

static const char *release_name(const struct brig_os *rel, const char *family, const char *want)
{
	return rel && family_is(family, want) && rel->name ? rel->name : NULL;
}

/* out is overwritten, not freed. Without any os-release the release files
 * alone still identify the family (e.g. a stripped-down image). */
void brig_os_detect(struct brig_os *out, const struct brig_file_fact *const *facts, size_t n)
{
	const struct brig_os *etc = find_os(facts, n, OSR_ETC);
	const struct brig_os *usr = find_os(facts, n, OSR_USR);
	const struct brig_os *alpine = find_os(facts, n, ALPINE_RELEASE);
	const struct brig_os *debian = find_os(facts, n, DEBIAN_VERSION);
	const struct brig_os *osr = etc ? etc : usr;
	const char *family = NULL, *name;

	memset(out, 0, sizeof(*out));
	/* An etc/os-release without ID says nothing; don't let it hide a
	 * usable usr/lib/os-release. */
	if (etc && !etc->family && usr && usr->family)
		osr = usr;
	if (osr && osr->family)
		family = osr->family;
	else if (alpine)
		family = "alpine";
	else if (debian)
		family = "debian";
	if (!family)
		return;
	if (osr)
		brig_os_copy(out, osr);
	free(out->family);
	out->family = brig_xstrdup(family);
	name = release_name(alpine, family, "alpine");
	if (!name)
		name = release_name(debian, family, "debian");
	if (!name)
		name = out->version_id;
	free(out->name);
	out->name = name ? brig_xstrdup(name) : NULL;
}
