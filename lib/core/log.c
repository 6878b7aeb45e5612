#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/sanitize.h"

static enum brig_log_level log_level = BRIG_LOG_WARN;
static bool log_quiet;

void brig_log_set_level(enum brig_log_level level)
{
	log_level = level;
}

void brig_log_set_quiet(bool quiet)
{
	log_quiet = quiet;
}

bool brig_log_quiet(void)
{
	return log_quiet;
}

static const char *level_name(enum brig_log_level level)
{
	switch (level) {
	case BRIG_LOG_ERROR:
		return "error";
	case BRIG_LOG_WARN:
		return "warning";
	case BRIG_LOG_INFO:
		return "info";
	case BRIG_LOG_DEBUG:
		return "debug";
	}
	return "log";
}

void brig_log(enum brig_log_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (level > log_level || (log_quiet && level > BRIG_LOG_ERROR))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Messages carry image-supplied names: no terminal escapes get through. */
	brig_sanitize_inplace(msg);
	fprintf(stderr, "brig: %s: %s\n", level_name(level), msg);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void progress_draw(struct brig_progress *p)
{
	if (p->total)
		fprintf(stderr, "\r\033[K%s %5.1f MiB / %.1f MiB", p->label,
			(double)p->done / 1048576.0, (double)p->total / 1048576.0);
	else
		fprintf(stderr, "\r\033[K%s %5.1f MiB", p->label, (double)p->done / 1048576.0);
	fflush(stderr);
}

void brig_progress_start(struct brig_progress *p, const char *label, uint64_t total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->last_draw_ms = 0;
	p->active = !log_quiet && isatty(STDERR_FILENO);
}

void brig_progress_add(struct brig_progress *p, uint64_t n)
{
	uint64_t t;

	p->done += n;
	if (!p->active)
		return;
	t = now_ms();
	if (t - p->last_draw_ms < 200)
		return;
	p->last_draw_ms = t;
	progress_draw(p);
}

void brig_progress_end(struct brig_progress *p)
{
	if (!p->active)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->active = false;
}
