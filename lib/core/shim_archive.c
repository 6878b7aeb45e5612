/* libarchive through dlopen (core/dynlib.h): the functions brig (and its
 * tests, which write zips) calls, under their own names and the headers'
 * prototypes. */
#include <archive.h>
#include <archive_entry.h>

#include "core/dynlib.h"

#define ARCHIVE_FUNCS(X)                                                       \
	X(archive_read_new)                                                    \
	X(archive_read_support_format_tar)                                     \
	X(archive_read_support_format_gnutar)                                  \
	X(archive_read_support_format_zip)                                     \
	X(archive_read_open)                                                   \
	X(archive_read_open_filename)                                          \
	X(archive_read_next_header)                                            \
	X(archive_read_data)                                                   \
	X(archive_read_free)                                                   \
	X(archive_write_new)                                                   \
	X(archive_write_set_format_zip)                                        \
	X(archive_write_open_filename)                                         \
	X(archive_write_header)                                                \
	X(archive_write_data)                                                  \
	X(archive_write_close)                                                 \
	X(archive_write_free)                                                  \
	X(archive_error_string)                                                \
	X(archive_entry_new)                                                   \
	X(archive_entry_free)                                                  \
	X(archive_entry_pathname)                                              \
	X(archive_entry_hardlink)                                              \
	X(archive_entry_filetype)                                              \
	X(archive_entry_size)                                                  \
	X(archive_entry_size_is_set)                                           \
	X(archive_entry_set_pathname)                                          \
	X(archive_entry_set_filetype)                                          \
	X(archive_entry_set_perm)                                              \
	X(archive_entry_set_size)

BRIG_DYNLIB_SHIM(ARCHIVE_FUNCS, BRIG_LIBARCHIVE_SONAME, BRIG_LIBARCHIVE_PACKAGE, brig_libarchive_load)
#define REAL BRIG_DYNLIB_REAL

struct archive *archive_read_new(void)
{
	return REAL(archive_read_new)();
}

int archive_read_support_format_tar(struct archive *a)
{
	return REAL(archive_read_support_format_tar)(a);
}

int archive_read_support_format_gnutar(struct archive *a)
{
	return REAL(archive_read_support_format_gnutar)(a);
}

int archive_read_support_format_zip(struct archive *a)
{
	return REAL(archive_read_support_format_zip)(a);
}

int archive_read_open(struct archive *a, void *client_data, archive_open_callback *open_cb,
		      archive_read_callback *read_cb, archive_close_callback *close_cb)
{
	return REAL(archive_read_open)(a, client_data, open_cb, read_cb, close_cb);
}

int archive_read_open_filename(struct archive *a, const char *filename, size_t block_size)
{
	return REAL(archive_read_open_filename)(a, filename, block_size);
}

int archive_read_next_header(struct archive *a, struct archive_entry **e)
{
	return REAL(archive_read_next_header)(a, e);
}

la_ssize_t archive_read_data(struct archive *a, void *buf, size_t n)
{
	return REAL(archive_read_data)(a, buf, n);
}

int archive_read_free(struct archive *a)
{
	return REAL(archive_read_free)(a);
}

struct archive *archive_write_new(void)
{
	return REAL(archive_write_new)();
}

int archive_write_set_format_zip(struct archive *a)
{
	return REAL(archive_write_set_format_zip)(a);
}

int archive_write_open_filename(struct archive *a, const char *file)
{
	return REAL(archive_write_open_filename)(a, file);
}

int archive_write_header(struct archive *a, struct archive_entry *e)
{
	return REAL(archive_write_header)(a, e);
}

la_ssize_t archive_write_data(struct archive *a, const void *buf, size_t n)
{
	return REAL(archive_write_data)(a, buf, n);
}

int archive_write_close(struct archive *a)
{
	return REAL(archive_write_close)(a);
}

int archive_write_free(struct archive *a)
{
	return REAL(archive_write_free)(a);
}

const char *archive_error_string(struct archive *a)
{
	return REAL(archive_error_string)(a);
}

struct archive_entry *archive_entry_new(void)
{
	return REAL(archive_entry_new)();
}

void archive_entry_free(struct archive_entry *e)
{
	REAL(archive_entry_free)(e);
}

const char *archive_entry_pathname(struct archive_entry *e)
{
	return REAL(archive_entry_pathname)(e);
}

const char *archive_entry_hardlink(struct archive_entry *e)
{
	return REAL(archive_entry_hardlink)(e);
}

__LA_MODE_T archive_entry_filetype(struct archive_entry *e)
{
	return REAL(archive_entry_filetype)(e);
}

la_int64_t archive_entry_size(struct archive_entry *e)
{
	return REAL(archive_entry_size)(e);
}

int archive_entry_size_is_set(struct archive_entry *e)
{
	return REAL(archive_entry_size_is_set)(e);
}

void archive_entry_set_pathname(struct archive_entry *e, const char *name)
{
	REAL(archive_entry_set_pathname)(e, name);
}

void archive_entry_set_filetype(struct archive_entry *e, unsigned int type)
{
	REAL(archive_entry_set_filetype)(e, type);
}

void archive_entry_set_perm(struct archive_entry *e, __LA_MODE_T perm)
{
	REAL(archive_entry_set_perm)(e, perm);
}

void archive_entry_set_size(struct archive_entry *e, la_int64_t size)
{
	REAL(archive_entry_set_size)(e, size);
}
