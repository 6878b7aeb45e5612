/* Splits a top-level JSON object into members without building the whole
 * tree: the Debian tracker's bulk file is ~80 MiB of text, several GiB as a
 * jansson tree. Only the outer structure is scanned here (strings, escapes,
 * bracket depth, no recursion); each member value is then parsed by jansson
 * on its own, which does the real validation and its own depth limit. */
#include <errno.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/limits.h"
#include "vulndb/internal.h"

static size_t skip_ws(const char *p, size_t len, size_t i)
{
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* p[i] is '"'; returns the index after the closing quote, or 0 if the
 * string does not end. */
static size_t skip_string(const char *p, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* Returns the index just past the value starting at i, or 0 on error. */
static size_t skip_value(const char *p, size_t len, size_t i)
{
	size_t depth = 0;

	if (i >= len)
		return 0;
	if (p[i] == '"')
		return skip_string(p, len, i);
	if (p[i] != '{' && p[i] != '[') {
		/* number, true, false, null: up to a delimiter */
		while (i < len && p[i] != ',' && p[i] != '}' && p[i] != ']' && p[i] != ' ' &&
		       p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			i++;
		return i;
	}
	while (i < len) {
		char c = p[i];

		if (c == '"') {
			i = skip_string(p, len, i);
			if (!i)
				return 0;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (depth == 0)
				return 0;
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return 0;
}

int vdb_json_each_member(const char *p, size_t len, vdb_member_cb cb, void *ctx,
			 struct brig_error *err)
{
	size_t i = skip_ws(p, len, 0);
	size_t members = 0;

	if (i >= len || p[i] != '{')
		return brig_error_set(err, EINVAL, "expected a JSON object at byte %zu", i);
	i = skip_ws(p, len, i + 1);
	if (i < len && p[i] == '}')
		goto end;
	for (;;) {
		size_t kstart = i, kend, vstart, vend;
		json_error_t jerr;
		json_t *key, *value;
		int rc;

		if (i >= len || p[i] != '"')
			return brig_error_set(err, EINVAL, "expected a member name at byte %zu", i);
		kend = skip_string(p, len, i);
		if (!kend)
			return brig_error_set(err, EINVAL, "unterminated string at byte %zu", i);
		if (kend - kstart > VDB_MAX_NAME + 2)
			return brig_error_set(err, EFBIG, "member name at byte %zu is longer than %u bytes",
					      kstart, VDB_MAX_NAME);
		i = skip_ws(p, len, kend);
		if (i >= len || p[i] != ':')
			return brig_error_set(err, EINVAL, "expected ':' at byte %zu", i);
		vstart = skip_ws(p, len, i + 1);
		vend = skip_value(p, len, vstart);
		if (!vend || vend == vstart)
			return brig_error_set(err, EINVAL, "invalid or unterminated value at byte %zu",
					      vstart);
		if (vend - vstart > BRIG_MAX_JSON_DOC)
			return brig_error_set(err, EFBIG, "member at byte %zu is larger than %u bytes",
					      kstart, BRIG_MAX_JSON_DOC);
		if (++members > VDB_MAX_TRACKER_ITEMS)
			return brig_error_set(err, EFBIG, "more than %u members", VDB_MAX_TRACKER_ITEMS);
		/* the key may hold escapes: let jansson decode it */
		key = json_loadb(p + kstart, kend - kstart, JSON_DECODE_ANY, &jerr);
		if (!key)
			return brig_error_set(err, EINVAL, "invalid member name at byte %zu: %s", kstart,
					      jerr.text);
		value = json_loadb(p + vstart, vend - vstart, JSON_DECODE_ANY, &jerr);
		if (!value) {
			json_decref(key);
			return brig_error_set(err, EINVAL,
					      "invalid JSON in member at byte %zu (line %d of the member): %s",
					      vstart, jerr.line, jerr.text);
		}
		rc = cb(ctx, json_string_value(key), value, err);
		json_decref(value);
		json_decref(key);
		if (rc < 0)
			return -1;
		i = skip_ws(p, len, vend);
		if (i < len && p[i] == ',') {
			i = skip_ws(p, len, i + 1);
			continue;
		}
		if (i < len && p[i] == '}')
			break;
		return brig_error_set(err, EINVAL, "expected ',' or '}' at byte %zu", i);
	}
end:
	i = skip_ws(p, len, i + 1);
	if (i != len)
		return brig_error_set(err, EINVAL, "trailing data at byte %zu", i);
	return 0;
}
