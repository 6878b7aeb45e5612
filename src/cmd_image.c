/* brig image: where the image comes from is decided here; everything after
 * the image is loaded is source-independent. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/cleanup.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "image/view.h"
#include "options.h"
#include "remote.h"
#include "scan_common.h"
#include "source/archive.h"
#include "source/layout.h"

static const char image_usage[] =
	"Usage: brig image [flags] IMAGE\n"
	"       brig image [flags] --input FILE\n\n"
	"IMAGE is NAME[:TAG|@DIGEST] (engine, then registry), HOST[:PORT]/REPO[:TAG|@DIGEST]\n"
	"(registry), oci:DIR[:TAG] (OCI layout), docker-archive:FILE or oci-archive:FILE.";

struct image_flags {
	struct scan_flags scan;
	const char *input;
	const char *platform;
	const char *image_src;
	struct remote_opts remote;
};

/* oci:DIR[:TAG]: a tag follows the last ':' only when no '/' comes after it */
static void split_layout(const char *spec, char **dir, char **tag)
{
	const char *colon = strrchr(spec, ':');

	if (colon && !strchr(colon, '/') && colon != spec) {
		*dir = brig_xstrndup(spec, (size_t)(colon - spec));
		*tag = brig_xstrdup(colon + 1);
	} else {
		*dir = brig_xstrdup(spec);
		*tag = NULL;
	}
}

static int load_image(const struct image_flags *fl, const char *target,
		      const struct brig_platform *p, struct brig_layer_budget *budget,
		      struct brig_image *img, struct brig_error *err)
{
	if (fl->input)
		return brig_archive_load_file(fl->input, p, NULL, budget, img, err);
	if (strncmp(target, "oci:", 4) == 0) {
		_cleanup_free_ char *dir = NULL, *tag = NULL;

		split_layout(target + 4, &dir, &tag);
		return brig_layout_load(dir, tag, p, budget, img, err);
	}
	if (strncmp(target, "docker-archive:", 15) == 0)
		return brig_archive_load_file(target + 15, p, NULL, budget, img, err);
	if (strncmp(target, "oci-archive:", 12) == 0)
		return brig_archive_load_file(target + 12, p, NULL, budget, img, err);
	return remote_load(target, fl->image_src, &fl->remote, p, budget, img, err);
}

int cmd_image(int argc, char **argv)
{
	struct image_flags fl = {0};
	struct brig_platform platform;
	struct brig_layer_budget budget;
	struct brig_image img = {0};
	struct brig_inventory inv = {0};
	struct brig_error err = {0};
	const struct brig_layer_facts **facts = NULL;
	const char *target;
	int npos = 0, rc;

	scan_flags_init(&fl.scan);
	{
		const struct brig_option opts[] = {
			OPT_STRING("input", 'i', &fl.input, "FILE", "docker-archive or OCI archive file"),
			OPT_STRING("platform", 0, &fl.platform, "OS/ARCH[/VARIANT]",
				   "platform to pick from a multi-platform image (default: this host's)"),
			OPT_STRING("image-src", 0, &fl.image_src, "LIST",
				   "where to look up IMAGE: engine,registry (default, in that order)"),
			OPT_STRING("username", 0, &fl.remote.username, "USER", "registry user"),
			OPT_STRING("password", 0, &fl.remote.password, "PASS", "registry password"),
			OPT_BOOL("insecure", 0, &fl.remote.insecure,
				 "allow plain HTTP and unverified TLS registries"),
			OPT_STRING("host", 0, &fl.remote.engine_host, "unix://PATH",
				   "engine socket (default: DOCKER_HOST, /var/run/docker.sock, podman's)"),
			SCAN_COMMON_OPTIONS(&fl.scan),
			OPT_END(),
		};

		rc = brig_parse_options(argc, argv, opts, image_usage, &npos);
		if (rc != 0)
			return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	}
	scan_flags_apply_logging(&fl.scan);
	if ((npos != 1 && !fl.input) || (npos > 0 && fl.input) || npos > 1) {
		fprintf(stderr, "brig: image: give exactly one IMAGE or --input FILE\n%s\n", image_usage);
		return BRIG_EXIT_ERROR;
	}
	target = fl.input ? fl.input : argv[0];
	if (fl.platform) {
		if (brig_platform_parse(fl.platform, &platform, &err) < 0)
			return scan_fail(&err);
	} else {
		brig_platform_host(&platform);
	}
	budget.limit = budget.remaining = fl.scan.max_image_size;
	if (load_image(&fl, target, &platform, &budget, &img, &err) < 0) {
		brig_image_free(&img);
		return scan_fail(&err);
	}
	facts = brig_xcalloc(img.n_layers ? img.n_layers : 1, sizeof(*facts));
	for (size_t i = 0; i < img.n_layers; i++)
		facts[i] = &img.layers[i]->facts;
	if (brig_view_check_links(facts, img.n_layers, &err) < 0) {
		free(facts);
		brig_image_free(&img);
		brig_error_prefix(&err, "%s", target);
		return scan_fail(&err);
	}
	brig_view_build(facts, (const char *const *)img.diff_ids, img.n_layers, &inv);
	free(facts);
	rc = scan_finish(&fl.scan, target, "container_image", &img, &inv);
	brig_inventory_free(&inv);
	brig_image_free(&img);
	return rc;
}
