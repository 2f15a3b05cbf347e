/* SPDX-License-Identifier: MIT */
/*
 * profile.h — the compiled form of a mapping profile.
 *
 * Every lookup is an array index (plus a short scan of the few qualified
 * rows): the rows of a map file are resolved at compile time into one cell
 * per cause, per status and per request. Built-in profiles are emitted in
 * this form by cw-tablegen; overlays are compiled at run time by the same
 * code (profile_compile.c).
 */
#ifndef CW_LIB_PROFILE_H
#define CW_LIB_PROFILE_H

#include <stdint.h>

#include <causeway/map.h>

#define CW_STATUS_CELLS 600 /* 100..699 */

struct cw_c2s_cell {
	uint16_t status;   /* 0 = no row */
	uint8_t action;    /* enum cw_c2s_action */
	uint16_t rule;     /* index into rules[] */
};

struct cw_s2c_cell {
	uint8_t cause;     /* 0 with CW_S2C_NONE */
	uint8_t action;    /* enum cw_s2c_action */
	uint8_t present;
	uint16_t rule;
};

struct cw_loc_cell {
	uint8_t location;
	uint16_t rule;
};

/* A qualified row kept as a list: (cause, location), (status, warning), (event, SIP cause). */
struct cw_qual_c2s {
	uint8_t cause;
	uint8_t location;
	struct cw_c2s_cell cell;
};

struct cw_qual_s2c {
	uint16_t key;
	uint16_t value;
	struct cw_s2c_cell cell;
};

struct cw_profile {
	const char *name;
	const char *description;
	int builtin;
	unsigned reason_q850;           /* CW_HONOUR_* */
	unsigned reason_sip;
	int16_t reason_q850_rule;       /* index into rules[], -1 if the option is absent */
	int16_t reason_sip_rule;
	const cw_rule *rules;           /* nrows rules (one per row), then the option rules */
	size_t nrules;
	const cw_row *rows;
	size_t nrows;

	struct cw_c2s_cell cause[128];       /* plain row, or the default row */
	struct cw_c2s_cell cause_diag[128];  /* "diagnostic" rows; status 0 = none */
	const struct cw_qual_c2s *cause_loc; /* "location=" rows */
	size_t ncause_loc;

	struct cw_s2c_cell status[CW_STATUS_CELLS];     /* status, class or default row */
	struct cw_loc_cell status_loc[CW_STATUS_CELLS]; /* status, class or default location */
	const struct cw_qual_s2c *warning;              /* "warning=" rows */
	size_t nwarning;

	struct cw_s2c_cell request[3];       /* [CW_SIP_BYE], [CW_SIP_CANCEL] */
	struct cw_loc_cell request_loc[3];
	const struct cw_qual_s2c *req_reason; /* "reason=" rows: key = event */
	size_t nreq_reason;

	void *owned[8];                      /* blocks to free (overlays only) */
};

/* One row with the provenance of its rule, as input to the compiler. */
struct cw_compile_row {
	cw_row row;          /* row.rule is ignored */
	const char *profile; /* profile (or override file) name */
	const char *file;
	unsigned line;
	int override;
	cw_str clause;       /* need not be NUL-terminated */
};

struct cw_compile_input {
	const char *name;
	const char *description;
	const char *file;                 /* for diagnostics on missing rows */
	const struct cw_compile_row *rows; /* no two with the same key */
	size_t nrows;
	unsigned reason_q850, reason_sip; /* CW_HONOUR_* */
	const struct cw_compile_row *reason_q850_rule; /* NULL if the option is absent */
	const struct cw_compile_row *reason_sip_rule;
};

struct cw_maprow;
struct cw_mapoption;

/* A parsed map row (or option line) as compiler input; spans stay in the parsed text. */
struct cw_compile_row cw_compile_row_from_maprow(const struct cw_maprow *mr, const char *profile,
                                                 const char *file, int override);
struct cw_compile_row cw_compile_row_from_option(const struct cw_mapoption *opt,
                                                 const char *profile, const char *file,
                                                 int override);

/*
 * cw_profile_compile() - resolve rows into a heap profile; all strings are
 * copied. Checks that the rows every profile needs are present (cause
 * default, status default, BYE, CANCEL, location default).
 * Returns 0, CW_EMISSING, CW_ENOMEM or CW_ELIMIT with diag filled.
 */
int cw_profile_compile(struct cw_profile **ret, const struct cw_compile_input *in, cw_diag *diag);

void cw_profile_destroy(struct cw_profile *p);

#endif /* CW_LIB_PROFILE_H */
