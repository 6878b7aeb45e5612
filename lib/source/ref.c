#include "source/ref.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/sanitize.h"
#include "core/sha256.h"
#include "core/xalloc.h"

/* Longer input is refused before any work: a name is at most 255 bytes,
 * a tag 128, a digest 71, plus separators. */
#define REF_MAX_INPUT 512

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool brig_ref_tag_valid(const char *tag)
{
	size_t n = strlen(tag);

	if (n == 0 || n > 128 || !is_word(tag[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_word(tag[i]) && tag[i] != '.' && tag[i] != '-')
			return false;
	return true;
}

/* [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)* -- distribution/reference's path
 * component: separators never lead, trail or repeat (except "__", "--"). */
static bool component_valid(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return false;
	while (i < n) {
		if (is_lower_alnum(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i >= n || !is_lower_alnum(s[i]))
			return false;
	}
	return true;
}

bool brig_ref_repository_valid(const char *repo)
{
	const char *p = repo;

	if (!*repo || strlen(repo) > BRIG_REF_MAX_NAME)
		return false;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (!component_valid(p, n))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

static bool host_label_valid(const char *s, size_t n)
{
	if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

static bool port_valid(const char *s, size_t n)
{
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* host[:port] where host is dot-separated labels or a bracketed IPv6. */
static bool domain_valid(const char *d)
{
	size_t n = strlen(d), host_len;
	const char *colon;

	if (n == 0 || n > 253 + 6)
		return false;
	if (d[0] == '[') {
		const char *close = strchr(d, ']');

		if (!close || close == d + 1)
			return false;
		for (const char *p = d + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return false;
		if (!close[1])
			return true;
		return close[1] == ':' && port_valid(close + 2, strlen(close + 2));
	}
	colon = strchr(d, ':');
	host_len = colon ? (size_t)(colon - d) : n;
	if (colon && !port_valid(colon + 1, n - host_len - 1))
		return false;
	if (host_len == 0 || d[0] == '.' || d[host_len - 1] == '.')
		return false;
	for (size_t i = 0; i < host_len;) {
		size_t l = 0;

		while (i + l < host_len && d[i + l] != '.')
			l++;
		if (!host_label_valid(d + i, l))
			return false;
		i += l + 1;
	}
	return true;
}

static bool looks_like_domain(const char *s, size_t n)
{
	if (n == 9 && memcmp(s, "localhost", 9) == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' || s[i] == ':' || (s[i] >= 'A' && s[i] <= 'Z'))
			return true;
	return false;
}

static int ref_error(struct brig_error *err, const char *input, const char *why)
{
	char shown[80];

	snprintf(shown, sizeof(shown), "%s", input);
	brig_sanitize_inplace(shown);
	return brig_error_set(err, EINVAL, "invalid image reference \"%s%s\": %s", shown,
			      strlen(input) >= sizeof(shown) ? "..." : "", why);
}

int brig_image_ref_parse(const char *s, struct brig_image_ref *out, struct brig_error *err)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_free_ char *tag = NULL;
	_cleanup_free_ char *digest = NULL;
	_cleanup_free_ char *domain = NULL;
	_cleanup_free_ char *repo = NULL;
	const char *at, *slash, *colon, *rest;
	size_t n;

	memset(out, 0, sizeof(*out));
	n = strnlen(s, REF_MAX_INPUT + 1);
	if (n == 0)
		return ref_error(err, s, "empty");
	if (n > REF_MAX_INPUT)
		return ref_error(err, s, "too long");
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]))
			return ref_error(err, s, "contains a space or control character");
	if (strstr(s, "://"))
		return ref_error(err, s, "a reference has no URL scheme");

	at = strchr(s, '@');
	if (at) {
		if (strchr(at + 1, '@'))
			return ref_error(err, s, "more than one '@'");
		digest = brig_xstrdup(at + 1);
		if (!brig_digest_valid(digest)) {
			if (strchr(digest, ':') && strncmp(digest, "sha256:", 7) != 0)
				return ref_error(err, s, "unsupported digest algorithm (only sha256)");
			return ref_error(err, s, "digest is not sha256:<64 lowercase hex digits>");
		}
		name = brig_xstrndup(s, (size_t)(at - s));
	} else {
		name = brig_xstrdup(s);
	}

	/* A tag is after the last ':' that follows the last '/'. */
	slash = strrchr(name, '/');
	colon = strrchr(slash ? slash : name, ':');
	if (colon) {
		tag = brig_xstrdup(colon + 1);
		name[colon - name] = '\0';
		if (!brig_ref_tag_valid(tag))
			return ref_error(err, s, "invalid tag (want [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
	}
	if (!name[0])
		return ref_error(err, s, "empty name");

	slash = strchr(name, '/');
	if (slash && looks_like_domain(name, (size_t)(slash - name))) {
		domain = brig_xstrndup(name, (size_t)(slash - name));
		rest = slash + 1;
		if (!domain_valid(domain))
			return ref_error(err, s, "invalid registry host");
		if (strcmp(domain, "index.docker.io") == 0) {
			free(domain);
			domain = brig_xstrdup(BRIG_DEFAULT_REGISTRY);
		}
	} else {
		domain = brig_xstrdup(BRIG_DEFAULT_REGISTRY);
		rest = name;
	}
	if (strcmp(domain, BRIG_DEFAULT_REGISTRY) == 0 && !strchr(rest, '/'))
		repo = brig_xasprintf("library/%s", rest);
	else
		repo = brig_xstrdup(rest);

	for (const char *p = repo; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return ref_error(err, s, "repository name must be lowercase");
	if (!brig_ref_repository_valid(repo))
		return ref_error(err, s,
				 "invalid repository name (components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/')");
	if (strlen(domain) + 1 + strlen(repo) > BRIG_REF_MAX_NAME)
		return ref_error(err, s, "name longer than 255 characters");

	if (!tag && !digest)
		tag = brig_xstrdup("latest");
	out->registry = steal_pointer(&domain);
	out->repository = steal_pointer(&repo);
	out->tag = steal_pointer(&tag);
	out->digest = steal_pointer(&digest);
	return 0;
}

void brig_image_ref_free(struct brig_image_ref *r)
{
	if (!r)
		return;
	free(r->registry);
	free(r->repository);
	free(r->tag);
	free(r->digest);
	r->registry = r->repository = r->tag = r->digest = NULL;
}

char *brig_image_ref_format(const struct brig_image_ref *r)
{
	return brig_xasprintf("%s/%s%s%s%s%s", r->registry, r->repository, r->tag ? ":" : "",
			      r->tag ? r->tag : "", r->digest ? "@" : "", r->digest ? r->digest : "");
}
