/* 'brig db update': fetch each feed with a conditional GET (ETag and
 * Last-Modified of the last fetch are in the meta table), keep the bodies in
 * a cache directory so that a 304 can reuse them, and when anything changed
 * build a complete new database beside the old one and rename() it over:
 * a scan never sees a half-built file, and a failed update changes nothing. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/dynlib.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"
#include "vulndb/vulndb.h"

#define MAX_FEEDS 256u
#define MAX_FEEDS_FILE (64u << 10)
#define MAX_URL 2048u
#define MAX_HEADER_VALUE 512u

static const char *const default_feeds[] = {
	"https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Alpine/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
};

void brig_vulndb_free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int add_url(char ***urls, size_t *n, size_t *cap, const char *s, size_t len,
		   const char *origin, struct brig_error *err)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (!len || *s == '#')
		return 0;
	if (len > MAX_URL)
		return brig_error_set(err, EINVAL, "%s: feed URL longer than %u bytes", origin, MAX_URL);
	if (!(len > 7 && strncmp(s, "http://", 7) == 0) && !(len > 8 && strncmp(s, "https://", 8) == 0) &&
	    !(len > 7 && strncmp(s, "file://", 7) == 0))
		return brig_error_set(err, EINVAL, "%s: feed '%.*s' is not an http(s):// or file:// URL",
				      origin, (int)(len > 128 ? 128 : len), s);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return brig_error_set(err, EINVAL, "%s: feed URL '%.*s' has spaces or control characters",
					      origin, (int)(len > 128 ? 128 : len), s);
	if (*n >= MAX_FEEDS)
		return brig_error_set(err, EFBIG, "%s: more than %u feeds", origin, MAX_FEEDS);
	BRIG_GROW(*urls, *cap, *n + 1);
	(*urls)[(*n)++] = brig_xstrndup(s, len);
	return 0;
}

static int split_urls(const char *list, char sep, const char *origin, char ***urls, size_t *n,
		      size_t *cap, struct brig_error *err)
{
	const char *p = list;

	for (;;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (add_url(urls, n, cap, p, len, origin, err) < 0)
			return -1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

int brig_vulndb_feed_urls(const char *list, char ***out, size_t *n_out, struct brig_error *err)
{
	char **urls = NULL;
	size_t n = 0, cap = 0;
	const char *env = getenv("BRIG_DB_SOURCES");
	int rc = 0;

	*out = NULL;
	*n_out = 0;
	if (list) {
		rc = split_urls(list, ',', "--source", &urls, &n, &cap, err);
	} else if (env && *env) {
		rc = split_urls(env, ',', "BRIG_DB_SOURCES", &urls, &n, &cap, err);
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");
		_cleanup_free_ char *path = NULL;
		_cleanup_close_ int fd = -1;

		if (xdg && xdg[0] == '/')
			path = brig_xasprintf("%s/brig/feeds", xdg);
		else if (home && home[0] == '/')
			path = brig_xasprintf("%s/.config/brig/feeds", home);
		if (path)
			fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			struct brig_buf buf _cleanup_buf_;
			char chunk[4096];
			ssize_t r;

			brig_buf_init(&buf, MAX_FEEDS_FILE);
			while ((r = read(fd, chunk, sizeof(chunk))) > 0)
				if (brig_buf_append(&buf, chunk, (size_t)r, err) < 0)
					return brig_error_prefix(err, "%s", path);
			if (r < 0)
				return brig_error_errno(err, errno, "cannot read %s", path);
			if (buf.data)
				rc = split_urls(buf.data, '\n', path, &urls, &n, &cap, err);
		} else if (path && errno != ENOENT) {
			return brig_error_errno(err, errno, "cannot open %s", path);
		}
	}
	if (rc == 0 && n == 0) {
		if (list || (env && *env) || urls) {
			rc = brig_error_set(err, EINVAL, "no feed URLs given");
		} else {
			for (size_t i = 0; i < sizeof(default_feeds) / sizeof(default_feeds[0]); i++)
				add_url(&urls, &n, &cap, default_feeds[i], strlen(default_feeds[i]),
					"default", err);
		}
	}
	if (rc < 0) {
		brig_vulndb_free_strv(urls, n);
		return -1;
	}
	*out = urls;
	*n_out = n;
	return 0;
}

/* ---- fetching ---- */

struct fetch {
	const char *url;
	FILE *out;
	char etag[MAX_HEADER_VALUE];
	char last_modified[MAX_HEADER_VALUE];
	unsigned long long bytes;
	struct brig_progress progress;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct fetch *f = ctx;
	size_t n = size * nmemb;

	if (f->bytes + n > BRIG_VULNDB_MAX_FEED_FILE)
		return 0; /* curl reports a write error: the feed is too large */
	if (fwrite(data, 1, n, f->out) != n)
		return 0;
	f->bytes += n;
	brig_progress_add(&f->progress, n);
	return n;
}

/* Copies a header value, dropping anything that could not be sent back
 * verbatim in a request header (a hostile server must not inject lines). */
static void header_value(char *dst, const char *v, size_t len)
{
	size_t k = 0;

	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	for (size_t i = 0; i < len && k + 1 < MAX_HEADER_VALUE; i++)
		if ((unsigned char)v[i] >= 0x20 && v[i] != 0x7f)
			dst[k++] = v[i];
	dst[k] = '\0';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct fetch *f = ctx;
	size_t n = size * nmemb;

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a redirect): forget the previous one's */
		f->etag[0] = f->last_modified[0] = '\0';
	} else if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
		header_value(f->etag, data + 5, n - 5);
	} else if (n > 14 && strncasecmp(data, "Last-Modified:", 14) == 0) {
		header_value(f->last_modified, data + 14, n - 14);
	}
	return n;
}

/* 1 when a new body was written to tmp_path, 0 on 304, -1 on error. */
static int fetch_feed(struct fetch *f, const char *tmp_path, const char *etag,
		      const char *last_modified, long timeout, struct brig_error *err)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	_cleanup_free_ char *h1 = NULL, *h2 = NULL;
	long code = 0;
	CURLcode cc;
	int rc;

	if (!c)
		return brig_error_set(err, ENOMEM, "%s: cannot initialize libcurl", f->url);
	f->out = fopen(tmp_path, "wbe");
	if (!f->out) {
		rc = brig_error_errno(err, errno, "cannot create %s", tmp_path);
		curl_easy_cleanup(c);
		return rc;
	}
	if (etag && *etag) {
		h1 = brig_xasprintf("If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, h1);
	}
	if (last_modified && *last_modified) {
		h2 = brig_xasprintf("If-Modified-Since: %s", last_modified);
		hdrs = curl_slist_append(hdrs, h2);
	}
	curl_easy_setopt(c, CURLOPT_URL, f->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	/* a stalled transfer fails instead of hanging the update */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)BRIG_VULNDB_MAX_FEED_FILE);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "brig/" BRIG_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	brig_progress_start(&f->progress, f->url, 0);
	cc = curl_easy_perform(c);
	brig_progress_end(&f->progress);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (fclose(f->out) != 0 && cc == CURLE_OK)
		cc = CURLE_WRITE_ERROR;
	f->out = NULL;
	if (cc != CURLE_OK) {
		if (f->bytes >= BRIG_VULNDB_MAX_FEED_FILE || cc == CURLE_FILESIZE_EXCEEDED)
			rc = brig_error_set(err, EFBIG, "%s: feed larger than %llu bytes", f->url,
					    BRIG_VULNDB_MAX_FEED_FILE);
		else
			rc = brig_error_set(err, EIO, "%s: %s", f->url,
					    errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else if (code == 304) {
		rc = 0;
	} else if (code == 200 || code == 0 /* file:// */) {
		rc = 1;
	} else {
		rc = brig_error_set(err, EIO, "%s: HTTP status %ld", f->url, code);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return rc;
}

static void feed_key(char *out, size_t n, const char *url, const char *what)
{
	snprintf(out, n, "feed:%s:%s", url, what);
}

/* ETag and Last-Modified of the previous fetch, when both the old database
 * and the cached body are still there. */
static void previous_validators(struct brig_vulndb *old, const char *url, const char *cache_file,
				char **etag, char **last_modified)
{
	char key[MAX_URL + 64];
	struct brig_error ignored;

	*etag = *last_modified = NULL;
	if (!old || access(cache_file, R_OK) != 0)
		return;
	feed_key(key, sizeof(key), url, "etag");
	brig_vulndb_meta_get(old, key, etag, &ignored);
	feed_key(key, sizeof(key), url, "last_modified");
	brig_vulndb_meta_get(old, key, last_modified, &ignored);
}

static int make_dirs(const char *dir, struct brig_error *err)
{
	_cleanup_free_ char *d = brig_xstrdup(dir);

	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0755) < 0 && errno != EEXIST)
			return brig_error_errno(err, errno, "cannot create directory %s", d);
		*p = '/';
	}
	if (mkdir(d, 0755) < 0 && errno != EEXIST)
		return brig_error_errno(err, errno, "cannot create directory %s", d);
	return 0;
}

static char *join_urls(const struct brig_vulndb_update_opts *opts)
{
	struct brig_buf b;
	struct brig_error ignored;

	brig_buf_init(&b, (size_t)MAX_FEEDS * (MAX_URL + 1) + 1);
	for (size_t i = 0; i < opts->n_urls; i++)
		brig_buf_appendf(&b, &ignored, "%s%s", i ? "\n" : "", opts->urls[i]);
	return brig_buf_steal(&b, NULL);
}

int brig_vulndb_update(const char *db_path, const struct brig_vulndb_update_opts *opts,
		       struct brig_vulndb_update_result *res, struct brig_error *err)
{
	struct brig_vulndb *old = NULL, *db = NULL;
	struct vdb_import *imp = NULL;
	_cleanup_free_ char *cache_dir = NULL, *joined = join_urls(opts), *old_feeds = NULL;
	char **files = NULL;
	struct fetch *fetches = NULL;
	bool same_feeds = false;
	long timeout = opts->timeout_seconds > 0 ? opts->timeout_seconds : 1800;
	struct brig_error old_err;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (opts->n_urls == 0)
		return brig_error_set(err, EINVAL, "no feeds to update from");
	if (opts->cache_dir) {
		cache_dir = brig_xstrdup(opts->cache_dir);
	} else {
		const char *slash = strrchr(db_path, '/');

		cache_dir = slash ? brig_xasprintf("%.*s/feeds", (int)(slash - db_path), db_path)
				  : brig_xstrdup("feeds");
	}
	if (make_dirs(cache_dir, err) < 0)
		return -1;
	if (brig_libcurl_load(err) < 0)
		return -1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return brig_error_set(err, EIO, "cannot initialize libcurl");
	/* an unreadable or outdated old database just means a full rebuild */
	if (access(db_path, F_OK) == 0 && brig_vulndb_open(db_path, false, &old, &old_err) < 0) {
		brig_info("rebuilding: %s", old_err.msg);
		old = NULL;
	}
	if (old && brig_vulndb_meta_get(old, "feeds", &old_feeds, &old_err) == 0 && old_feeds)
		same_feeds = strcmp(old_feeds, joined) == 0;

	files = brig_xcalloc(opts->n_urls, sizeof(*files));
	fetches = brig_xcalloc(opts->n_urls, sizeof(*fetches));
	for (size_t i = 0; i < opts->n_urls; i++) {
		char digest[BRIG_DIGEST_STR_LEN];
		_cleanup_free_ char *tmp = NULL, *etag = NULL, *lm = NULL;
		int got;

		brig_sha256_digest(opts->urls[i], strlen(opts->urls[i]), digest);
		files[i] = brig_xasprintf("%s/%.16s.feed", cache_dir, digest + 7);
		tmp = brig_xasprintf("%s.part", files[i]);
		previous_validators(old, opts->urls[i], files[i], &etag, &lm);
		fetches[i].url = opts->urls[i];
		got = fetch_feed(&fetches[i], tmp, etag, lm, timeout, err);
		if (got < 0) {
			unlink(tmp);
			goto out;
		}
		if (got == 0) {
			unlink(tmp);
			res->unchanged++;
			/* a 304 does not always repeat the validators */
			if (!fetches[i].etag[0] && etag)
				header_value(fetches[i].etag, etag, strlen(etag));
			if (!fetches[i].last_modified[0] && lm)
				header_value(fetches[i].last_modified, lm, strlen(lm));
			brig_info("%s: not modified", opts->urls[i]);
			continue;
		}
		if (rename(tmp, files[i]) < 0) {
			brig_error_errno(err, errno, "cannot rename %s", tmp);
			unlink(tmp);
			goto out;
		}
		res->downloaded++;
		brig_info("%s: %llu bytes", opts->urls[i], fetches[i].bytes);
	}

	if (old && same_feeds && res->downloaded == 0) {
		/* everything current: only the freshness mark moves */
		char now[32];

		brig_vulndb_close(old);
		old = NULL;
		snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
		if (brig_vulndb_open(db_path, true, &db, err) < 0 ||
		    brig_vulndb_meta_set(db, "built_at", now, err) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	brig_vulndb_close(old);
	old = NULL;

	if (brig_vulndb_build_begin(db_path, &db, err) < 0)
		goto out;
	imp = vdb_import_new(db, NULL, &res->stats);
	if (vdb_import_begin(imp, err) < 0 ||
	    vdb_import_run(imp, (const char *const *)files, opts->urls, opts->n_urls, err) < 0)
		goto out;
	for (size_t i = 0; i < opts->n_urls; i++) {
		char key[MAX_URL + 64];

		feed_key(key, sizeof(key), opts->urls[i], "etag");
		if (brig_vulndb_meta_set(db, key, fetches[i].etag, err) < 0)
			goto out;
		feed_key(key, sizeof(key), opts->urls[i], "last_modified");
		if (brig_vulndb_meta_set(db, key, fetches[i].last_modified, err) < 0)
			goto out;
	}
	if (brig_vulndb_meta_set(db, "feeds", joined, err) < 0 ||
	    vdb_import_finish(imp, true, err) < 0)
		goto out;
	vdb_import_free(imp);
	imp = NULL;
	rc = brig_vulndb_build_commit(db, err);
	db = NULL;
	res->rebuilt = rc == 0;
out:
	vdb_import_free(imp);
	brig_vulndb_close(db); /* removes an uncommitted build */
	brig_vulndb_close(old);
	if (files)
		brig_vulndb_free_strv(files, opts->n_urls);
	free(fetches);
	return rc;
}
