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

/* ---- v4 ----
 * CVSS v4.0 specification section 8 (FIRST): a vector falls into a
 * MacroVector (six equivalence classes EQ1..EQ6) whose score comes from the
 * specification's expert-ranked table; the score is then lowered by the
 * mean, over the EQs that have a lower MacroVector, of (distance of the
 * vector from the MacroVector's highest-severity vectors / the MacroVector's
 * depth) x (score drop to that lower MacroVector). The constants, the order
 * of operations and the rounding follow FIRST's reference calculator
 * (github.com/FIRSTdotorg/cvss-v4-calculator, BSD-2-Clause, whose table
 * this is), and the results were cross-checked against an independent
 * implementation (docs/db.md). */

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


enum {
	M_AV, M_AC, M_AT, M_PR, M_UI, M_VC, M_VI, M_VA, M_SC, M_SI, M_SA, M_E, M_CR, M_IR, M_AR,
	M_MAV, M_MAC, M_MAT, M_MPR, M_MUI, M_MVC, M_MVI, M_MVA, M_MSC, M_MSI, M_MSA,
};

/* MacroVector scores in tenths, indexed by
 * ((((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4) * 3 + eq5) * 2 + eq6; -1 where no
 * such MacroVector exists (EQ3 = 2 with EQ6 = 0 cannot happen). */
static const short v4_macro[324] = {
	100,  99,  98,  95,  95,  92, 100,  96,  93,  87,  91,  81,  93,  90,  89,  80,  81,  68,
	 98,  95,  95,  92,  90,  84,  93,  92,  89,  81,  81,  65,  88,  80,  78,  70,  69,  48,
	 -1,  92,  -1,  82,  -1,  72,  -1,  79,  -1,  69,  -1,  50,  -1,  69,  -1,  55,  -1,  27,
	 99,  97,  95,  92,  92,  85,  95,  91,  90,  83,  84,  71,  92,  81,  82,  71,  72,  53,
	 95,  93,  92,  85,  85,  73,  92,  82,  80,  72,  70,  59,  84,  70,  71,  52,  50,  30,
	 -1,  86,  -1,  75,  -1,  52,  -1,  71,  -1,  52,  -1,  29,  -1,  63,  -1,  29,  -1,  17,
	 98,  95,  94,  87,  91,  81,  94,  89,  86,  74,  77,  64,  87,  75,  74,  63,  63,  49,
	 94,  89,  88,  77,  76,  67,  86,  76,  74,  58,  59,  50,  72,  57,  57,  52,  52,  25,
	 -1,  83,  -1,  70,  -1,  54,  -1,  65,  -1,  58,  -1,  26,  -1,  53,  -1,  21,  -1,  13,
	 95,  90,  88,  76,  76,  70,  90,  77,  75,  62,  61,  53,  77,  66,  68,  59,  52,  30,
	 89,  78,  76,  67,  62,  58,  74,  59,  57,  57,  47,  23,  61,  52,  57,  29,  24,  16,
	 -1,  71,  -1,  59,  -1,  30,  -1,  58,  -1,  26,  -1,  15,  -1,  23,  -1,  13,  -1,   6,
	 93,  87,  86,  72,  75,  58,  86,  74,  74,  61,  56,  34,  70,  54,  52,  40,  40,  22,
	 85,  75,  74,  55,  62,  51,  72,  57,  55,  41,  46,  19,  53,  36,  34,  19,  19,   8,
	 -1,  64,  -1,  51,  -1,  20,  -1,  47,  -1,  21,  -1,  11,  -1,  24,  -1,   9,  -1,   4,
	 88,  75,  73,  53,  60,  50,  73,  55,  59,  40,  41,  20,  54,  43,  45,  22,  20,  11,
	 75,  55,  58,  45,  40,  21,  61,  51,  48,  18,  20,   9,  46,  18,  17,   7,   8,   2,
	 -1,  53,  -1,  24,  -1,  14,  -1,  24,  -1,  12,  -1,   5,  -1,  10,  -1,   3,  -1,   1,
};

static int macro_tenths(int e1, int e2, int e3, int e4, int e5, int e6)
{
	if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
		return -1;
	return v4_macro[((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6];
}

struct v4 {
	int idx[CVSS_MAX_METRICS];
};

static const char *v4_raw(const struct v4 *v, int m)
{
	return v->idx[m] < 0 ? "X" : v4_metrics[m].values[v->idx[m]];
}

/* The value scoring uses: a modified (environmental) metric overrides its
 * base metric; E, CR, IR, AR that are not defined count as their worst
 * case (A, H, H, H). */
static char v4_eff(const struct v4 *v, int m)
{
	static const int modified[] = {
		[M_AV] = M_MAV, [M_AC] = M_MAC, [M_AT] = M_MAT, [M_PR] = M_MPR, [M_UI] = M_MUI,
		[M_VC] = M_MVC, [M_VI] = M_MVI, [M_VA] = M_MVA, [M_SC] = M_MSC, [M_SI] = M_MSI,
		[M_SA] = M_MSA,
	};
	const char *val = v4_raw(v, m);

	if (*val == 'X') {
		if (m == M_E)
			return 'A';
		if (m == M_CR || m == M_IR || m == M_AR)
			return 'H';
	}
	if (m <= M_SA && v->idx[modified[m]] >= 0 && *v4_raw(v, modified[m]) != 'X')
		return *v4_raw(v, modified[m]);
	return *val;
}

/* severity "levels" in tenths: the distance unit of the specification */
static double v4_level(int m, char c)
{
	int t = -1;

	switch (m) {
	case M_AV:
		t = c == 'N' ? 0 : c == 'A' ? 1 : c == 'L' ? 2 : 3;
		break;
	case M_PR:
		t = c == 'N' ? 0 : c == 'L' ? 1 : 2;
		break;
	case M_UI:
		t = c == 'N' ? 0 : c == 'P' ? 1 : 2;
		break;
	case M_AC:
		t = c == 'L' ? 0 : 1;
		break;
	case M_AT:
		t = c == 'N' ? 0 : 1;
		break;
	case M_VC:
	case M_VI:
	case M_VA:
		t = c == 'H' ? 0 : c == 'L' ? 1 : 2;
		break;
	case M_SC:
		t = c == 'H' ? 1 : c == 'L' ? 2 : 3;
		break;
	case M_SI:
	case M_SA:
		t = c == 'S' ? 0 : c == 'H' ? 1 : c == 'L' ? 2 : 3;
		break;
	case M_CR:
	case M_IR:
	case M_AR:
		t = c == 'H' ? 0 : c == 'M' ? 1 : 2;
		break;
	case M_E:
		t = c == 'A' ? 0 : c == 'P' ? 1 : 2;
		break;
	}
	return (double)t / 10.0;
}

/* The highest-severity vectors of each EQ level (specification table 24,
 * "max_composed"), as metric values in a fixed order. */
static const char *const eq1_max[3][3] = {{"NNN"}, {"ANN", "NLN", "NNP"}, {"PNN", "ALP"}};
static const char *const eq2_max[2][2] = {{"LN"}, {"HN", "LP"}};
/* VC VI VA CR IR AR, by [eq3][eq6] */
static const char *const eq36_max[3][2][5] = {
	{{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
	{{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
	{{NULL}, {"LLLHHH"}},
};
static const char *const eq4_max[3] = {"HSS", "HHH", "LLL"}; /* SC SI SA */
static const char eq5_max[3] = {'A', 'P', 'U'};
/* depth of each MacroVector in distance steps ("max_severity") */
static const int eq1_depth[3] = {1, 4, 5}, eq2_depth[2] = {1, 2}, eq4_depth[3] = {6, 5, 4};
static const int eq36_depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};

static size_t count_max(const char *const *list, size_t cap)
{
	size_t n = 0;

	while (n < cap && list[n])
		n++;
	return n;
}

static double v4_score(const struct v4 *v)
{
	static const int order[15] = {M_AV, M_PR, M_UI, M_AC, M_AT, M_VC, M_VI, M_VA,
				      M_SC, M_SI, M_SA, M_CR, M_IR, M_AR, M_E};
	char av = v4_eff(v, M_AV), pr = v4_eff(v, M_PR), ui = v4_eff(v, M_UI);
	char vc = v4_eff(v, M_VC), vi = v4_eff(v, M_VI), va = v4_eff(v, M_VA);
	char sc = v4_eff(v, M_SC), si = v4_eff(v, M_SI), sa = v4_eff(v, M_SA);
	char msi = *v4_raw(v, M_MSI), msa = *v4_raw(v, M_MSA), e = v4_eff(v, M_E);
	char cr = v4_eff(v, M_CR), ir = v4_eff(v, M_IR), ar = v4_eff(v, M_AR);
	int e1, e2, e3, e4, e5, e6, t;
	double value, dist[15] = {0}, lower[5], mean = 0.0, x, r;
	const double step = 0.1;
	int n_lower = 0;
	bool found = false;

	if (vc == 'N' && vi == 'N' && va == 'N' && sc == 'N' && si == 'N' && sa == 'N')
		return 0.0;
	/* the six equivalence classes (specification table 23) */
	if (av == 'N' && pr == 'N' && ui == 'N')
		e1 = 0;
	else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
		e1 = 1;
	else
		e1 = 2;
	e2 = v4_eff(v, M_AC) == 'L' && v4_eff(v, M_AT) == 'N' ? 0 : 1;
	e3 = vc == 'H' && vi == 'H' ? 0 : (vc == 'H' || vi == 'H' || va == 'H') ? 1 : 2;
	e4 = msi == 'S' || msa == 'S' ? 0 : (sc == 'H' || si == 'H' || sa == 'H') ? 1 : 2;
	e5 = e == 'A' ? 0 : e == 'P' ? 1 : 2;
	e6 = (cr == 'H' && vc == 'H') || (ir == 'H' && vi == 'H') || (ar == 'H' && va == 'H') ? 0 : 1;
	value = (double)macro_tenths(e1, e2, e3, e4, e5, e6) / 10.0;

	/* score of the next lower MacroVector of each EQ (or none) */
	t = macro_tenths(e1 + 1, e2, e3, e4, e5, e6);
	lower[0] = t < 0 ? -1 : (double)t / 10.0;
	t = macro_tenths(e1, e2 + 1, e3, e4, e5, e6);
	lower[1] = t < 0 ? -1 : (double)t / 10.0;
	if (e3 == 0 && e6 == 0) {
		/* two ways down: the higher of the two */
		int l = macro_tenths(e1, e2, e3, e4, e5, e6 + 1);
		int rr = macro_tenths(e1, e2, e3 + 1, e4, e5, e6);

		t = l > rr ? l : rr;
		lower[2] = l < 0 || rr < 0 ? -1 : (double)t / 10.0;
	} else if (e3 == 1 && e6 == 0) {
		t = macro_tenths(e1, e2, e3, e4, e5, e6 + 1);
		lower[2] = t < 0 ? -1 : (double)t / 10.0;
	} else if (e3 == 2) {
		lower[2] = -1; /* 21 -> 32 does not exist */
	} else {
		t = macro_tenths(e1, e2, e3 + 1, e4, e5, e6);
		lower[2] = t < 0 ? -1 : (double)t / 10.0;
	}
	t = macro_tenths(e1, e2, e3, e4 + 1, e5, e6);
	lower[3] = t < 0 ? -1 : (double)t / 10.0;
	t = macro_tenths(e1, e2, e3, e4, e5 + 1, e6);
	lower[4] = t < 0 ? -1 : (double)t / 10.0;

	/* the first highest-severity vector that is at least as severe as
	 * this one, in every metric */
	{
		const char *const *m1 = eq1_max[e1], *const *m2 = eq2_max[e2];
		const char *const *m36 = eq36_max[e3][e6];
		size_t n1 = count_max(m1, 3), n2 = count_max(m2, 2), n36 = count_max(m36, 5);

		for (size_t a = 0; a < n1 && !found; a++)
			for (size_t b = 0; b < n2 && !found; b++)
				for (size_t c = 0; c < n36 && !found; c++) {
					const char mx[15] = {m1[a][0],	 m1[a][1],   m1[a][2],	m2[b][0],
							     m2[b][1],	 m36[c][0],  m36[c][1], m36[c][2],
							     eq4_max[e4][0], eq4_max[e4][1], eq4_max[e4][2],
							     m36[c][3],	 m36[c][4],  m36[c][5], eq5_max[e5]};

					found = true;
					for (int k = 0; k < 15; k++) {
						dist[k] = v4_level(order[k], v4_eff(v, order[k])) -
							  v4_level(order[k], mx[k]);
						if (dist[k] < 0)
							found = false;
					}
				}
	}
	{
		/* distances in the order above: AV PR UI AC AT VC VI VA SC SI SA CR IR AR E */
		double cur[4] = {
			dist[0] + dist[1] + dist[2],
			dist[3] + dist[4],
			dist[5] + dist[6] + dist[7] + dist[11] + dist[12] + dist[13],
			dist[8] + dist[9] + dist[10],
		};
		double depth[4] = {(double)eq1_depth[e1] * step, (double)eq2_depth[e2] * step,
				   (double)eq36_depth[e3][e6] * step, (double)eq4_depth[e4] * step};
		double norm[5] = {0};

		for (int k = 0; k < 4; k++)
			if (lower[k] >= 0) {
				n_lower++;
				norm[k] = (value - lower[k]) * (cur[k] / depth[k]);
			}
		if (lower[4] >= 0)
			n_lower++; /* EQ5's proportion is always 0 */
		if (n_lower)
			mean = (norm[0] + norm[1] + norm[2] + norm[3] + norm[4]) / n_lower;
	}
	x = value - mean;
	x = x > 10.0 ? 10.0 : x < 0.0 ? 0.0 : x;
	/* Round half up to one decimal after lifting x by 1e-6: the
	 * interpolation can land one ulp below an x.x5 tie (5.6499999999999995
	 * for 5.65). FIRST's calculator does the same (its issue #66); 522 of
	 * the 104,976 base vectors depend on it. */
	x = (x + 1e-6) * 10.0;
	r = (double)(int64_t)x;
	if (x - r >= 0.5)
		r += 1.0;
	return r / 10.0;
}

int brig_cvss4_base_score(const char *vector, double *score, struct brig_error *err)
{
	struct v4 v;

	*score = -1;
	if (strncmp(vector, "CVSS:4.0/", 9) != 0)
		return brig_error_set(err, EINVAL, "CVSS v4 vector '%.64s' does not start with CVSS:4.0/",
				      vector);
	if (parse_vector(vector + 9, "CVSS v4", v4_metrics,
			 sizeof(v4_metrics) / sizeof(v4_metrics[0]), v.idx, err) < 0)
		return -1;
	*score = v4_score(&v);
	return 0;
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
