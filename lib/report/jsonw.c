/* The streaming JSON writer (jsonw.h). Layout, escaping and number forms
 * follow jansson 2.14's dump.c and strconv.c for the flags brig uses;
 * tests/unit/report/test_jsonw.c compares the two byte for byte. */
#include "report/jsonw.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/xalloc.h"
#include "report/report_int.h"

#define JW_INDENT 2 /* JSON_INDENT(2) */

struct brig_jw {
	FILE *out;
	size_t used;
	bool failed;
	int err;	/* errno of the first failed write */
	unsigned depth; /* open containers */
	bool first;	/* the innermost container has no member yet */
	bool after_key; /* a key is written; the next value is its */
	/* Chunks of 64 KiB keep memory flat and writes few. */
	char buf[1 << 16];
};

struct brig_jw *brig_jw_new(FILE *out)
{
	struct brig_jw *w = brig_xmalloc(sizeof(*w));

	w->out = out;
	w->used = 0;
	w->failed = false;
	w->err = 0;
	w->depth = 0;
	w->first = true;
	w->after_key = false;
	return w;
}

void brig_jw_free(struct brig_jw *w)
{
	free(w);
}

static void fail(struct brig_jw *w)
{
	if (!w->failed)
		w->err = errno ? errno : EIO;
	w->failed = true;
}

static void flush(struct brig_jw *w)
{
	errno = 0;
	if (w->used && !w->failed && fwrite(w->buf, 1, w->used, w->out) != w->used)
		fail(w);
	w->used = 0;
}

static void put_slow(struct brig_jw *w, const void *p, size_t n)
{
	flush(w);
	if (n > sizeof(w->buf)) {
		errno = 0;
		if (!w->failed && fwrite(p, 1, n, w->out) != n)
			fail(w);
	} else {
		memcpy(w->buf, p, n);
		w->used = n;
	}
}

static inline void put(struct brig_jw *w, const void *p, size_t n)
{
	if (n <= sizeof(w->buf) - w->used) {
		memcpy(w->buf + w->used, p, n);
		w->used += n;
	} else {
		put_slow(w, p, n);
	}
}

static inline void put_char(struct brig_jw *w, char c)
{
	if (w->used == sizeof(w->buf))
		flush(w);
	w->buf[w->used++] = c;
}

int brig_jw_finish(struct brig_jw *w, struct brig_error *err)
{
	put_char(w, '\n');
	flush(w);
	errno = 0;
	if (!w->failed && (fflush(w->out) != 0 || ferror(w->out)))
		fail(w);
	if (w->failed)
		return brig_error_errno(err, w->err, "writing the report");
	return 0;
}

/* a newline and depth levels of indentation */
static void newline(struct brig_jw *w, unsigned depth)
{
	static const char spaces[] = "\n                                                                ";
	size_t n = (size_t)depth * JW_INDENT;

	/* The depths a report reaches take one copy, of a constant size the
	 * compiler inlines (32 bytes up to depth 15); the bytes past n + 1 are
	 * overwritten later. */
	if (n < 32 && 32 <= sizeof(w->buf) - w->used) {
		memcpy(w->buf + w->used, spaces, 32);
		w->used += n + 1;
		return;
	}
	if (n < sizeof(spaces) - 1 && sizeof(spaces) <= sizeof(w->buf) - w->used) {
		memcpy(w->buf + w->used, spaces, sizeof(spaces));
		w->used += n + 1;
		return;
	}
	put_char(w, '\n');
	while (n) {
		size_t k = n < sizeof(spaces) - 2 ? n : sizeof(spaces) - 2;

		put(w, spaces + 1, k);
		n -= k;
	}
}

/* What goes before a member: nothing after its key, else the separator
 * from the previous member and the member's indentation. */
static void member(struct brig_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first)
		put_char(w, ',');
	w->first = false;
	newline(w, w->depth);
}

static void open_container(struct brig_jw *w, char c)
{
	member(w);
	put_char(w, c);
	w->depth++;
	w->first = true;
}

/* jansson writes an empty container as "{}" / "[]", else puts the closing
 * bracket on its own line. The parent has a member now: this one. */
static void close_container(struct brig_jw *w, char c)
{
	w->depth--;
	if (!w->first)
		newline(w, w->depth);
	put_char(w, c);
	w->first = false;
}

void brig_jw_begin_object(struct brig_jw *w)
{
	open_container(w, '{');
}

void brig_jw_end_object(struct brig_jw *w)
{
	close_container(w, '}');
}

void brig_jw_begin_array(struct brig_jw *w)
{
	open_container(w, '[');
}

void brig_jw_end_array(struct brig_jw *w)
{
	close_container(w, ']');
}

/* Bytes that go out unchanged without a look at what follows: printable
 * ASCII but '"' (0x22) and '\\' (0x5c). DEL is not escaped by jansson
 * either. NUL, controls and bytes past 0x7f take the slow path. */
static const bool plain[256] = {
	[0x20 ... 0x21] = true,
	[0x23 ... 0x5b] = true,
	[0x5d ... 0x7f] = true,
};

/* All eight bytes of x are plain: none has the top bit, none is < 0x20
 * (the has-less bit trick), '"' or '\\' (has-zero on x xor the byte).
 * A flagged word goes one byte at a time. */
static inline bool word_plain(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return !((x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) &
		 (ones * 0x80));
}

#ifdef __SSE2__
/* Sixteen bytes at s are plain: none is below 0x20 or at or above 0x80
 * (one signed compare catches both), none is '"' or '\\'. */
static inline bool block_plain(__m128i x)
{
	__m128i bad = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
				   _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
						_mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));

	return _mm_movemask_epi8(bad) == 0;
}
#endif

/* The escape of an ASCII byte that is not plain, at d; returns its end. */
static char *escape_into(char *d, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char e;

	switch (c) {
	case '"':
		e = '"';
		break;
	case '\\':
		e = '\\';
		break;
	case '\b':
		e = 'b';
		break;
	case '\f':
		e = 'f';
		break;
	case '\n':
		e = 'n';
		break;
	case '\r':
		e = 'r';
		break;
	case '\t':
		e = 't';
		break;
	default: /* the other controls, as "\\u%04X" */
		memcpy(d, "\\u00", 4);
		d[4] = hex[c >> 4];
		d[5] = hex[c & 15];
		return d + 6;
	}
	d[0] = '\\';
	d[1] = e;
	return d + 2;
}

/* At most six bytes out ("\\u00XX") per byte in, and the quotes. */
#define QUOTED_MAX(len) (6 * (len) + 2)

/* s (len bytes) quoted and escaped at d, which has QUOTED_MAX(len) bytes
 * of room; returns the end. s[len] must be NUL (C strings and jansson
 * strings are): the scan stops on it without a bounds check per byte, and
 * a NUL before it is data. */
static char *quote_into(char *d, const unsigned char *s, size_t len)
{
	const unsigned char *end = s + len;

	*d++ = '"';
	for (;;) {
		uint64_t x;
		uint32_t cp;
		size_t n;

		/* printable ASCII, most of a report, sixteen or eight bytes at a
		 * time... */
#ifdef __SSE2__
		while (end - s >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);

			if (!block_plain(v))
				break;
			_mm_storeu_si128((__m128i *)(void *)d, v);
			s += 16;
			d += 16;
		}
#endif
		while (end - s >= 8) {
			memcpy(&x, s, 8);
			if (!word_plain(x))
				break;
			memcpy(d, &x, 8);
			s += 8;
			d += 8;
		}
		/* ...then one at a time up to the next byte that is not plain */
		while (plain[*s])
			*d++ = (char)*s++;
		if (s == end)
			break;
		if (*s < 0x80) {
			d = escape_into(d, *s++);
		} else if ((n = brig_rpt_utf8_next(s, &cp)) != 0) {
			while (n--)
				*d++ = (char)*s++;
		} else {
			memcpy(d, "\xef\xbf\xbd", 3); /* U+FFFD for the byte */
			d += 3;
			s++;
		}
	}
	*d++ = '"';
	return d;
}

/* A string too long to quote within the buffer: the same scan, written
 * in runs. */
static void put_long_string(struct brig_jw *w, const unsigned char *s, size_t len)
{
	const unsigned char *end = s + len, *run = s;
	char esc[6];

	put_char(w, '"');
	for (;;) {
		unsigned char c = *s;
		uint32_t cp;
		size_t n;

		if (plain[c]) {
			s++;
			continue;
		}
		if (c >= 0x80 && (n = brig_rpt_utf8_next(s, &cp)) != 0) {
			s += n;
			continue;
		}
		put(w, run, (size_t)(s - run));
		if (s == end)
			break;
		if (c >= 0x80)
			put(w, "\xef\xbf\xbd", 3);
		else
			put(w, esc, (size_t)(escape_into(esc, c) - esc));
		run = ++s;
	}
	put_char(w, '"');
}

static void put_string(struct brig_jw *w, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	if (len > (sizeof(w->buf) - 2) / 6) {
		put_long_string(w, s, len);
		return;
	}
	if (QUOTED_MAX(len) > sizeof(w->buf) - w->used)
		flush(w);
	w->used = (size_t)(quote_into(w->buf + w->used, s, len) - w->buf);
}

/* a key of len bytes, after member() */
static void put_key(struct brig_jw *w, const char *key, size_t len)
{
	put_string(w, key, len);
	put(w, ": ", 2);
	w->after_key = true;
}

void brig_jw_key(struct brig_jw *w, const char *key)
{
	member(w);
	put_key(w, key, strlen(key));
}

void brig_jw_qkey(struct brig_jw *w, struct brig_jw_qkey key)
{
	member(w);
	if (key.len <= BRIG_JW_KEY_BLOCK && BRIG_JW_KEY_BLOCK <= sizeof(w->buf) - w->used) {
		/* one fixed-size copy; the bytes past len are overwritten later */
		memcpy(w->buf + w->used, key.text, BRIG_JW_KEY_BLOCK);
		w->used += key.len;
	} else {
		put(w, key.text, key.len);
	}
	w->after_key = true;
}

void brig_jw_string(struct brig_jw *w, const char *s)
{
	member(w);
	if (!s)
		s = "";
	put_string(w, s, strlen(s));
}

void brig_jw_integer(struct brig_jw *w, long long v)
{
	char d[24], *p = d + sizeof(d);
	/* negated as unsigned: LLONG_MIN has no positive counterpart */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	member(w);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(w, p, (size_t)(d + sizeof(d) - p));
}

void brig_jw_real(struct brig_jw *w, double v)
{
	char b[48], *p, *e;
	int n;

	member(w);
	n = snprintf(b, sizeof(b) - 2, "%.15g", v);
	if (n < 0 || (size_t)n >= sizeof(b) - 2) /* cannot happen for a double */
		n = 0;
	/* brig sets no locale, but a setlocale() elsewhere must not make "9,8":
	 * like jansson, take the one byte that is no digit, sign or exponent
	 * for the locale's decimal point. */
	for (p = b; p < b + n; p++)
		if (!(*p >= '0' && *p <= '9') && *p != '-' && *p != '+' && *p != 'e')
			*p = '.';
	b[n] = '\0';
	/* an integral value keeps a ".0", or it would read back as an integer */
	if (!strchr(b, '.') && !strchr(b, 'e')) {
		memcpy(b + n, ".0", 3);
		n += 2;
	}
	/* "1e+20" -> "1e20", "1e-05" -> "1e-5" */
	e = strchr(b, 'e');
	if (e) {
		char *from = ++e;

		if (*from == '-')
			e = ++from;
		else if (*from == '+')
			from++;
		while (*from == '0' && from[1])
			from++;
		memmove(e, from, (size_t)(b + n - from) + 1);
		n -= (int)(from - e);
	}
	put(w, b, (size_t)n);
}

void brig_jw_bool(struct brig_jw *w, bool v)
{
	member(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void brig_jw_null(struct brig_jw *w)
{
	member(w);
	put(w, "null", 4);
}

void brig_jw_json(struct brig_jw *w, const json_t *j)
{
	json_t *o = (json_t *)j; /* jansson's iterators take no const */
	size_t i, n;

	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_OBJECT:
		brig_jw_begin_object(w);
		for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
			/* keys may hold a NUL (json_object_setn): their length counts */
			member(w);
			put_key(w, json_object_iter_key(it), json_object_iter_key_len(it));
			brig_jw_json(w, json_object_iter_value(it));
		}
		brig_jw_end_object(w);
		break;
	case JSON_ARRAY:
		brig_jw_begin_array(w);
		for (i = 0, n = json_array_size(j); i < n; i++)
			brig_jw_json(w, json_array_get(j, i));
		brig_jw_end_array(w);
		break;
	case JSON_STRING:
		member(w);
		put_string(w, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		brig_jw_integer(w, json_integer_value(j));
		break;
	case JSON_REAL:
		brig_jw_real(w, json_real_value(j));
		break;
	case JSON_TRUE:
		brig_jw_bool(w, true);
		break;
	case JSON_FALSE:
		brig_jw_bool(w, false);
		break;
	case JSON_NULL:
	default:
		brig_jw_null(w);
		break;
	}
}
