/* Logs and progress go to stderr; results never do. */
#ifndef BRIG_CORE_LOG_H
#define BRIG_CORE_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum brig_log_level { BRIG_LOG_ERROR, BRIG_LOG_WARN, BRIG_LOG_INFO, BRIG_LOG_DEBUG };

void brig_log_set_level(enum brig_log_level level);
void brig_log_set_quiet(bool quiet);
bool brig_log_quiet(void);
void brig_log(enum brig_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define brig_warn(...) brig_log(BRIG_LOG_WARN, __VA_ARGS__)
#define brig_info(...) brig_log(BRIG_LOG_INFO, __VA_ARGS__)
#define brig_debug(...) brig_log(BRIG_LOG_DEBUG, __VA_ARGS__)

/* Progress of one long task (a layer download or inflate): shown only when
 * stderr is a TTY and not --quiet; redrawn at most a few times a second. */
struct brig_progress {
	const char *label;
	uint64_t total; /* 0 when unknown */
	uint64_t done;
	uint64_t last_draw_ms;
	bool active;
};

void brig_progress_start(struct brig_progress *p, const char *label, uint64_t total);
void brig_progress_add(struct brig_progress *p, uint64_t n);
void brig_progress_end(struct brig_progress *p);

#endif
