/* SPDX-License-Identifier: MIT */
/*
 * report.h — causeway-pstn-sim's report: one JSON object per line, flushed
 * after each line (the format is in README.md "Report"), written with the
 * common JSON writer.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdint.h>
#include <stdio.h>

struct sim_call;

/* sim_report_dchan() - {"event":"dchan","state":STATE,"t_ms":T_MS}. */
void sim_report_dchan(FILE *f, const char *state, int64_t t_ms);

/* sim_report_channel() - {"event":EVENT,"channel":N[,"status":STATUS],"t_ms":T_MS}: a
 * RESTART or SERVICE acknowledged (README.md "Report"); status NULL: none. */
void sim_report_channel(FILE *f, const char *event, int channel, const char *status,
                        int64_t t_ms);

/* sim_report_drop() - {"event":"drop","rx":"on"|"off","tx":"on"|"off","t_ms":T_MS}. */
void sim_report_drop(FILE *f, int rx, int tx, int64_t t_ms);

/* sim_report_call() - the {"event":"call",...} line of a call that ended this way. */
void sim_report_call(FILE *f, const struct sim_call *c, const char *end);

#endif /* SIM_REPORT_H */
