/* CVSS vector parsing and base scores. v3.x follows the v3.1 specification
 * section 7 (including its integer Roundup, which v3.0 vectors also get:
 * the two define the same base formula and v3.1's Roundup only removes
 * floating-point surprises). v2 follows the v2 guide section 3.2.1. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "vulndb/internal.h"
#include "vulndb/vulndb.h"

/* Longest vector accepted: every v4 metric spelled out is ~200 bytes. */
#define CVSS_MAX_VECTOR 512u

struct metric {
	const char *name;
	const char *const *values; /* NULL-terminated */
	bool mandatory;
};

/* Parsed vector: for each metric of the table, the index of its value or -1. */
#define CVSS_MAX_METRICS 32

static int parse_vector(const char *vector, const char *what, const struct metric *table,
			size_t n_metrics, int *idx, struct brig_error *err)
{
	const char *p = vector;
	size_t len = strnlen(vector, CVSS_MAX_VECTOR + 1);

	if (len > CVSS_MAX_VECTOR)
		return brig_error_set(err, EINVAL, "%s vector longer than %u bytes", what,
				      CVSS_MAX_VECTOR);
	for (size_t i = 0; i < n_metrics; i++)
		idx[i] = -1;
	if (!*p)
		return brig_error_set(err, EINVAL, "empty %s vector", what);
	while (*p) {
		const char *colon = strchr(p, ':');
		const char *end = strchr(p, '/');
		size_t klen, vlen;
		size_t m;

		if (!end)
			end = p + strlen(p);
		if (!colon || colon > end)
			return brig_error_set(err, EINVAL, "%s vector '%.64s': '%.*s' is not METRIC:VALUE",
					      what, vector, (int)(end - p), p);
		klen = (size_t)(colon - p);
		vlen = (size_t)(end - colon - 1);
		for (m = 0; m < n_metrics; m++)
			if (strlen(table[m].name) == klen && memcmp(table[m].name, p, klen) == 0)
				break;
		if (m == n_metrics)
			return brig_error_set(err, EINVAL, "%s vector '%.64s': unknown metric '%.*s'",
					      what, vector, (int)klen, p);
		if (idx[m] >= 0)
			return brig_error_set(err, EINVAL, "%s vector '%.64s': metric %s given twice",
					      what, vector, table[m].name);
		for (int v = 0; table[m].values[v]; v++)
			if (strlen(table[m].values[v]) == vlen &&
			    memcmp(table[m].values[v], colon + 1, vlen) == 0) {
				idx[m] = v;
				break;
			}
		if (idx[m] < 0)
			return brig_error_set(err, EINVAL, "%s vector '%.64s': invalid value '%.*s' for %s",
					      what, vector, (int)vlen, colon + 1, table[m].name);
		p = *end ? end + 1 : end;
		if (*end && !*p)
			return brig_error_set(err, EINVAL, "%s vector '%.64s' ends with '/'", what,
					      vector);
	}
	for (size_t m = 0; m < n_metrics; m++)
		if (table[m].mandatory && idx[m] < 0)
			return brig_error_set(err, EINVAL, "%s vector '%.64s' lacks base metric %s",
					      what, vector, table[m].name);
	return 0;
}

/* ---- v3 ---- */

static const char *const v3_av[] = {"N", "A", "L", "P", NULL};
static const char *const v3_lh[] = {"L", "H", NULL};
static const char *const v3_pr[] = {"N", "L", "H", NULL};
static const char *const v3_ui[] = {"N", "R", NULL};
static const char *const v3_s[] = {"U", "C", NULL};
static const char *const v3_cia[] = {"H", "L", "N", NULL};
static const char *const v3_e[] = {"X", "U", "P", "F", "H", NULL};
static const char *const v3_rl[] = {"X", "O", "T", "W", "U", NULL};
static const char *const v3_rc[] = {"X", "U", "R", "C", NULL};
static const char *const v3_req[] = {"X", "L", "M", "H", NULL};
static const char *const v3_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v3_mlh[] = {"X", "L", "H", NULL};
static const char *const v3_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v3_mui[] = {"X", "N", "R", NULL};
static const char *const v3_ms[] = {"X", "U", "C", NULL};
static const char *const v3_mcia[] = {"X", "N", "L", "H", NULL};

enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_N_BASE };

static const struct metric v3_metrics[] = {
	{"AV", v3_av, true},	{"AC", v3_lh, true},	{"PR", v3_pr, true},
	{"UI", v3_ui, true},	{"S", v3_s, true},	{"C", v3_cia, true},
	{"I", v3_cia, true},	{"A", v3_cia, true},	{"E", v3_e, false},
	{"RL", v3_rl, false},	{"RC", v3_rc, false},	{"CR", v3_req, false},
	{"IR", v3_req, false},	{"AR", v3_req, false},	{"MAV", v3_mav, false},
	{"MAC", v3_mlh, false}, {"MPR", v3_mpr, false}, {"MUI", v3_mui, false},
	{"MS", v3_ms, false},	{"MC", v3_mcia, false}, {"MI", v3_mcia, false},
	{"MA", v3_mcia, false},
};

/* CVSS v3.1 Appendix A: round up to one decimal, computed on integers so
 * that 4.000000001 does not become 4.1 by accident of binary floats. */
static double roundup(double x)
{
	/* x is in [0, 10]: adding 0.5 and truncating is round-to-nearest */
	int64_t i = (int64_t)(x * 100000.0 + 0.5);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double min10(double x)
{
	return x < 10.0 ? x : 10.0;
}

int brig_cvss3_base_score(const char *vector, double *score, struct brig_error *err)
{
	static const double av_w[] = {0.85, 0.62, 0.55, 0.2};
	static const double ac_w[] = {0.77, 0.44};
	static const double ui_w[] = {0.85, 0.62};
	static const double cia_w[] = {0.56, 0.22, 0.0};
	int idx[CVSS_MAX_METRICS];
	const char *body = vector;
	double pr, iss, impact, expl;
	bool changed;

	*score = -1;
	if (strncmp(vector, "CVSS:3.1/", 9) == 0 || strncmp(vector, "CVSS:3.0/", 9) == 0)
		body = vector + 9;
	else if (strncmp(vector, "CVSS:", 5) == 0)
		return brig_error_set(err, EINVAL, "CVSS v3 vector '%.64s' has an unknown version",
				      vector);
	if (parse_vector(body, "CVSS v3", v3_metrics, sizeof(v3_metrics) / sizeof(v3_metrics[0]),
			 idx, err) < 0)
		return -1;
	changed = idx[V3_S] == 1;
	switch (idx[V3_PR]) {
	case 0:
		pr = 0.85;
		break;
	case 1:
		pr = changed ? 0.68 : 0.62;
		break;
	default:
		pr = changed ? 0.5 : 0.27;
		break;
	}
	/* (no libm: the project links without it, and x^15 is a loop) */
	iss = 1.0 - (1.0 - cia_w[idx[V3_C]]) * (1.0 - cia_w[idx[V3_I]]) * (1.0 - cia_w[idx[V3_A]]);
	if (changed) {
		double p15 = 1.0;

		for (int k = 0; k < 15; k++)
			p15 *= iss - 0.02;
		impact = 7.52 * (iss - 0.029) - 3.25 * p15;
	}
	else
		impact = 6.42 * iss;
	expl = 8.22 * av_w[idx[V3_AV]] * ac_w[idx[V3_AC]] * pr * ui_w[idx[V3_UI]];
	if (impact <= 0)
		*score = 0.0;
	else if (changed)
		*score = roundup(min10(1.08 * (impact + expl)));
	else
		*score = roundup(min10(impact + expl));
	return 0;
}

/* ---- v2 ---- */

static const char *const v2_av[] = {"L", "A", "N", NULL};
static const char *const v2_ac[] = {"H", "M", "L", NULL};
static const char *const v2_au[] = {"M", "S", "N", NULL};
static const char *const v2_cia[] = {"N", "P", "C", NULL};
static const char *const v2_e[] = {"U", "POC", "F", "H", "ND", NULL};
static const char *const v2_rl[] = {"OF", "TF", "W", "U", "ND", NULL};
static const char *const v2_rc[] = {"UC", "UR", "C", "ND", NULL};
static const char *const v2_cdp[] = {"N", "L", "LM", "MH", "H", "ND", NULL};
static const char *const v2_td[] = {"N", "L", "M", "H", "ND", NULL};
static const char *const v2_req[] = {"L", "M", "H", "ND", NULL};

static const struct metric v2_metrics[] = {
	{"AV", v2_av, true},   {"AC", v2_ac, true},   {"Au", v2_au, true},   {"C", v2_cia, true},
	{"I", v2_cia, true},   {"A", v2_cia, true},   {"E", v2_e, false},    {"RL", v2_rl, false},
	{"RC", v2_rc, false},  {"CDP", v2_cdp, false}, {"TD", v2_td, false}, {"CR", v2_req, false},
	{"IR", v2_req, false}, {"AR", v2_req, false},
};

int brig_cvss2_base_score(const char *vector, double *score, struct brig_error *err)
{
	static const double av_w[] = {0.395, 0.646, 1.0};
	static const double ac_w[] = {0.35, 0.61, 0.71};
	static const double au_w[] = {0.45, 0.56, 0.704};
	static const double cia_w[] = {0.0, 0.275, 0.660};
	int idx[CVSS_MAX_METRICS];
	char body[CVSS_MAX_VECTOR + 1];
	size_t len = strnlen(vector, CVSS_MAX_VECTOR + 1);
	double impact, expl, f, raw;

	*score = -1;
	if (len > CVSS_MAX_VECTOR)
		return brig_error_set(err, EINVAL, "CVSS v2 vector longer than %u bytes",
				      CVSS_MAX_VECTOR);
	/* NVD writes "(AV:N/…)" and some feeds "CVSS:2.0/AV:N/…" */
	if (strncmp(vector, "CVSS:2.0/", 9) == 0) {
		vector += 9;
		len -= 9;
	}
	if (len >= 2 && vector[0] == '(' && vector[len - 1] == ')') {
		vector++;
		len -= 2;
	}
	memcpy(body, vector, len);
	body[len] = '\0';
	if (parse_vector(body, "CVSS v2", v2_metrics, sizeof(v2_metrics) / sizeof(v2_metrics[0]),
			 idx, err) < 0)
		return -1;
	impact = 10.41 * (1.0 - (1.0 - cia_w[idx[3]]) * (1.0 - cia_w[idx[4]]) *
				       (1.0 - cia_w[idx[5]]));
	expl = 20.0 * av_w[idx[0]] * ac_w[idx[1]] * au_w[idx[2]];
	f = impact == 0.0 ? 0.0 : 1.176;
	raw = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
	/* "round_to_1_decimal" (half up); the epsilon keeps 4.35 from landing on 4.3 */
	*score = raw <= 0 ? 0.0 : (double)(int64_t)(raw * 10.0 + 0.5 + 1e-9) / 10.0;
	return 0;
}

/* ---- v4 (validation only) ---- */

static const char *const v4_av[] = {"N", "A", "L", "P", NULL};
static const char *const v4_ac[] = {"L", "H", NULL};
static const char *const v4_at[] = {"N", "P", NULL};
static const char *const v4_pr[] = {"N", "L", "H", NULL};
static const char *const v4_ui[] = {"N", "P", "A", NULL};
static const char *const v4_cia[] = {"H", "L", "N", NULL};
static const char *const v4_e[] = {"X", "A", "P", "U", NULL};
static const char *const v4_req[] = {"X", "H", "M", "L", NULL};
static const char *const v4_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v4_mac[] = {"X", "L", "H", NULL};
static const char *const v4_mat[] = {"X", "N", "P", NULL};
static const char *const v4_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v4_mui[] = {"X", "N", "P", "A", NULL};
static const char *const v4_mcia[] = {"X", "H", "L", "N", NULL};
static const char *const v4_msia[] = {"X", "S", "H", "L", "N", NULL};
static const char *const v4_s[] = {"X", "N", "P", NULL};
static const char *const v4_au[] = {"X", "N", "Y", NULL};
static const char *const v4_r[] = {"X", "A", "U", "I", NULL};
static const char *const v4_v[] = {"X", "D", "C", NULL};
static const char *const v4_re[] = {"X", "L", "M", "H", NULL};
static const char *const v4_u[] = {"X", "Clear", "Green", "Amber", "Red", NULL};

static const struct metric v4_metrics[] = {
	{"AV", v4_av, true},	{"AC", v4_ac, true},	 {"AT", v4_at, true},
	{"PR", v4_pr, true},	{"UI", v4_ui, true},	 {"VC", v4_cia, true},
	{"VI", v4_cia, true},	{"VA", v4_cia, true},	 {"SC", v4_cia, true},
	{"SI", v4_cia, true},	{"SA", v4_cia, true},	 {"E", v4_e, false},
	{"CR", v4_req, false},	{"IR", v4_req, false},	 {"AR", v4_req, false},
	{"MAV", v4_mav, false}, {"MAC", v4_mac, false},	 {"MAT", v4_mat, false},
	{"MPR", v4_mpr, false}, {"MUI", v4_mui, false},	 {"MVC", v4_mcia, false},
	{"MVI", v4_mcia, false}, {"MVA", v4_mcia, false}, {"MSC", v4_mcia, false},
	{"MSI", v4_msia, false}, {"MSA", v4_msia, false}, {"S", v4_s, false},
	{"AU", v4_au, false},	{"R", v4_r, false},	 {"V", v4_v, false},
	{"RE", v4_re, false},	{"U", v4_u, false},
};

int brig_cvss4_validate(const char *vector, struct brig_error *err)
{
	int idx[CVSS_MAX_METRICS];

	if (strncmp(vector, "CVSS:4.0/", 9) != 0)
		return brig_error_set(err, EINVAL, "CVSS v4 vector '%.64s' does not start with CVSS:4.0/",
				      vector);
	return parse_vector(vector + 9, "CVSS v4", v4_metrics,
			    sizeof(v4_metrics) / sizeof(v4_metrics[0]), idx, err);
}

enum brig_vuln_severity brig_vuln_severity_from_score(double score)
{
	if (!(score > 0.0))
		return BRIG_SEVERITY_UNKNOWN;
	if (score < 4.0)
		return BRIG_SEVERITY_LOW;
	if (score < 7.0)
		return BRIG_SEVERITY_MEDIUM;
	if (score < 9.0)
		return BRIG_SEVERITY_HIGH;
	return BRIG_SEVERITY_CRITICAL;
}
