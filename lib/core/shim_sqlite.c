/* SQLite through dlopen (core/dynlib.h): the functions brig (and its tests)
 * calls, under their own names and the header's prototypes. */
#include <sqlite3.h>
#include <stdarg.h>

#include "core/dynlib.h"

#define SQLITE_FUNCS(X)                                                        \
	X(sqlite3_config)                                                      \
	X(sqlite3_open)                                                        \
	X(sqlite3_open_v2)                                                     \
	X(sqlite3_close)                                                       \
	X(sqlite3_close_v2)                                                    \
	X(sqlite3_db_config)                                                   \
	X(sqlite3_extended_result_codes)                                       \
	X(sqlite3_busy_timeout)                                                \
	X(sqlite3_limit)                                                       \
	X(sqlite3_errcode)                                                     \
	X(sqlite3_errmsg)                                                      \
	X(sqlite3_get_autocommit)                                              \
	X(sqlite3_last_insert_rowid)                                           \
	X(sqlite3_exec)                                                        \
	X(sqlite3_prepare_v2)                                                  \
	X(sqlite3_prepare_v3)                                                  \
	X(sqlite3_bind_double)                                                 \
	X(sqlite3_bind_int)                                                    \
	X(sqlite3_bind_int64)                                                  \
	X(sqlite3_bind_null)                                                   \
	X(sqlite3_bind_text)                                                   \
	X(sqlite3_clear_bindings)                                              \
	X(sqlite3_step)                                                        \
	X(sqlite3_column_type)                                                 \
	X(sqlite3_column_int)                                                  \
	X(sqlite3_column_int64)                                                \
	X(sqlite3_column_double)                                               \
	X(sqlite3_column_text)                                                 \
	X(sqlite3_reset)                                                       \
	X(sqlite3_finalize)

BRIG_DYNLIB_SHIM(SQLITE_FUNCS, BRIG_LIBSQLITE3_SONAME, BRIG_LIBSQLITE3_PACKAGE, brig_libsqlite_load)
#define REAL BRIG_DYNLIB_REAL

/* The arguments' types follow from the option, and a variadic call cannot
 * be forwarded blindly: the shim forwards only the options brig uses (and
 * the other single-int ones), and refuses the rest (pointers, callbacks,
 * 64-bit sizes) with SQLITE_MISUSE rather than guess. */
int sqlite3_config(int op, ...)
{
	__typeof__(&sqlite3_config) real = REAL(sqlite3_config);
	va_list ap;
	int value;

	switch (op) {
	case SQLITE_CONFIG_SINGLETHREAD:
	case SQLITE_CONFIG_MULTITHREAD:
	case SQLITE_CONFIG_SERIALIZED:
		return real(op);
	case SQLITE_CONFIG_MEMSTATUS:
	case SQLITE_CONFIG_URI:
	case SQLITE_CONFIG_COVERING_INDEX_SCAN:
	case SQLITE_CONFIG_STMTJRNL_SPILL:
	case SQLITE_CONFIG_SMALL_MALLOC:
	case SQLITE_CONFIG_SORTERREF_SIZE:
		va_start(ap, op);
		value = va_arg(ap, int);
		va_end(ap);
		return real(op, value);
	default:
		return SQLITE_MISUSE;
	}
}

/* Every option from SQLITE_DBCONFIG_ENABLE_FKEY up to the header's
 * SQLITE_DBCONFIG_MAX takes (int, int *) in this SQLite; MAINDBNAME (a
 * string) and LOOKASIDE (a buffer and two ints), which brig does not use,
 * are refused like sqlite3_config's. */
int sqlite3_db_config(sqlite3 *db, int op, ...)
{
	__typeof__(&sqlite3_db_config) real = REAL(sqlite3_db_config);
	va_list ap;
	int value, *out;

	if (op < SQLITE_DBCONFIG_ENABLE_FKEY || op > SQLITE_DBCONFIG_MAX)
		return SQLITE_MISUSE;
	va_start(ap, op);
	value = va_arg(ap, int);
	out = va_arg(ap, int *);
	va_end(ap);
	return real(db, op, value, out);
}

int sqlite3_open(const char *filename, sqlite3 **db)
{
	return REAL(sqlite3_open)(filename, db);
}

int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs)
{
	return REAL(sqlite3_open_v2)(filename, db, flags, vfs);
}

int sqlite3_close(sqlite3 *db)
{
	return REAL(sqlite3_close)(db);
}

int sqlite3_close_v2(sqlite3 *db)
{
	return REAL(sqlite3_close_v2)(db);
}

int sqlite3_extended_result_codes(sqlite3 *db, int onoff)
{
	return REAL(sqlite3_extended_result_codes)(db, onoff);
}

int sqlite3_busy_timeout(sqlite3 *db, int ms)
{
	return REAL(sqlite3_busy_timeout)(db, ms);
}

int sqlite3_limit(sqlite3 *db, int id, int value)
{
	return REAL(sqlite3_limit)(db, id, value);
}

int sqlite3_errcode(sqlite3 *db)
{
	return REAL(sqlite3_errcode)(db);
}

const char *sqlite3_errmsg(sqlite3 *db)
{
	return REAL(sqlite3_errmsg)(db);
}

int sqlite3_get_autocommit(sqlite3 *db)
{
	return REAL(sqlite3_get_autocommit)(db);
}

sqlite3_int64 sqlite3_last_insert_rowid(sqlite3 *db)
{
	return REAL(sqlite3_last_insert_rowid)(db);
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **),
		 void *arg, char **errmsg)
{
	return REAL(sqlite3_exec)(db, sql, callback, arg, errmsg);
}

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail)
{
	return REAL(sqlite3_prepare_v2)(db, sql, n, st, tail);
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags,
		       sqlite3_stmt **st, const char **tail)
{
	return REAL(sqlite3_prepare_v3)(db, sql, n, flags, st, tail);
}

int sqlite3_bind_double(sqlite3_stmt *st, int i, double v)
{
	return REAL(sqlite3_bind_double)(st, i, v);
}

int sqlite3_bind_int(sqlite3_stmt *st, int i, int v)
{
	return REAL(sqlite3_bind_int)(st, i, v);
}

int sqlite3_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v)
{
	return REAL(sqlite3_bind_int64)(st, i, v);
}

int sqlite3_bind_null(sqlite3_stmt *st, int i)
{
	return REAL(sqlite3_bind_null)(st, i);
}

int sqlite3_bind_text(sqlite3_stmt *st, int i, const char *v, int n, void (*destructor)(void *))
{
	return REAL(sqlite3_bind_text)(st, i, v, n, destructor);
}

int sqlite3_clear_bindings(sqlite3_stmt *st)
{
	return REAL(sqlite3_clear_bindings)(st);
}

int sqlite3_step(sqlite3_stmt *st)
{
	return REAL(sqlite3_step)(st);
}

int sqlite3_column_type(sqlite3_stmt *st, int i)
{
	return REAL(sqlite3_column_type)(st, i);
}

int sqlite3_column_int(sqlite3_stmt *st, int i)
{
	return REAL(sqlite3_column_int)(st, i);
}

sqlite3_int64 sqlite3_column_int64(sqlite3_stmt *st, int i)
{
	return REAL(sqlite3_column_int64)(st, i);
}

double sqlite3_column_double(sqlite3_stmt *st, int i)
{
	return REAL(sqlite3_column_double)(st, i);
}

const unsigned char *sqlite3_column_text(sqlite3_stmt *st, int i)
{
	return REAL(sqlite3_column_text)(st, i);
}

int sqlite3_reset(sqlite3_stmt *st)
{
	return REAL(sqlite3_reset)(st);
}

int sqlite3_finalize(sqlite3_stmt *st)
{
	return REAL(sqlite3_finalize)(st);
}
