/* libcurl through dlopen (core/dynlib.h): the functions brig calls, under
 * their own names and the header's prototypes. */
/* the header's type-checking macros would rename curl_easy_setopt() */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <stdarg.h>

#include "core/dynlib.h"

#define CURL_FUNCS(X)                                                          \
	X(curl_global_init)                                                    \
	X(curl_easy_init)                                                      \
	X(curl_easy_setopt)                                                    \
	X(curl_easy_getinfo)                                                   \
	X(curl_easy_perform)                                                   \
	X(curl_easy_pause)                                                     \
	X(curl_easy_cleanup)                                                   \
	X(curl_easy_strerror)                                                  \
	X(curl_multi_init)                                                     \
	X(curl_multi_add_handle)                                               \
	X(curl_multi_remove_handle)                                            \
	X(curl_multi_perform)                                                  \
	X(curl_multi_poll)                                                     \
	X(curl_multi_info_read)                                                \
	X(curl_multi_cleanup)                                                  \
	X(curl_multi_strerror)                                                 \
	X(curl_slist_append)                                                   \
	X(curl_slist_free_all)

BRIG_DYNLIB_SHIM(CURL_FUNCS, BRIG_LIBCURL_SONAME, BRIG_LIBCURL_PACKAGE, brig_libcurl_load)
#define REAL BRIG_DYNLIB_REAL

CURLcode curl_global_init(long flags)
{
	return REAL(curl_global_init)(flags);
}

CURL *curl_easy_init(void)
{
	return REAL(curl_easy_init)();
}

/* The value's type follows from the option number, as in curl's own
 * setopt. Pointers are passed on as void * (curl_slist, FILE, ...) and
 * callbacks as one function pointer type: every ABI curl runs on passes
 * all object pointers, and all function pointers, alike. */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	__typeof__(&curl_easy_setopt) real = REAL(curl_easy_setopt);
	CURLcode rc;
	va_list ap;

	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = real(curl, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = real(curl, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = real(curl, option, va_arg(ap, void (*)(void)));
	else if (option < CURLOPTTYPE_BLOB)
		rc = real(curl, option, va_arg(ap, curl_off_t));
	else
		rc = real(curl, option, va_arg(ap, struct curl_blob *));
	va_end(ap);
	return rc;
}

/* every CURLINFO takes a pointer to the result */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	__typeof__(&curl_easy_getinfo) real = REAL(curl_easy_getinfo);
	CURLcode rc;
	va_list ap;

	va_start(ap, info);
	rc = real(curl, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
	return REAL(curl_easy_perform)(curl);
}

CURLcode curl_easy_pause(CURL *handle, int bitmask)
{
	return REAL(curl_easy_pause)(handle, bitmask);
}

void curl_easy_cleanup(CURL *curl)
{
	REAL(curl_easy_cleanup)(curl);
}

const char *curl_easy_strerror(CURLcode code)
{
	return REAL(curl_easy_strerror)(code);
}

CURLM *curl_multi_init(void)
{
	return REAL(curl_multi_init)();
}

CURLMcode curl_multi_add_handle(CURLM *multi_handle, CURL *curl_handle)
{
	return REAL(curl_multi_add_handle)(multi_handle, curl_handle);
}

CURLMcode curl_multi_remove_handle(CURLM *multi_handle, CURL *curl_handle)
{
	return REAL(curl_multi_remove_handle)(multi_handle, curl_handle);
}

CURLMcode curl_multi_perform(CURLM *multi_handle, int *running_handles)
{
	return REAL(curl_multi_perform)(multi_handle, running_handles);
}

CURLMcode curl_multi_poll(CURLM *multi_handle, struct curl_waitfd extra_fds[],
			  unsigned int extra_nfds, int timeout_ms, int *ret)
{
	return REAL(curl_multi_poll)(multi_handle, extra_fds, extra_nfds, timeout_ms, ret);
}

CURLMsg *curl_multi_info_read(CURLM *multi_handle, int *msgs_in_queue)
{
	return REAL(curl_multi_info_read)(multi_handle, msgs_in_queue);
}

CURLMcode curl_multi_cleanup(CURLM *multi_handle)
{
	return REAL(curl_multi_cleanup)(multi_handle);
}

const char *curl_multi_strerror(CURLMcode code)
{
	return REAL(curl_multi_strerror)(code);
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data)
{
	return REAL(curl_slist_append)(list, data);
}

void curl_slist_free_all(struct curl_slist *list)
{
	REAL(curl_slist_free_all)(list);
}
