/* SPDX-License-Identifier: MIT */
/*
 * causeway/sip.h — SIP response codes (IANA registry) and what the
 * receiver of each should do with it.
 */
#ifndef CAUSEWAY_SIP_H
#define CAUSEWAY_SIP_H

#include <causeway/common.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CW_SIP_STATUS_MIN 100 /* RFC 3261 §7.2: 3DIGIT, classes 1..6 */
#define CW_SIP_STATUS_MAX 699

/*
 * Disposition: what the receiver of a status should do next. This is the
 * "what to do" column operators look for; failover logic consumes it.
 */
enum cw_disposition {
	CW_DISP_PROGRESS = 0,     /* 1xx: wait for more */
	CW_DISP_SUCCESS = 1,      /* 2xx: done (ACK a 2xx to INVITE) */
	CW_DISP_REDIRECT = 2,     /* 3xx: follow Contact (bounded) */
	CW_DISP_AUTHENTICATE = 3, /* 401/407: resend with credentials */
	CW_DISP_FIX_REQUEST = 4,  /* remedy the request and resend (RFC 3398 note (+)) */
	CW_DISP_NEXT_ROUTE = 5,   /* this route failed: try the next one */
	CW_DISP_RETRY_LATER = 6,  /* overloaded: honour Retry-After, try the next route meanwhile */
	CW_DISP_FINAL = 7         /* the callee answered it: stop, no failover */
};

typedef struct cw_sip_status_info {
	int status;
	int registered;          /* 1 if in the IANA registry */
	const char *phrase;      /* RFC reason phrase; class phrase if unregistered */
	const char *defined_in;  /* "RFC 3261 §21.4.24"; NULL if unregistered */
	enum cw_disposition disposition;
	const char *meaning;     /* own words; the class meaning if unregistered */
	const char *check;       /* what to check */
} cw_sip_status_info;

/*
 * cw_sip_status_info_get() - information on any status 100..699.
 * Unregistered codes get the class entry (RFC 3261 §8.1.3.2: treat an
 * unknown final response as the x00 of its class), with registered = 0.
 * Returns 0, or CW_ERANGE outside 100..699.
 */
CW_EXTERN int cw_sip_status_info_get(int status, const cw_sip_status_info **ret_info);

/* cw_disposition_name() - "final", "next-route", ...; NULL if invalid. */
CW_EXTERN const char *cw_disposition_name(enum cw_disposition disp);

/* cw_sip_status_count() / cw_sip_status_at() - walk the registered codes, ascending. */
CW_EXTERN size_t cw_sip_status_count(void);
CW_EXTERN int cw_sip_status_at(size_t index, const cw_sip_status_info **ret_info);

#ifdef __cplusplus
}
#endif

#endif /* CAUSEWAY_SIP_H */
