/* SPDX-License-Identifier: MIT */
/*
 * causeway/q850.h — ITU-T Q.850 cause values, classes, locations and
 * coding standards. All data is const and compiled from tables/.
 */
#ifndef CAUSEWAY_Q850_H
#define CAUSEWAY_Q850_H

#include <causeway/common.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CW_Q850_CAUSE_MIN 1   /* 0 is not a valid cause value */
#define CW_Q850_CAUSE_MAX 127 /* 7 bits, Q.850 §2.2.5 */

/* The seven classes (Q.850 §2.2.5, Table 1: the upper three bits). */
enum cw_q850_class {
	CW_Q850_CLASS_NORMAL = 0,          /* 0-31 (classes 000 and 001) */
	CW_Q850_CLASS_RESOURCE = 1,        /* 32-47 resource unavailable */
	CW_Q850_CLASS_SERVICE = 2,         /* 48-63 service or option not available */
	CW_Q850_CLASS_NOT_IMPLEMENTED = 3, /* 64-79 service or option not implemented */
	CW_Q850_CLASS_INVALID_MESSAGE = 4, /* 80-95 invalid message */
	CW_Q850_CLASS_PROTOCOL = 5,        /* 96-111 protocol error */
	CW_Q850_CLASS_INTERWORKING = 6     /* 112-127 interworking */
};

typedef struct cw_q850_info {
	int cause;               /* 0..127 */
	int assigned;            /* 1 if Q.850 assigns a meaning to it */
	const char *name;        /* Q.850 name, or "Unassigned cause N" */
	enum cw_q850_class cls;
	int class_unspecified;   /* 31, 47, 63, 79, 95, 111 or 127 */
	const char *meaning;     /* plain-language meaning (own words) */
	const char *check;       /* what an operator should check */
	const char *source;      /* where the name comes from */
} cw_q850_info;

/*
 * cw_q850_info_get() - information on cause 0..127 (0 is described, but
 * is not a valid cause on the wire).
 * Returns 0, or CW_ERANGE outside 0..127.
 */
CW_EXTERN int cw_q850_info_get(int cause, const cw_q850_info **ret_info);

/* cw_q850_class_name() - "normal event", ...; NULL for an invalid class. */
CW_EXTERN const char *cw_q850_class_name(enum cw_q850_class cls);

/*
 * Locations (Q.850 §2.2.3), with the RFC 8606 names.
 */
#define CW_LOCATION_UNKNOWN (-1)
enum cw_location {
	CW_LOC_U = 0,     /* user */
	CW_LOC_LPN = 1,   /* private network serving the local user */
	CW_LOC_LN = 2,    /* public network serving the local user */
	CW_LOC_TN = 3,    /* transit network */
	CW_LOC_RLN = 4,   /* public network serving the remote user */
	CW_LOC_RPN = 5,   /* private network serving the remote user */
	CW_LOC_INTL = 7,  /* international network */
	CW_LOC_BI = 10    /* network beyond interworking point */
	/* 6, 8, 9, 11 spare; 12..15 national: RFC 8606 names LOC-n */
};

/*
 * cw_location_name() - RFC 8606 §3 name of location 0..15 ("U", "LPN",
 * ..., "LOC-6", ...); NULL outside 0..15.
 */
CW_EXTERN const char *cw_location_name(int location);

/* cw_location_description() - Q.850 wording, e.g. "transit network". */
CW_EXTERN const char *cw_location_description(int location);

/*
 * cw_location_from_name() - parse an RFC 8606 name (case-insensitive,
 * RFC 5234 §2.3) or a decimal 0..15.
 * Returns 0, CW_ENOENT for an unknown name, CW_EINVAL for NULL.
 */
CW_EXTERN int cw_location_from_name(const char *name, size_t len, int *ret_location);

/* Coding standard, Q.850 §2.2.2 (two bits). */
enum cw_coding_standard {
	CW_CODING_ITU = 0,
	CW_CODING_ISO = 1,
	CW_CODING_NATIONAL = 2,
	CW_CODING_NETWORK = 3
};
/* cw_coding_standard_name() - "itu-t", "iso-iec", "national", "network"; NULL otherwise. */
CW_EXTERN const char *cw_coding_standard_name(int coding);

#ifdef __cplusplus
}
#endif

#endif /* CAUSEWAY_Q850_H */
