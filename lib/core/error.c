#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int brig_error_set(struct brig_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int brig_error_errno(struct brig_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	size_t used;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", strerror(code));
	return -1;
}

int brig_error_prefix(struct brig_error *err, const char *fmt, ...)
{
	char prefix[BRIG_ERROR_MSG_MAX];
	char old[BRIG_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* truncation of an over-long message is fine: it stays one line */
	size_t plen = strnlen(prefix, sizeof(err->msg) - 1);
	memcpy(err->msg, prefix, plen);
	snprintf(err->msg + plen, sizeof(err->msg) - plen, ": %.*s",
		 (int)(sizeof(err->msg) - plen), old);
	return -1;
}

void brig_error_clear(struct brig_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
