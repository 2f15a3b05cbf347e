/* SPDX-License-Identifier: MIT */
/*
 * config_ref.h — a configuration shared by counting: the daemon holds the
 * current one, every call the one it started with (README.md "Reload").
 * A SIGHUP puts a new one in front; an old one is freed when the last call
 * holding it has ended.
 */
#ifndef CWB_CONFIG_REF_H
#define CWB_CONFIG_REF_H

#include "config.h"

struct cwb_config_ref;

/* cwb_config_ref_new() - cfg (owned from now on) with one holder. 0, -EINVAL, -ENOMEM
 * (cfg is freed then too). */
int cwb_config_ref_new(struct cwcfg_config *cfg, struct cwb_config_ref **ret);
/* cwb_config_ref_hold() - one more holder; returns r. */
struct cwb_config_ref *cwb_config_ref_hold(struct cwb_config_ref *r);
/* cwb_config_ref_drop() - one holder less; the last frees the configuration. NULL: nothing. */
void cwb_config_ref_drop(struct cwb_config_ref *r);
/* cwb_config_ref_get() - the configuration. */
const struct cwcfg_config *cwb_config_ref_get(const struct cwb_config_ref *r);
/* cwb_config_ref_holders() - how many hold it now. */
unsigned long cwb_config_ref_holders(const struct cwb_config_ref *r);

/* cwb_config_diag_text() - "FILE:LINE[:COL]: error: MESSAGE" of a failed load. */
void cwb_config_diag_text(const cw_diag *diag, char *buf, size_t len);

#endif /* CWB_CONFIG_REF_H */
