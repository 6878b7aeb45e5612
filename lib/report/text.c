/* Text helpers for the writers: UTF-8 repair, terminal cleaning and
 * widths, JSON strings, UUIDs and timestamps. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "report/jsonw.h"
#include "report/report_int.h"

/* Growth of these buffers is bounded by the input strings they copy. */
#define TEXT_BUF_MAX ((size_t)-1 / 2)

size_t brig_rpt_utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static void buf_add(struct brig_buf *b, const void *p, size_t n)
{
	/* Cannot fail: the limit is unreachable for copies of C strings. */
	(void)brig_buf_append(b, p, n, NULL);
}

char *brig_rpt_utf8_repair(const char *s, const char *repl)
{
	_cleanup_buf_ struct brig_buf b;
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	brig_buf_init(&b, TEXT_BUF_MAX);
	buf_add(&b, "", 0);
	while (*p) {
		uint32_t cp;
		size_t n = brig_rpt_utf8_next(p, &cp);

		if (n) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_add(&b, repl, strlen(repl));
			p++;
		}
	}
	return brig_buf_steal(&b, NULL);
}

bool brig_rpt_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p) {
		size_t n = brig_rpt_utf8_next(p, &cp);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

/* Code points a terminal acts on rather than shows: C1 controls (0x9b is a
 * CSI on 8-bit terminals) and bidi overrides that reorder what is read
 * ("Trojan Source"). */
static bool terminal_unsafe(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* s[0..len) is all printable ASCII (0x20-0x7e): what every check below
 * leaves as it is, one column a byte. Most of a report is. */
static bool printable_ascii(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* below 0x20, or 0x7f and up: signed, 0x80-0xff are negative */
		__m128i bad = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
					   _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));

		if (_mm_movemask_epi8(bad))
			return false;
	}
#endif
	for (; p < end; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return false;
	return true;
}

char *brig_rpt_term_clean(const char *s)
{
	size_t len = strlen(s ? s : "");
	_cleanup_free_ char *tmp = NULL;
	_cleanup_buf_ struct brig_buf b = {0};
	const unsigned char *p;

	if (printable_ascii(s ? s : "", len))
		return brig_xstrndup(s ? s : "", len);
	tmp = brig_xstrndup(s, len);
	/* Whitespace controls keep their meaning as a gap... */
	for (char *q = tmp; *q; q++)
		if (*q == '\t' || *q == '\n' || *q == '\r' || *q == '\v' || *q == '\f')
			*q = ' ';
	/* ...every other C0 control and DEL goes the house way... */
	brig_sanitize_inplace(tmp);
	/* ...and what the byte-wise sanitizer cannot see is handled here. */
	brig_buf_init(&b, TEXT_BUF_MAX);
	buf_add(&b, "", 0);
	for (p = (const unsigned char *)tmp; *p;) {
		uint32_t cp;
		size_t n = brig_rpt_utf8_next(p, &cp);

		if (n == 0 || terminal_unsafe(cp)) {
			buf_add(&b, "?", 1);
			p += n ? n : 1;
			continue;
		}
		buf_add(&b, p, n);
		p += n;
	}
	return brig_buf_steal(&b, NULL);
}

/* An approximation of wcwidth() that needs no locale: combining marks and
 * zero-width characters take no column, East Asian wide forms and emoji
 * take two. */
static size_t cp_width(uint32_t cp)
{
	if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200d) ||
	    (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

size_t brig_rpt_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t w = 0, len = strlen((const char *)p);

	if (printable_ascii((const char *)p, len))
		return len;
	while (*p) {
		uint32_t cp;
		size_t n = brig_rpt_utf8_next(p, &cp);

		w += n ? cp_width(cp) : 1;
		p += n ? n : 1;
	}
	return w;
}

char *brig_rpt_truncate(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t w = 0, len = strlen((const char *)p);

	if (printable_ascii((const char *)p, len)) {
		if (len <= max)
			return brig_xstrndup((const char *)p, len);
		if (max == 0)
			return brig_xstrdup("");
		return brig_xasprintf("%.*s\u2026", (int)(max - 1), (const char *)p);
	}
	if (brig_rpt_display_width(s) <= max)
		return brig_xstrdup(s);
	if (max == 0)
		return brig_xstrdup("");
	/* keep whole characters up to max-1 columns, then the ellipsis */
	while (*p) {
		uint32_t cp;
		size_t n = brig_rpt_utf8_next(p, &cp), cw = n ? cp_width(cp) : 1;

		if (w + cw > max - 1)
			break;
		w += cw;
		p += n ? n : 1;
	}
	return brig_xasprintf("%.*s\u2026", (int)(p - (const unsigned char *)s), s);
}

json_t *brig_rpt_jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");

	if (!j) {
		/* jansson refuses invalid UTF-8; image strings may carry any
		 * bytes, and a report must not lose the field for it. */
		_cleanup_free_ char *fixed = brig_rpt_utf8_repair(s, "\xef\xbf\xbd");

		j = json_string(fixed);
		if (!j) {
			fputs("brig: out of memory\n", stderr);
			abort();
		}
	}
	return j;
}

void brig_rpt_jset_str(json_t *obj, const char *key, const char *s)
{
	if (s && *s)
		json_object_set_new(obj, key, brig_rpt_jstr(s));
}

json_t *brig_rpt_jstr_array(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, brig_rpt_jstr(v[i]));
	return a;
}

static int random_bytes(unsigned char *buf, size_t n, struct brig_error *err)
{
	size_t got = 0;
	_cleanup_close_ int fd = -1;

	while (got < n) {
		ssize_t k = getrandom(buf + got, n - got, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		got += (size_t)k;
	}
	if (got == n)
		return 0;
	/* kernels before 3.17 (or seccomp filters) lack getrandom */
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return brig_error_errno(err, errno, "cannot open /dev/urandom");
	for (got = 0; got < n;) {
		ssize_t k = read(fd, buf + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return brig_error_errno(err, k < 0 ? errno : EIO, "reading /dev/urandom");
		got += (size_t)k;
	}
	return 0;
}

int brig_rpt_uuid4(char out[37], struct brig_error *err)
{
	unsigned char u[16];

	if (random_bytes(u, sizeof(u), err) < 0)
		return brig_error_prefix(err, "generating a UUID");
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
		 u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
		 u[14], u[15]);
	return 0;
}

static int parse_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

static int expect(const char **p, const char *set)
{
	if (!**p || !strchr(set, **p))
		return -1;
	(*p)++;
	return 0;
}

/* RFC 3339 date-time -> seconds since the epoch. */
static int parse_rfc3339(const char *s, time_t *out)
{
	struct tm tm = {0};
	int off_h = 0, off_m = 0, sign = 0;
	const char *p = s;

	if (parse_digits(&p, 4, &tm.tm_year) || expect(&p, "-") ||
	    parse_digits(&p, 2, &tm.tm_mon) || expect(&p, "-") ||
	    parse_digits(&p, 2, &tm.tm_mday) || expect(&p, "Tt ") ||
	    parse_digits(&p, 2, &tm.tm_hour) || expect(&p, ":") ||
	    parse_digits(&p, 2, &tm.tm_min) || expect(&p, ":") || parse_digits(&p, 2, &tm.tm_sec))
		return -1;
	if (*p == '.') /* fractions are dropped: SPDX allows none */
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (parse_digits(&p, 2, &off_h) || expect(&p, ":") || parse_digits(&p, 2, &off_m))
			return -1;
	} else {
		return -1;
	}
	if (*p || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || off_h > 23 || off_m > 59)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm) - (time_t)sign * (off_h * 3600 + off_m * 60);
	return 0;
}

/* t as "YYYY-MM-DDTHH:MM:SSZ"; false outside years 0-9999. Computed
 * here because glibc's gmtime_r reads /etc/localtime first, a file open
 * and parse in every report. Days to a civil date as in H. Hinnant's
 * "chrono-compatible low-level date algorithms". */
static bool format_utc(time_t t, char out[32])
{
	long long days = (long long)(t / 86400), rem = (long long)(t % 86400), era, y;
	unsigned doe, yoe, doy, mp, d, m;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	days += 719468; /* from 1970-01-01 to 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = (long long)yoe + era * 400 + (m <= 2);
	if (y < 0 || y > 9999)
		return false;
	snprintf(out, 32, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, rem / 3600,
		 rem % 3600 / 60, rem % 60);
	return true;
}

int brig_rpt_timestamp(const char *in, char out[32], struct brig_error *err)
{
	time_t t;

	if (!in)
		t = time(NULL);
	else if (parse_rfc3339(in, &t) < 0)
		return brig_error_set(err, EINVAL, "creation time '%s' is not RFC 3339", in);
	if (!format_utc(t, out))
		return brig_error_set(err, EINVAL, "creation time out of range");
	return 0;
}

char *brig_rpt_uri_path(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	_cleanup_buf_ struct brig_buf b;

	brig_buf_init(&b, TEXT_BUF_MAX);
	buf_add(&b, "", 0);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf_add(&b, p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

			buf_add(&b, e, 3);
		}
	}
	return brig_buf_steal(&b, NULL);
}

char *brig_rpt_image_path(const char *ref, char **domain)
{
	_cleanup_free_ char *s = brig_xstrndup(ref, strcspn(ref, "@"));
	char *slash = strchr(s, '/'), *last = strrchr(s, '/'), *colon;
	const char *path = s;
	bool hub = true;

	if (domain)
		*domain = NULL;
	colon = strrchr(last ? last : s, ':'); /* a tag, not a registry port */
	if (colon)
		*colon = '\0';
	/* the first component is a registry when it looks like a host */
	if (slash) {
		size_t n = (size_t)(slash - s);

		if (memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !strncmp(s, "localhost", 9))) {
			hub = (n == 9 && !strncmp(s, "docker.io", 9)) ||
			      (n == 15 && !strncmp(s, "index.docker.io", 15));
			if (domain && !hub)
				*domain = brig_xstrndup(s, n);
			path = slash + 1;
		}
	}
	if (hub && !strchr(path, '/'))
		return brig_xasprintf("library/%s", path);
	return brig_xstrdup(path);
}

void brig_rpt_short_digest(const char *d, char out[13])
{
	const char *colon;

	if (!d || !*d) {
		snprintf(out, 13, "-");
		return;
	}
	colon = strchr(d, ':');
	snprintf(out, 13, "%.12s", colon ? colon + 1 : d);
}

/* json_dumpf writes token by token; a 200k-package SBOM is millions of
 * stdio calls. The JSON writer's buffer gathers them into few writes. */
int brig_rpt_dump(FILE *out, json_t *doc, struct brig_error *err)
{
	/* the streaming writer walks the tree: the bytes jansson's dump with
	 * JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) gives
	 * (tests/unit/report/test_jsonw.c, fuzz_jsonw), at a fraction of the
	 * cost of its per-character UTF-8 checks */
	_cleanup_jw_ struct brig_jw *w = brig_jw_new(out);

	brig_jw_json(w, doc);
	return brig_jw_finish(w, err);
}
