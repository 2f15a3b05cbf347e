/* SPDX-License-Identifier: MIT */
/*
 * tables.h — the const data generated from tables/ by cw-tablegen
 * (cw_tables.c in the build tree), and the lookups over it that the rest
 * of the library shares.
 */
#ifndef CW_LIB_TABLES_H
#define CW_LIB_TABLES_H

#include <stdint.h>

#include <causeway/q850.h>
#include <causeway/sip.h>

#include "profile.h"

extern const struct cw_profile *const cw_builtin_profiles[];
extern const size_t cw_builtin_profile_count;

extern const cw_q850_info cw_q850_infos[128];     /* tables/q850-causes.txt */
extern const char *const cw_q850_class_names[7];  /* tables/q850-classes.txt */

extern const cw_sip_status_info cw_sip_registered[];   /* tables/sip-status.txt, ascending */
extern const size_t cw_sip_registered_count;
extern const cw_sip_status_info cw_sip_class_infos[7]; /* [1]..[6]: "1xx".."6xx" */
extern const int16_t cw_sip_index[600];                /* status - 100 -> index, or -1 */

/* 1 if status is an IANA-registered final response 300..699 (sip_status.c). */
int cw_sip_status_is_registered_final(int status);

#endif /* CW_LIB_TABLES_H */
